"""Small helpers shared by the account pages: cookies, redirects, where to land after login."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from app.accounts.models import Role, User
from app.accounts.sessions import IssuedSession, lifetime
from app.config import get_settings
from app.web_security import SESSION_COOKIE

HOME_FOR_ROLE = {Role.client: "/today", Role.therapist: "/caseload", Role.admin: "/admin"}


def home_for(user: User) -> str:
    return HOME_FOR_ROLE[user.role]


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: an open redirect would make the login page a phishing tool."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def with_session_cookie(
    response: RedirectResponse, issued: IssuedSession, user: User
) -> RedirectResponse:
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=int(lifetime(user.role).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path="/",
    )
    return response


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")[:300]
