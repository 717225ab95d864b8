"""Logging in and out, sessions, CSRF, throttling and two-factor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts import two_factor
from app.accounts.models import AuthSession, User
from app.accounts.sessions import lookup
from app.audit.models import AuditEvent
from app.web_security import SESSION_COOKIE
from tests import factories

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _login(http: Any, email: str, password: str) -> Any:
    http.as_(None)
    return http.post("/login", data={"email": email, "password": password, "csrf_token": http.csrf})


def test_login_starts_a_session_and_lands_on_the_role_home(http: Any, client_user: User) -> None:
    response = _login(http, client_user.email, factories.PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    cookie = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("Lax", "lax")
    assert http.get("/today").status_code == 200


def test_wrong_password_and_unknown_account_get_the_same_answer(
    http: Any, client_user: User
) -> None:
    wrong = _login(http, client_user.email, "not the password")
    unknown = _login(http, "nobody@example.test", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match" in wrong.text
    assert "do not match" in unknown.text
    assert wrong.text.replace(client_user.email, "X").count("do not match") == unknown.text.count(
        "do not match"
    )


def test_failed_login_is_audited(http: Any, session: Session, client_user: User) -> None:
    _login(http, client_user.email, "nope")
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.actor_id == client_user.id)
    ).all()
    assert "auth.login_failed" in actions


def test_repeated_failures_ask_to_wait_then_allow_again(http: Any, client_user: User) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        for _ in range(5):
            assert _login(http, client_user.email, "wrong").status_code == 400
        # The sixth try is refused even with the right password: the answer says how long to wait.
        limited = _login(http, client_user.email, factories.PASSWORD)
        assert limited.status_code == 429
        assert "wait" in limited.text
        assert "Retry-After" in limited.headers
    with clock.frozen_at(start + timedelta(minutes=2)):
        assert _login(http, client_user.email, factories.PASSWORD).status_code == 303


def test_throttling_is_the_same_for_unknown_accounts(http: Any) -> None:
    with clock.frozen_at(clock.now()):
        for _ in range(5):
            _login(http, "ghost@example.test", "wrong")
        assert _login(http, "ghost@example.test", "wrong").status_code == 429


def test_logout_ends_the_session_for_real(http: Any, session: Session, client_user: User) -> None:
    http.as_(client_user)
    token = http.client.cookies.get(SESSION_COOKIE)
    assert http.post("/logout").status_code == 303
    assert lookup(session, token) is None
    # Replaying the old cookie gets the login page, not the person's data.
    http.client.cookies.set(SESSION_COOKIE, token)
    assert http.get("/today").headers["location"].startswith("/login")


def test_log_out_my_other_devices_keeps_this_one(
    http: Any, session: Session, client_user: User
) -> None:
    other_token, _ = factories.login_token(session, client_user)
    http.as_(client_user)
    assert http.post("/settings/logout-others").status_code == 303
    assert lookup(session, other_token) is None
    assert http.get("/today").status_code == 200


def test_login_replaces_any_previous_session_token(http: Any, client_user: User) -> None:
    first = _login(http, client_user.email, factories.PASSWORD).cookies.get(SESSION_COOKIE)
    second = _login(http, client_user.email, factories.PASSWORD).cookies.get(SESSION_COOKIE)
    assert first
    assert second
    assert first != second


def test_client_sessions_last_weeks_and_staff_sessions_hours(
    session: Session, client_user: User, therapist: User
) -> None:
    factories.login_token(session, client_user)
    factories.login_token(session, therapist)
    rows = {r.user_id: r for r in session.exec(select(AuthSession)).all()}
    client_life = rows[client_user.id].expires_at - rows[client_user.id].created_at
    staff_life = rows[therapist.id].expires_at - rows[therapist.id].created_at
    assert client_life >= timedelta(days=30)
    assert staff_life <= timedelta(hours=12)


def test_a_client_session_slides_forward_with_use(
    http: Any, session: Session, client_user: User
) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        http.as_(client_user)
    with clock.frozen_at(start + timedelta(days=40)):
        assert http.get("/today").status_code == 200
        record = session.exec(
            select(AuthSession).where(AuthSession.user_id == client_user.id)
        ).one()
        assert record.expires_at > start + timedelta(days=90)


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-CSRF-Token": "forged"}],
    ids=["missing token", "wrong token"],
)
def test_state_changes_need_the_sessions_csrf_token(
    http: Any, client_user: User, headers: dict[str, str]
) -> None:
    http.as_(client_user)
    response = http.client.post("/settings/logout-others", headers=headers)
    assert response.status_code == 403


def test_cross_site_requests_are_refused_even_with_a_token(http: Any, client_user: User) -> None:
    http.as_(client_user)
    response = http.post(
        "/settings/logout-others",
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403


def test_totp_protects_login_once_enabled(http: Any, session: Session, therapist: User) -> None:
    with clock.frozen_at(MONDAY):
        http.as_(therapist)
        assert http.post("/settings/two-factor/start").status_code == 200
        session.refresh(therapist)
        totp = pyotp.TOTP(two_factor.unseal(therapist.totp_secret))
        confirmed = http.post(
            "/settings/two-factor/confirm",
            data={"code": totp.at(clock.now()), "csrf_token": http.csrf},
        )
        assert confirmed.status_code == 200
        clock.advance(timedelta(seconds=30))
        response = _login(http, therapist.email, factories.PASSWORD)
        assert response.headers["location"] == "/login/verify"
        # Half-open: no access to anything until the code is given.
        assert http.get("/caseload").headers["location"].startswith("/login")
        http.client.cookies.set("gw_csrf", http.csrf)
        bad = http.post("/login/verify", data={"code": "000000", "csrf_token": http.csrf})
        assert bad.status_code == 400
        good = http.post(
            "/login/verify", data={"code": totp.at(clock.now()), "csrf_token": http.csrf}
        )
        assert good.status_code == 303
        assert good.headers["location"] == "/caseload"
        assert http.get("/caseload").status_code == 200


def test_clinics_can_require_two_step_login_for_staff(
    http: Any, therapist: User, client_user: User, monkeypatch: Any
) -> None:
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "require_staff_totp", True)
    http.as_(therapist)
    page = http.get("/caseload")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/settings/two-factor")
    api = http.get(f"/api/v1/clients/{client_user.id}")
    assert api.status_code == 403
    assert api.json()["type"] == "/problems/second-factor-required"
    # Clients are never asked, and setting it up stays reachable.
    assert http.get("/settings/two-factor").status_code == 200
    http.as_(client_user)
    assert http.get("/today").status_code == 200
