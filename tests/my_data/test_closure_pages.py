"""Closing my account through the pages: the password asked, everything stopped, the therapist and
the client told by real email (aiosmtpd), restored from the emailed link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.config import get_settings
from app.my_data import closure
from tests import factories
from tests.conftest import Http
from tests.reminders.smtp_server import Inbox, smtp_server

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    settings = get_settings()
    old = settings.smtp_port
    with smtp_server() as (received, port):
        settings.smtp_port = port
        try:
            yield received
        finally:
            settings.smtp_port = old


def test_the_page_says_what_happens_and_what_the_clinic_keeps(
    http: Http, session: Session, client_user: User, therapist: User
) -> None:
    assert client_user.organisation_id is not None
    with clock.frozen_at(NOW):
        closure.set_retention(
            session, admin=therapist, organisation_id=client_user.organisation_id, years=20
        )
        page = http.as_(client_user).get("/my-data/close").text
        # Still at NOW: the session made at NOW would have expired by a later real date.
        overview = http.get("/my-data").text
    assert "for 20 years" in page
    assert "Your questionnaire answers (PHQ-9, GAD-7)" in page
    assert "Session notes your therapist wrote" in page
    assert "2 December 2026" in page  # 14 days after 18 November
    assert 'href="/my-data/close"' in overview


def test_a_wrong_password_keeps_the_account_open(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        wrong = http.post(
            "/my-data/close", data={"csrf_token": http.csrf, "current_password": "nope"}
        )
    assert wrong.status_code == 422
    assert "That password isn&#39;t right" in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert closure.current(session, client_user.id) is None
    assert client_user.is_active


def test_closing_logs_out_tells_the_therapist_and_the_link_restores(
    http: Http, session: Session, client_user: User, therapist: User, inbox: Inbox
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        done = http.post(
            "/my-data/close",
            data={"csrf_token": http.csrf, "current_password": factories.PASSWORD},
        )
        assert done.status_code == 303
        assert done.headers["location"] == "/account/closed?emailed=1"
        assert "gw_session=" in done.headers["set-cookie"]
        assert done.headers["clear-site-data"] == '"cache", "storage"'
        # The old session no longer works: straight back to the login page.
        assert http.get("/my-data").status_code in (303, 401)
        assert "emailed you a link" in http.get("/account/closed?emailed=1").text
    to_therapist = next(m for m in inbox.messages if m["To"] == therapist.email)
    body = to_therapist.get_content()
    first = client_user.preferred_name.split()[0]
    assert to_therapist["Subject"] == "A client closed their Groundwork account"
    assert f"{first} has closed their Groundwork account" in body
    assert "You can no longer open their record" in body
    assert "Wednesday 2 December 2026" in body
    to_client = next(m for m in inbox.messages if m["To"] == client_user.email)
    link = re.search(r"http\S+/account/restore/(\S+)", to_client.get_content())
    assert link is not None
    path = f"/account/restore/{link.group(1)}"
    with clock.frozen_at(NOW + timedelta(days=13)):
        http.as_(None)
        assert "Restore my account" in http.get(path).text
        restored = http.post(path, data={"csrf_token": http.csrf})
        assert restored.status_code == 200
        assert "Welcome back" in restored.text
        assert http.get(path).status_code == 404
    session.refresh(client_user)
    assert client_user.is_active
