"""Log in, sign up, accept an invite, reset a password, log out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import clock
from app.accounts import admin_pages, auth, service, settings_pages, signup, therapist_pages
from app.accounts.dependencies import CurrentPrincipal, OptionalPrincipal
from app.accounts.models import AuthSession, Invite, InviteKind, Role, User
from app.accounts.schemas import (
    ClientSignup,
    CodeForm,
    ForgotForm,
    InviteAccept,
    LoginForm,
    ResetForm,
    SecondFactorForm,
    TherapistSignup,
)
from app.accounts.web import (
    client_ip,
    home_for,
    safe_next,
    see_other,
    user_agent,
    with_session_cookie,
)
from app.countries import country_choices, zone_countries
from app.db import SessionDep
from app.errors import BadRequest, Conflict, NotFound, TooManyRequests
from app.forms import WHOLE_FORM, FormResult, read_form, submit_form
from app.i18n import N_, negotiate, request_language
from app.templates import render
from app.web_security import SESSION_COOKIE

router = APIRouter()
router.include_router(therapist_pages.router)
router.include_router(admin_pages.router)
router.include_router(settings_pages.router)


def _log_in(
    request: Request, session: SessionDep, *, email: str, password: str
) -> auth.LoginResult:
    return auth.login(
        session,
        email=email,
        password=password,
        ip=client_ip(request),
        user_agent=user_agent(request),
    )


def _logged_in(result: auth.LoginResult, destination: str) -> RedirectResponse:
    """Finish a login: a second factor first when the account has one."""
    if result.needs_second_factor:
        return with_session_cookie(see_other("/login/verify"), result.issued, result.user)
    return with_session_cookie(see_other(destination), result.issued, result.user)


def _page_again(
    request: Request, template: str, **context: object
) -> Callable[[FormResult[Any], int], Response]:
    """`show` for a page that is just its template: the form again, with a refusal's headers."""

    def show(form: FormResult[Any], status: int) -> Response:
        context_now = {"form": form, **context}
        return render(request, template, context_now, status_code=status, headers=form.headers)

    return show


def _choices(request: Request) -> dict[str, object]:
    return {
        "countries": country_choices(request_language(request)),
        "zones": clock.sorted_zones(),
        "zone_countries": zone_countries(),
    }


@router.get("/", response_class=HTMLResponse)
def index(principal: OptionalPrincipal) -> RedirectResponse:
    return see_other(home_for(principal.user) if principal else "/login")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, principal: OptionalPrincipal, next: str | None = None) -> Response:
    if principal is not None:
        return see_other(home_for(principal.user))
    return render(request, "accounts/login.html", {"form": FormResult(values={"next": next or ""})})


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request, session: SessionDep) -> Response:
    def save(data: LoginForm) -> Response:
        try:
            result = _log_in(request, session, email=data.email, password=data.password)
        except auth.LoginFailed as failed:
            raise BadRequest(failed.message) from failed
        return _logged_in(result, safe_next(data.next, home_for(result.user)))

    def show(form: FormResult[LoginForm], status: int) -> Response:
        # A refused login (or a throttle) is one message above the form: it is about no one field,
        # and must not say whether the email or the password was wrong.
        message = form.errors.pop(WHOLE_FORM, None)
        return render(
            request,
            "accounts/login.html",
            {"form": form, "message": message},
            status_code=status,
            headers=form.headers,
        )

    return await submit_form(request, LoginForm, save=save, show=show, refusal_status=None)


def _half_open(request: Request, session: SessionDep) -> tuple[AuthSession, User] | None:
    from app.accounts import sessions

    token = request.cookies.get(SESSION_COOKIE)
    found = sessions.lookup(session, token) if token else None
    if found is None or not found[0].mfa_pending:
        return None
    return found


@router.get("/login/verify", response_class=HTMLResponse)
def verify_page(request: Request, session: SessionDep, next: str | None = None) -> Response:
    if _half_open(request, session) is None:
        return see_other("/login")
    return render(
        request, "accounts/verify.html", {"form": FormResult(values={"next": next or ""})}
    )


@router.post("/login/verify", response_class=HTMLResponse)
async def verify_submit(request: Request, session: SessionDep, next: str | None = None) -> Response:
    found = _half_open(request, session)
    if found is None:
        return see_other("/login")
    auth_session, user = found

    def save(data: SecondFactorForm) -> Response:
        try:
            issued = auth.verify_second_factor(
                session,
                auth=auth_session,
                user=user,
                code=data.code,
                ip=client_ip(request),
                user_agent=user_agent(request),
            )
        except auth.LoginFailed as failed:
            raise BadRequest(failed.message, field="code") from failed
        return with_session_cookie(see_other(safe_next(next, home_for(user))), issued, user)

    return await submit_form(
        request,
        SecondFactorForm,
        save=save,
        show=_page_again(request, "accounts/verify.html"),
        otherwise="code",
        refusal_status=None,
    )


@router.post("/logout")
def logout(session: SessionDep, principal: CurrentPrincipal) -> RedirectResponse:
    auth.logout(session, principal=principal)
    response = see_other("/login?bye=1")
    response.delete_cookie(SESSION_COOKIE, path="/")
    # Tell the browser to drop cached pages and offline data too (health data must not linger).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, principal: OptionalPrincipal, kind: str = "client") -> Response:
    if principal is not None:
        return see_other(home_for(principal.user))
    return render(
        request,
        "accounts/signup.html",
        {
            "kind": "therapist" if kind == "therapist" else "client",
            "form": FormResult(values={}),
            **_choices(request),
        },
    )


@router.post("/signup/{kind}", response_class=HTMLResponse)
async def signup_submit(kind: str, request: Request, session: SessionDep) -> Response:
    """The same answer whether or not the email has an account: "check your email"."""
    if kind not in ("client", "therapist"):
        raise NotFound()
    model: type[TherapistSignup] | type[ClientSignup] = (
        TherapistSignup if kind == "therapist" else ClientSignup
    )

    def save(data: TherapistSignup | ClientSignup) -> Response:
        ask = signup.Applicant(
            kind=Role(kind),
            name=data.name,
            email=data.email,
            password=data.password,
            country=data.country,
            time_zone=data.time_zone,
            clinic_name=data.clinic_name if isinstance(data, TherapistSignup) else None,
            language=request_language(request),
        )
        demo_link = signup.request(session, ask=ask, ip=client_ip(request))  # may be throttled
        return render(
            request, "accounts/signup_sent.html", {"email": data.email, "demo_link": demo_link}
        )

    show = _page_again(request, "accounts/signup.html", kind=kind, **_choices(request))
    return await submit_form(
        request, model, save=save, show=show, otherwise="email", refusal_status=None
    )


@router.get("/signup/confirm/{signup_token}", response_class=HTMLResponse)
def signup_confirm_page(signup_token: str, request: Request, session: SessionDep) -> Response:
    """A page with a button, not an action: mail scanners open links, and must not make accounts."""
    try:
        pending = signup.find(session, signup_token)
    except NotFound as gone:
        return render(
            request, "accounts/invite_gone.html", {"detail": gone.detail}, status_code=404
        )
    return render(
        request, "accounts/signup_confirm.html", {"email": pending.email, "token": signup_token}
    )


@router.post("/signup/confirm/{signup_token}", response_class=HTMLResponse)
def signup_confirm(signup_token: str, request: Request, session: SessionDep) -> Response:
    try:
        user = signup.confirm(
            session,
            pending=signup.find(session, signup_token),
            language=negotiate(request.headers.get("accept-language")),
        )
    except (NotFound, Conflict) as refused:
        return render(
            request,
            "accounts/invite_gone.html",
            {"detail": refused.detail},
            status_code=refused.status,
        )
    result = auth.start_session(
        session, user=user, ip=client_ip(request), user_agent=user_agent(request)
    )
    return _logged_in(result, home_for(user))


@router.get("/invite/{token}", response_class=HTMLResponse)
def invite_page(token: str, request: Request, session: SessionDep) -> Response:
    try:
        invite = service.find_invite_by_token(session, token)
    except NotFound as gone:
        return render(
            request, "accounts/invite_gone.html", {"detail": gone.detail}, status_code=404
        )
    return _render_accept(
        request, session, invite, FormResult(values={}), action=f"/invite/{token}"
    )


def _render_accept(
    request: Request,
    session: SessionDep,
    invite: Invite,
    form: FormResult[Any],
    *,
    action: str,
    code: str | None = None,
    status_code: int = 200,
) -> Response:
    """The set-your-password page, reached by the invite link or by the spoken code."""
    invitee = session.get(User, invite.user_id) if invite.user_id else None
    if not form.values:
        form.values = {
            "name": invitee.preferred_name if invitee else "",
            "email": invite.email or "",
        }
    return render(
        request,
        "accounts/invite_accept.html",
        {
            "invite": invite,
            "invitee": invitee,
            "action": action,
            "code": code,
            "form": form,
            "zones": clock.sorted_zones(),
        },
        status_code=status_code,
    )


async def _complete_accept(
    request: Request,
    session: SessionDep,
    invite: Invite,
    values: dict[str, Any],
    *,
    action: str,
    code: str | None = None,
) -> Response:
    """Set the invited person's password and log them in, or show the form again with errors."""

    def save(data: InviteAccept) -> Response:
        user = service.accept_invite(
            session,
            invite=invite,
            email=data.email,
            password=data.password,
            name=data.name,
            time_zone=data.time_zone,
            language=negotiate(request.headers.get("accept-language")),
        )
        result = _log_in(request, session, email=data.email, password=data.password)
        return _logged_in(result, home_for(user) + "?welcome=1")

    return await submit_form(
        request,
        InviteAccept,
        values=values,
        save=save,
        show=lambda form, status: _render_accept(
            request, session, invite, form, action=action, code=code, status_code=status
        ),
        otherwise="email",
        refusal_status=None,
    )


@router.post("/invite/{token}", response_class=HTMLResponse)
async def invite_accept(token: str, request: Request, session: SessionDep) -> Response:
    try:
        invite = service.find_invite_by_token(session, token)
    except NotFound as gone:
        return render(
            request, "accounts/invite_gone.html", {"detail": gone.detail}, status_code=404
        )
    return await _complete_accept(
        request, session, invite, await read_form(request), action=f"/invite/{token}"
    )


@router.get("/join", response_class=HTMLResponse)
def join_page(request: Request) -> Response:
    return render(request, "accounts/join.html", {"form": FormResult(values={})})


@router.post("/join", response_class=HTMLResponse)
async def join_submit(
    request: Request, session: SessionDep, principal: OptionalPrincipal
) -> Response:
    """A code read out over the phone: either a new client's invite or a therapist link code."""

    def save(data: CodeForm) -> Response:
        invite = service.find_invite_by_code(  # unknown or throttled: shown beside the code
            session,
            code=data.code,
            ip=client_ip(request),
            actor=principal.user if principal else None,
        )
        if invite.kind == InviteKind.link:
            if principal is None or principal.role != Role.client:
                raise Conflict(
                    N_(
                        "This code links you to a therapist. Log in (or create an "
                        "account) first, then enter it under More."
                    ),
                    field="code",
                )
            therapist = service.link_therapist(session, client=principal, invite=invite)
            return see_other(f"/more?linked={therapist.preferred_name}")
        # A new client's invite: the same page as the link, reached by the code instead of the token.
        return _render_accept(
            request, session, invite, FormResult(values={}), action="/join/accept", code=data.code
        )

    return await submit_form(
        request,
        CodeForm,
        save=save,
        show=_page_again(request, "accounts/join.html"),
        otherwise="code",
        refusal_status=None,
    )


@router.post("/join/accept", response_class=HTMLResponse)
async def join_accept(request: Request, session: SessionDep) -> Response:
    values = await read_form(request)
    code = str(values.pop("invite_code", ""))
    try:
        invite = service.find_invite_by_code(session, code=code, ip=client_ip(request))
    except (NotFound, TooManyRequests) as refused:
        form: FormResult[CodeForm] = FormResult(values={}, errors={"code": refused.detail})
        return render(
            request,
            "accounts/join.html",
            {"form": form},
            status_code=refused.status,
            headers=refused.headers,
        )
    return await _complete_accept(
        request, session, invite, values, action="/join/accept", code=code
    )


@router.get("/forgot", response_class=HTMLResponse)
def forgot_page(request: Request) -> Response:
    return render(request, "accounts/forgot.html", {"form": FormResult(values={})})


@router.post("/forgot", response_class=HTMLResponse)
async def forgot_submit(request: Request, session: SessionDep) -> Response:
    def save(data: ForgotForm) -> Response:
        demo_link = auth.request_password_reset(session, email=data.email, ip=client_ip(request))
        sent = {"form": FormResult(values={}), "sent": True, "demo_link": demo_link}
        return render(request, "accounts/forgot.html", sent)

    return await submit_form(
        request,
        ForgotForm,
        save=save,
        show=_page_again(request, "accounts/forgot.html"),
        otherwise="email",
        refusal_status=None,
    )


@router.get("/reset/{reset_token}", response_class=HTMLResponse)
def reset_page(reset_token: str, request: Request, session: SessionDep) -> Response:
    try:
        auth.find_reset(session, reset_token)
    except NotFound as gone:
        return render(
            request, "accounts/invite_gone.html", {"detail": gone.detail}, status_code=404
        )
    return render(
        request, "accounts/reset.html", {"form": FormResult(values={}), "token": reset_token}
    )


@router.post("/reset/{reset_token}", response_class=HTMLResponse)
async def reset_submit(reset_token: str, request: Request, session: SessionDep) -> Response:
    try:
        reset = auth.find_reset(session, reset_token)
    except NotFound as gone:
        return render(
            request, "accounts/invite_gone.html", {"detail": gone.detail}, status_code=404
        )

    def save(data: ResetForm) -> Response:
        user = auth.complete_password_reset(session, reset=reset, password=data.password)
        assert user.email is not None
        result = _log_in(request, session, email=user.email, password=data.password)
        return _logged_in(result, home_for(user))

    return await submit_form(
        request,
        ResetForm,
        save=save,
        show=_page_again(request, "accounts/reset.html", token=reset_token),
        refusal_status=None,  # a reset refused by its service keeps its own status
    )
