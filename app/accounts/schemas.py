"""What crosses HTTP for accounts. Forms and JSON share these models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, model_validator

from app import clock
from app.accounts.models import Role
from app.countries import is_country, zone_countries
from app.i18n import LANGUAGES, N_
from app.schema_types import ApiModel, Code, Email, Name, Password, PublicModel, Title
from app.schema_types import _no_nul as no_nul


def _zone(value: str) -> str:
    if not clock.is_valid_zone(value):
        raise ValueError(N_("Choose a time zone from the list."))
    return value


def _country(value: str) -> str:
    value = value.upper()
    if not is_country(value):
        raise ValueError(N_("Choose a country from the list."))
    return value


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_zone)]
Country = Annotated[str, Field(min_length=2, max_length=2), AfterValidator(_country)]
Language = Annotated[str, Field(pattern=f"^({'|'.join(LANGUAGES)})$")]


class LoginForm(ApiModel):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=256)]
    next: Annotated[str, Field(max_length=300), AfterValidator(no_nul)] | None = None


class TotpForm(ApiModel):
    code: Annotated[str, Field(min_length=6, max_length=10, pattern=r"^[0-9 ]+$")]


# A 6-digit code from the app, or a recovery code ("ABCD-EFGH-JKMN-PQRS", any case or spacing).
SecondFactor = Annotated[str, Field(min_length=6, max_length=40, pattern=r"^[0-9A-Za-z \-]+$")]


class SecondFactorForm(ApiModel):
    code: SecondFactor


class TwoFactorReauth(ApiModel):
    """Turning two-step login off, or renewing recovery codes, asks again for both factors."""

    current_password: Annotated[str, Field(min_length=1, max_length=256)]
    code: SecondFactor


class _NewPassword(ApiModel):
    password: Password
    password_confirm: Annotated[str, Field(max_length=256)]

    @model_validator(mode="after")
    def _match(self) -> Self:
        if self.password != self.password_confirm:
            raise ValueError(N_("The two passwords are not the same."))
        return self


class _CountryFromZone(ApiModel):
    """With no country given, the country of the time zone (tzdata's zone.tab), never a fixed
    default: the country decides which crisis lines a person is shown. A zone with no country
    (e.g. "UTC") leaves the field required, so the answer names it."""

    @model_validator(mode="before")
    @classmethod
    def _country_from_zone(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("country"):
            zone = data.get("time_zone") or DEFAULT_ZONE
            found = zone_countries().get(zone) if isinstance(zone, str) else None
            if found is not None:
                return {**data, "country": found}
        return data


DEFAULT_ZONE = "Europe/London"


class TherapistSignup(_NewPassword, _CountryFromZone):
    clinic_name: Title
    name: Name
    email: Email
    country: Country
    time_zone: TimeZone = DEFAULT_ZONE


class ClientSignup(_NewPassword, _CountryFromZone):
    name: Name
    email: Email
    country: Country
    time_zone: TimeZone = DEFAULT_ZONE


class InviteAccept(_NewPassword):
    name: Name
    email: Email
    time_zone: TimeZone = "Europe/London"


class CodeForm(ApiModel):
    code: Code


class ForgotForm(ApiModel):
    email: Email


class ResetForm(_NewPassword):
    pass


class PasswordChange(_NewPassword):
    current_password: Annotated[str, Field(min_length=1, max_length=256)]


class ProfileUpdate(ApiModel):
    name: Name
    time_zone: TimeZone
    country: Country
    language: Language = "en"


class ClientCreate(_CountryFromZone):
    name: Name
    email: Email | None = None
    time_zone: TimeZone = DEFAULT_ZONE
    country: Country


class TherapistInvite(ApiModel):
    email: Email


class UserPublic(PublicModel):
    id: uuid.UUID
    email: str | None
    role: Role
    preferred_name: str
    time_zone: str
    country: str
    language: str
    organisation_id: uuid.UUID | None
    totp_enabled: bool


class ClientPublic(PublicModel):
    id: uuid.UUID
    preferred_name: str
    time_zone: str
    country: str
    invite_pending: bool
    last_seen_at: datetime | None


class InvitePublic(ApiModel):
    client: ClientPublic | None = None
    link: str
    code: str
    expires_at: datetime


class SessionPublic(PublicModel):
    id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    current: bool = False
