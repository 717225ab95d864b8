"""Sign-up answers the same whether or not an email has an account, and is rate-limited.

Real SMTP (aiosmtpd on loopback) receives what the app sends."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.accounts import signup as signup_service
from app.accounts import throttle
from app.accounts.models import PendingSignup, User
from app.accounts.security import verify_password
from app.config import get_settings
from tests import factories
from tests.reminders.smtp_server import Inbox

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def group(found: re.Match[str] | None, n: int = 1) -> str:
    """The match's group, failing the test (not crashing) when the page lacks it."""
    assert found is not None
    return found.group(n)


def signup(http: Any, email: str | None, kind: str = "client", **extra: str) -> Any:
    assert email is not None
    http.as_(None)
    data = {
        "name": "Kai",
        "email": email,
        "password": "steady steps daily",
        "password_confirm": "steady steps daily",
        "country": "NZ",
        "time_zone": "Pacific/Auckland",
        "csrf_token": http.csrf,
        **extra,
    }
    return http.post(f"/signup/{kind}", data=data)


def confirm_path(message: Any) -> str:
    return group(re.search(r"http://testserver(/signup/confirm/\S+)", message.get_content()))


def _to(inbox: Inbox, email: str | None) -> list[Any]:
    return [m for m in inbox.messages if m["To"] == email]


def test_the_answer_is_the_same_for_a_new_and_an_existing_email(
    http: Any, session: Session, inbox: Inbox
) -> None:
    existing = factories.client(session)
    with clock.frozen_at(MONDAY):
        taken = signup(http, existing.email)
        fresh = signup(http, "kai@example.test")
    assert taken.status_code == fresh.status_code == 200
    assert taken.text.replace(existing.email, "EMAIL") == fresh.text.replace(
        "kai@example.test", "EMAIL"
    )
    assert "Check your email" in fresh.text
    assert "gw_session" not in taken.headers.get("set-cookie", "")
    assert "gw_session" not in fresh.headers.get("set-cookie", "")
    [notice] = _to(inbox, existing.email)
    assert notice["Subject"] == "Someone tried to sign up with your email"
    assert "/forgot" in notice.get_content()
    [welcome] = _to(inbox, "kai@example.test")
    assert welcome["Subject"] == "Finish setting up Groundwork"
    # No account exists until the link is opened, and the existing one is untouched.
    assert session.exec(select(User).where(User.email == "kai@example.test")).first() is None
    session.refresh(existing)
    assert verify_password(existing.password_hash, factories.PASSWORD)


def test_the_link_makes_the_account_and_logs_in_once(
    http: Any, session: Session, inbox: Inbox
) -> None:
    with clock.frozen_at(MONDAY):
        signup(http, "kai@example.test")
        path = confirm_path(_to(inbox, "kai@example.test")[0])
        page = http.get(path)
        assert page.status_code == 200
        assert "Start using Groundwork" in page.text
        # Opening the link (a mail scanner does) makes nothing; the button does.
        assert session.exec(select(User).where(User.email == "kai@example.test")).first() is None
        done = http.post(path)
        assert done.status_code == 303
        assert done.headers["location"] == "/today"
        assert http.get("/today").status_code == 200
        kai = session.exec(select(User).where(User.email == "kai@example.test")).one()
        assert kai.time_zone == "Pacific/Auckland"
        assert kai.organisation_id is None
        http.as_(None)
        assert http.post(path).status_code == 404


def test_a_therapist_signup_makes_a_clinic_they_manage(
    http: Any, session: Session, inbox: Inbox
) -> None:
    with clock.frozen_at(MONDAY):
        signup(http, "lee@example.test", "therapist", clinic_name="Harbour OT")
        done = http.post(confirm_path(_to(inbox, "lee@example.test")[0]))
        assert done.headers["location"] == "/caseload"
        lee = session.exec(select(User).where(User.email == "lee@example.test")).one()
        assert lee.is_clinic_admin
        assert lee.organisation_id is not None
        assert http.get("/admin").status_code == 200


def test_someone_elses_pending_signup_cannot_take_the_address(
    http: Any, session: Session, inbox: Inbox
) -> None:
    with clock.frozen_at(MONDAY):
        signup(
            http, "kai@example.test", password="intruder pass 1", password_confirm="intruder pass 1"
        )
        signup(http, "kai@example.test")
        first, second = (confirm_path(m) for m in _to(inbox, "kai@example.test"))
        # The owner reads their inbox and opens the second link; the first is then refused.
        assert http.post(second).status_code == 303
        http.as_(None)
        assert http.post(first).status_code == 409
    kai = session.exec(select(User).where(User.email == "kai@example.test")).one()
    assert verify_password(kai.password_hash, "steady steps daily")


def test_links_expire_after_a_day_and_are_then_forgotten(
    http: Any, session: Session, inbox: Inbox
) -> None:
    with clock.frozen_at(MONDAY):
        signup(http, "kai@example.test")
    path = confirm_path(_to(inbox, "kai@example.test")[0])
    with clock.frozen_at(MONDAY + timedelta(hours=25)):
        assert http.get(path).status_code == 404
        assert signup_service.prune(session) == 1
    assert session.exec(select(PendingSignup)).all() == []


def test_an_existing_account_gets_at_most_one_notice_an_hour(
    http: Any, session: Session, inbox: Inbox
) -> None:
    existing = factories.client(session)
    with clock.frozen_at(MONDAY):
        for _ in range(3):
            assert signup(http, existing.email).status_code == 200
        clock.advance(timedelta(minutes=61))
        signup(http, existing.email)
    assert len(_to(inbox, existing.email)) == 2


def test_signups_from_one_address_are_rate_limited(
    http: Any, session: Session, inbox: Inbox
) -> None:
    with clock.frozen_at(MONDAY):
        for n in range(throttle.SIGNUP_ADDRESS.free):
            assert signup(http, f"bot{n}@example.test").status_code == 200
        refused = signup(http, "bot-extra@example.test")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert "Please wait" in refused.text
        pending = session.exec(select(PendingSignup.email)).all()
        assert "bot-extra@example.test" not in pending
        assert len(inbox.messages) == throttle.SIGNUP_ADDRESS.free
        clock.advance(timedelta(seconds=int(refused.headers["retry-after"])))
        assert signup(http, "bot-extra@example.test").status_code == 200


def test_development_shows_the_link_when_email_is_not_set_up(http: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(get_settings(), "environment", "development")
    with clock.frozen_at(MONDAY):
        page = signup(http, "kai@example.test")
        assert "data-demo-signup" in page.text
        path = group(re.search(r'href="http://testserver(/signup/confirm/[^"]+)"', page.text))
        assert http.post(path).status_code == 303
