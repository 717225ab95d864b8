"""Settings for everyone: profile, password, two-factor, devices; linking a therapist (clients)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts import auth, policy, service, sessions, two_factor
from app.accounts.dependencies import CurrentClient, CurrentPrincipal
from app.accounts.models import RecordKind
from app.accounts.schemas import (
    CodeForm,
    PasswordChange,
    ProfileUpdate,
    TotpForm,
    TwoFactorReauth,
)
from app.accounts.security import verify_password
from app.accounts.web import client_ip, see_other
from app.audit import service as audit
from app.countries import country_choices
from app.db import SessionDep
from app.errors import Conflict, NotFound, Unprocessable
from app.forms import FormResult, read_form, submit_form
from app.i18n import LANGUAGES, N_, gettext, request_language
from app.templates import render

router = APIRouter()


def _settings_context(
    session: SessionDep, principal: CurrentPrincipal, language: str
) -> dict[str, object]:
    user = principal.user
    return {
        "profile": FormResult(
            values={
                "name": user.preferred_name,
                "time_zone": user.time_zone,
                "country": user.country,
                "language": user.language,
            }
        ),
        "password": FormResult(values={}),
        "devices": sessions.active_for(session, user.id),
        "current_session_id": principal.session.id,
        "countries": country_choices(language),
        "languages": list(LANGUAGES.items()),
        "zones": clock.sorted_zones(),
        "therapists": service.my_therapists(session, user.id) if user.role == "client" else [],
        "link": FormResult(values={}),
    }


def _settings(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **overrides: object,
) -> Response:
    context = _settings_context(session, principal, request_language(request))
    context.update(overrides)
    return render(
        request, "accounts/settings.html", context, status_code=status_code, headers=headers
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, session: SessionDep, principal: CurrentPrincipal, saved: str | None = None
) -> Response:
    return _settings(request, session, principal, saved=saved)


@router.post("/settings/profile", response_class=HTMLResponse)
async def save_profile(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    def save(data: ProfileUpdate) -> Response:
        service.update_profile(
            session,
            user=principal.user,
            name=data.name,
            time_zone=data.time_zone,
            country=data.country,
            language=data.language,
        )
        return see_other("/settings?saved=profile")

    return await submit_form(
        request,
        ProfileUpdate,
        save=save,
        show=lambda form, status: _settings(request, session, principal, status, profile=form),
        refusal_status=None,
    )


@router.post("/settings/password", response_class=HTMLResponse)
async def change_password(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    def save(data: PasswordChange) -> Response:
        if not verify_password(principal.user.password_hash, data.current_password):
            raise Unprocessable(N_("That is not your current password."), field="current_password")
        service.change_password(session, principal=principal, new_password=data.password)
        return see_other("/settings?saved=password")

    return await submit_form(
        request,
        PasswordChange,
        save=save,
        show=lambda form, status: _settings(request, session, principal, status, password=form),
        refusal_status=None,
    )


@dataclass(frozen=True)
class SharingChoice:
    """One kind of record on the sharing page, in plain words."""

    key: RecordKind
    title: str
    what: str
    shared: str
    private: str


SHARING_CHOICES = (
    SharingChoice(
        RecordKind.mood,
        N_("Mood log and its notes"),
        N_("How you felt each day, your energy and sleep, and any notes you added."),
        N_("Your therapist sees your mood log and notes, and is told when your mood has been low."),
        N_("Your therapist does not see your mood log or notes."),
    ),
    SharingChoice(
        RecordKind.calm,
        N_("Calm tools"),
        N_("When you used a calm tool, and how distressed you felt before and after."),
        N_("Your therapist sees when you used calm tools and how you felt before and after."),
        N_(
            "Your therapist does not see when you used calm tools or your ratings. Your safety "
            "plan stays shared."
        ),
    ),
    SharingChoice(
        RecordKind.sensory,
        N_("Sensory profile"),
        N_("Your answers about the sights, sounds, touch and movement you seek or avoid."),
        N_("Your therapist sees your sensory profile and can update it with you."),
        N_("Your therapist does not see your sensory profile. Your sensory diet stays shared."),
    ),
)


def _sharing(
    request: Request, session: SessionDep, client: CurrentClient, *, saved: bool = False
) -> Response:
    return render(
        request,
        "accounts/sharing.html",
        {
            "kinds": SHARING_CHOICES,
            "private": policy.private_kinds(session, client.id),
            "saved": saved,
        },
        headers={"Cache-Control": "no-store"},
    )


@router.get("/settings/sharing", response_class=HTMLResponse)
def sharing_page(
    request: Request, session: SessionDep, client: CurrentClient, saved: str | None = None
) -> Response:
    return _sharing(request, session, client, saved=saved is not None)


@router.post("/settings/sharing", response_class=HTMLResponse)
async def sharing_save(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    """Anything but "private" is shared: a missing or odd value keeps the default, never a 500."""
    values = await read_form(request)
    private = frozenset(c.key for c in SHARING_CHOICES if values.get(c.key) == "private")
    policy.set_private_kinds(session, client, private)
    audit.add(session, actor=client.user, action="accounts.sharing.change")
    session.commit()
    return see_other("/settings/sharing?saved=1")


@router.post("/settings/logout-others", response_class=HTMLResponse)
def logout_others(session: SessionDep, principal: CurrentPrincipal) -> Response:
    auth.logout_other_devices(session, principal=principal)
    return see_other("/settings?saved=devices")


def _manage(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    form: FormResult[TwoFactorReauth] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The two-step page: set it up, or (when on) turn it off or renew the recovery codes."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": FormResult(values={}),
            "manage": form or FormResult(values={}),
            "svg": None,
            "recovery_left": two_factor.recovery_codes_left(session, principal.id),
        },
        status_code=status_code,
        headers=headers,
    )


@router.get("/settings/two-factor", response_class=HTMLResponse)
def two_factor_page(request: Request, session: SessionDep, principal: CurrentPrincipal) -> Response:
    return _manage(request, session, principal)


@router.post("/settings/two-factor/start", response_class=HTMLResponse)
def two_factor_start(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The secret three ways: a QR code for another device, an otpauth:// link for an app on this
    phone (a phone cannot scan its own screen), and the key in groups of four to type."""
    try:
        secret = auth.start_totp(session, principal=principal)
    except Conflict as on:
        form: FormResult[TwoFactorReauth] = FormResult(values={}, errors={"code": on.detail})
        return _manage(request, session, principal, form, status_code=409)
    link = two_factor.uri(secret, principal.user.email or str(principal.id))
    title = gettext("Scan with your authenticator app")
    svg = segno.make(link, error="m").svg_inline(
        scale=5, dark="#1b2b2a", light="#ffffff", title=title
    )
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": FormResult(values={}),
            "svg": svg,
            "otpauth": link,
            "grouped_secret": two_factor.grouped(secret),
        },
    )


def _recovery_page(request: Request, codes: list[str]) -> Response:
    """Shown once. The download is built in the page (a data: link), so the codes are never
    stored in plain text nor served again."""
    text = gettext(RECOVERY_TXT, codes="\n".join(codes))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "download": "data:text/plain;charset=utf-8," + quote(text)},
    )


RECOVERY_TXT = N_(
    "Groundwork recovery codes\n\n"
    "Each code logs you in once when you do not have your phone. Keep them somewhere safe.\n\n"
    "%(codes)s\n"
)


@router.post("/settings/two-factor/confirm", response_class=HTMLResponse)
async def two_factor_confirm(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    def save(data: TotpForm) -> Response:
        return _recovery_page(
            request, auth.confirm_totp(session, principal=principal, code=data.code)
        )

    def show(form: FormResult[TotpForm], status: int) -> Response:
        if (
            status == Conflict.status
        ):  # already on: the page to manage it, the refusal beside the code
            on: FormResult[TwoFactorReauth] = FormResult(values={}, errors=form.errors)
            return _manage(request, session, principal, on, status_code=status)
        return render(
            request,
            "accounts/two_factor.html",
            {"form": form, "svg": None, "retry": True},
            status_code=status,
        )

    return await submit_form(
        request, TotpForm, save=save, show=show, otherwise="code", refusal_status=None
    )


@router.post("/settings/two-factor/disable", response_class=HTMLResponse)
async def two_factor_disable(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    def save(data: TwoFactorReauth) -> Response:
        auth.disable_totp(
            session,
            principal=principal,
            password=data.current_password,
            code=data.code,
            ip=client_ip(request),
        )
        return see_other("/settings?saved=two-factor-off")

    return await _reauthenticated(request, session, principal, save)


@router.post("/settings/two-factor/recovery-codes", response_class=HTMLResponse)
async def two_factor_recovery_codes(
    request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    def save(data: TwoFactorReauth) -> Response:
        codes = auth.renew_recovery_codes(
            session,
            principal=principal,
            password=data.current_password,
            code=data.code,
            ip=client_ip(request),
        )
        return _recovery_page(request, codes)

    return await _reauthenticated(request, session, principal, save)


async def _reauthenticated(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    change: Callable[[TwoFactorReauth], Response],
) -> Response:
    """Weakening two-step login asks for the password and a code again: a wrong one is shown
    beside its field (possibly both at once), a throttle beside the code with its Retry-After."""

    def save(data: TwoFactorReauth) -> Response:
        try:
            return change(data)
        except auth.ReauthFailed as failed:
            wrong: FormResult[TwoFactorReauth] = FormResult(values={}, errors=failed.errors)
            return _manage(request, session, principal, wrong, status_code=422)

    def show(form: FormResult[TwoFactorReauth], status: int) -> Response:
        return _manage(request, session, principal, form, status_code=status, headers=form.headers)

    return await submit_form(
        request, TwoFactorReauth, save=save, show=show, otherwise="code", refusal_status=None
    )


@router.post("/settings/link-therapist", response_class=HTMLResponse)
async def link_therapist(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    def save(data: CodeForm) -> Response:
        try:
            invite = service.find_invite_by_code(
                session, code=data.code, ip=client_ip(request), actor=client.user
            )
            service.link_therapist(session, client=client, invite=invite)
        except NotFound as unknown:  # a mistyped code is the form's problem, not a missing page
            raise Unprocessable(unknown.detail, field="code") from unknown
        return see_other("/settings?saved=linked")

    return await submit_form(
        request,
        CodeForm,
        save=save,
        show=lambda form, status: _settings(
            request, session, client, status, link=form, headers=form.headers
        ),
        otherwise="code",
        refusal_status=None,
    )
