"""What crosses HTTP for accounts. Forms and JSON share these models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from app import clock
from app.accounts.models import Role
from app.crisis.service import is_country
from app.schema_types import ApiModel, Code, Email, Name, Password, PublicModel, Title


def _zone(value: str) -> str:
    if not clock.is_valid_zone(value):
        raise ValueError("Choose a time zone from the list.")
    return value


def _country(value: str) -> str:
    value = value.upper()
    if not is_country(value):
        raise ValueError("Choose a country from the list.")
    return value


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_zone)]
Country = Annotated[str, Field(min_length=2, max_length=2), AfterValidator(_country)]
Language = Annotated[str, Field(pattern="^(en)$")]


class LoginForm(ApiModel):
    email: Annotated[str, Field(min_length=1, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    next: Annotated[str | None, Field(default=None, max_length=300)] = None


class TotpForm(ApiModel):
    code: Annotated[str, Field(min_length=6, max_length=10, pattern=r"^[0-9 ]+$")]


class _NewPassword(ApiModel):
    password: Password
    password_confirm: Annotated[str, Field(max_length=256)]

    @model_validator(mode="after")
    def _match(self) -> Self:
        if self.password != self.password_confirm:
            raise ValueError("The two passwords are not the same.")
        return self


class TherapistSignup(_NewPassword):
    clinic_name: Title
    name: Name
    email: Email
    country: Country = "GB"
    time_zone: TimeZone = "Europe/London"


class ClientSignup(_NewPassword):
    name: Name
    email: Email
    country: Country = "GB"
    time_zone: TimeZone = "Europe/London"


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


class ClientCreate(ApiModel):
    name: Name
    email: Email | None = None
    time_zone: TimeZone = "Europe/London"
    country: Country = "GB"


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
