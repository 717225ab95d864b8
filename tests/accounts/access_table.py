"""Foundation routes: health, accounts, caseload, admin, settings, crisis, PWA, home, docs."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from app.accounts.models import PendingSignup
from app.accounts.security import hash_password, new_token, token_hash
from tests.access import (
    ALLOW,
    ANY_USER,
    CLIENT_SELF,
    CLINIC_MANAGER,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    PUBLIC,
    THERAPIST_CLIENT_DATA,
    THERAPIST_ONLY,
    Expect,
    Route,
    World,
)

# Logged-in people are sent to their home page from the login and sign-up pages.
PUBLIC_PAGE = PUBLIC
EVERYONE_TO_LOGIN = Expect(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)
# The matrix posts no code: an unknown code is a 404 for anyone (the route itself is public).
UNKNOWN_CODE = Expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)

ROUTES = [
    Route("GET", "/healthz", PUBLIC),
    Route("GET", "/healthz/live", PUBLIC),
    Route("GET", "/docs", PUBLIC),
    Route("GET", "/openapi.json", PUBLIC),
    Route("GET", "/", ANY_USER),  # anonymous people are sent to the login page
    Route("GET", "/login", PUBLIC_PAGE),
    Route("POST", "/login", PUBLIC),
    # Without a half-open (password checked, code pending) session, everyone is sent to log in.
    Route("GET", "/login/verify", EVERYONE_TO_LOGIN),
    Route("POST", "/login/verify", EVERYONE_TO_LOGIN),
    Route("POST", "/logout", ANY_USER),
    Route("GET", "/signup", PUBLIC_PAGE),
    Route("POST", "/signup/{kind}", PUBLIC),
    # A pending sign-up's link: anyone holding it may finish it (the email proved the address).
    Route("GET", "/signup/confirm/{signup_token}", PUBLIC),
    Route("POST", "/signup/confirm/{signup_token}", PUBLIC),
    Route("GET", "/invite/{token}", PUBLIC),
    Route("POST", "/invite/{token}", PUBLIC),
    Route("GET", "/join", PUBLIC),
    Route("POST", "/join", PUBLIC),
    Route("POST", "/join/accept", UNKNOWN_CODE),
    Route("GET", "/forgot", PUBLIC),
    Route("POST", "/forgot", PUBLIC),
    Route("GET", "/reset/{reset_token}", PUBLIC),
    Route("POST", "/reset/{reset_token}", PUBLIC),
    Route("GET", "/settings", ANY_USER),
    Route("POST", "/settings/profile", ANY_USER),
    Route("POST", "/settings/password", ANY_USER),
    Route("POST", "/settings/logout-others", ANY_USER),
    Route("GET", "/settings/sharing", CLIENT_SELF),
    Route("POST", "/settings/sharing", CLIENT_SELF),
    Route("GET", "/settings/two-factor", ANY_USER),
    Route("POST", "/settings/two-factor/start", ANY_USER),
    Route("POST", "/settings/two-factor/confirm", ANY_USER),
    Route("POST", "/settings/two-factor/disable", ANY_USER),
    Route("POST", "/settings/two-factor/recovery-codes", ANY_USER),
    Route(
        "POST",
        "/settings/link-therapist",
        Expect(LOGIN, ALLOW, ALLOW, ALLOW, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
    Route("GET", "/caseload", THERAPIST_ONLY),
    Route("GET", "/caseload/new", THERAPIST_ONLY),
    Route("POST", "/caseload/new", THERAPIST_ONLY),
    Route("POST", "/caseload/link-code", THERAPIST_ONLY),
    Route("GET", "/caseload/{client_id}", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/invite", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/end", THERAPIST_CLIENT_DATA),
    Route("GET", "/admin", CLINIC_MANAGER),
    Route("POST", "/admin/invite", CLINIC_MANAGER),
    Route("POST", "/admin/users/{user_id}/active", CLINIC_MANAGER),
    Route("GET", "/admin/audit", CLINIC_MANAGER),
    Route("GET", "/admin/audit.csv", CLINIC_MANAGER),
    Route("GET", "/today", CLIENT_SELF),
    Route("GET", "/more", CLIENT_SELF),
    Route("GET", "/library", THERAPIST_ONLY),
    Route("GET", "/crisis", PUBLIC),
    Route("GET", "/api/v1/crisis-lines", PUBLIC),
    Route("GET", "/sw.js", PUBLIC),
    Route("GET", "/manifest.webmanifest", PUBLIC),
    Route("GET", "/offline", PUBLIC),
    Route("GET", "/api/v1/me", ANY_USER),
    Route("PATCH", "/api/v1/me", ANY_USER),
    Route("GET", "/api/v1/me/sessions", ANY_USER),
    Route("DELETE", "/api/v1/me/sessions/others", ANY_USER),
    Route("GET", "/api/v1/caseload", THERAPIST_ONLY),
    Route("POST", "/api/v1/clients", THERAPIST_ONLY),
    Route(
        "GET",
        "/api/v1/clients/{client_id}",
        Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, ALLOW, NOT_FOUND, NOT_FOUND),
    ),
    Route("DELETE", "/api/v1/clients/{client_id}/care-link", THERAPIST_CLIENT_DATA),
    Route("GET", "/api/v1/admin/audit", CLINIC_MANAGER),
]


_HASH = hash_password("matrix sign-up password")


def build(world: World) -> dict[str, str]:
    """A pending self sign-up, as its confirmation email would link to it."""
    token = new_token()
    world.session.add(
        PendingSignup(
            token_hash=token_hash(token),
            email=f"pending-{token[:8].lower()}@example.test",
            kind="client",
            name="Pending",
            country="GB",
            time_zone="Europe/London",
            password_hash=_HASH,
            expires_at=clock.now() + timedelta(days=1),
        )
    )
    world.session.flush()
    return {"signup_token": token}
