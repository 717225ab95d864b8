"""A new account starts in the language of the browser that made it (then it is the person's own
setting: tests/platform/test_i18n.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from tests.accounts.test_invites import _accept, _add_client
from tests.accounts.test_signup import _to, confirm_path, signup
from tests.reminders.smtp_server import Inbox

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("header", "expected"), [("es-419,es;q=0.9", "es"), ("en-US", "en")])
def test_a_self_signup_takes_the_browsers_language(
    http: Any, session: Session, inbox: Inbox, header: str, expected: str
) -> None:
    with clock.frozen_at(MONDAY):
        signup(http, "noa@example.test")
        path = confirm_path(_to(inbox, "noa@example.test")[0])
        done = http.post(path, headers={"Accept-Language": header})
        assert done.status_code == 303
        noa = session.exec(select(User).where(User.email == "noa@example.test")).one()
        assert noa.language == expected
        today = http.get("/calm")
        assert f'<html lang="{expected}">' in today.text


def test_an_invited_client_takes_the_browsers_language(
    http: Any, session: Session, therapist: User
) -> None:
    _, token, _ = _add_client(http, therapist)
    http.as_(None)
    response = http.post(
        f"/invite/{token}",
        data={
            "name": "Robin",
            "email": "robin-es@example.test",
            "password": "a calm river flows",
            "password_confirm": "a calm river flows",
            "time_zone": "America/Mexico_City",
            "csrf_token": http.csrf,
        },
        headers={"Accept-Language": "es-MX"},
    )
    assert response.status_code == 303
    robin = session.exec(select(User).where(User.email == "robin-es@example.test")).one()
    assert robin.language == "es"
    assert therapist.language == "en"  # the therapist keeps their own


def test_an_invite_accepted_from_an_english_browser_stays_english(
    http: Any, session: Session, therapist: User
) -> None:
    _, token, _ = _add_client(http, therapist)
    assert _accept(http, f"/invite/{token}", "robin-en@example.test").status_code == 303
    robin = session.exec(select(User).where(User.email == "robin-en@example.test")).one()
    assert robin.language == "en"
