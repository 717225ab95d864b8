"""Web security every module shares: cookie and header names, the signed-in `Principal`, and the
CSRF check.

Shared modules (the middleware, the health route, the app factory) and every domain's routes need
these names; keeping them here means none of them imports the accounts domain for a constant.
Accounts still owns sessions and logins (`app/accounts/sessions.py`) and the policy owns access
decisions (`app/accounts/policy.py`); this module decides nothing about who may see what.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from fastapi import Request

from app.config import get_settings
from app.db import UNSAFE_METHODS
from app.errors import Forbidden

if TYPE_CHECKING:  # names only: a runtime import would make this shared module depend on accounts
    from app.accounts.models import AuthSession, Role, User

SESSION_COOKIE = "gw_session"
ANON_CSRF_COOKIE = "gw_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
# Routes marked with openapi_extra={CSRF_EXEMPT: True} authorise themselves with a signed token.
CSRF_EXEMPT = "x-csrf-exempt"
# Routes marked with openapi_extra={NO_PRINCIPAL: True} never look the session up: liveness must
# not touch the database, signed in or not.
NO_PRINCIPAL = "x-no-principal"

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Principal:
    """Who is asking: the user and the server-side session they hold."""

    user: User
    session: AuthSession

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def organisation_id(self) -> uuid.UUID | None:
        return self.user.organisation_id

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token


def route_flag(request: Request, flag: str) -> bool:
    """Whether the matched route carries `openapi_extra={flag: True}`."""
    route = request.scope.get("route")
    return bool((getattr(route, "openapi_extra", None) or {}).get(flag))


def same_origin(request: Request) -> bool:
    """Browsers say where a request came from; anything cross-site is refused before the token check."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site and fetch_site not in {"same-origin", "none"}:
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        allowed = {
            f"{request.url.scheme}://{request.url.netloc}",
            get_settings().base_url.rstrip("/"),
        }
        parts = urlsplit(origin)
        return f"{parts.scheme}://{parts.netloc}" in allowed
    return True


def raise_if_database_unavailable(request: Request) -> None:
    """The principal could not be looked up (the loader left the error on the request): answer
    503 (app/unavailable.py), not "log in"."""
    error = getattr(request.state, "database_error", None)
    if error is not None:
        raise error


def expected_csrf(request: Request, principal: Principal | None) -> str | None:
    """The token a write must carry: the session's, or before login the anonymous cookie's."""
    if principal is not None:
        return principal.csrf_token
    return request.cookies.get(ANON_CSRF_COOKIE)


async def check_csrf(request: Request, principal: Principal | None) -> None:
    """Every state-changing request carries the token bound to its session (or, before login, to the
    anonymous cookie), in the `X-CSRF-Token` header or the `csrf_token` form field.

    The caller has looked the principal up; if that failed, a write answers 503."""
    if request.method not in UNSAFE_METHODS:
        return
    if route_flag(request, CSRF_EXEMPT):
        # The request carries its own single-purpose signed token instead (RFC 8058 one-click
        # unsubscribe from a mail provider; a notification's Done/Snooze with no page open).
        return
    if not same_origin(request):
        raise Forbidden("This request came from another site and was refused.")
    if principal is None:
        raise_if_database_unavailable(request)
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    expected = expected_csrf(request, principal)
    if (
        not supplied
        or not expected
        or not hmac.compare_digest(supplied.encode(), expected.encode())
    ):
        raise Forbidden(
            "This form has expired (it was open too long or you logged in elsewhere). "
            "Please reload the page and try again."
        )
