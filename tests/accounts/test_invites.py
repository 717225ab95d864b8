"""A therapist adds a client and invites them; self sign-up; linking a therapist with a code."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.accounts.models import CareLink, Role, User
from tests import factories
from tests.accounts.test_signup import confirm_path, signup
from tests.reminders.smtp_server import Inbox


def _add_client(http: Any, therapist: User, name: str = "Robin") -> tuple[str, str, str]:
    http.as_(therapist)
    page = http.post(
        "/caseload/new",
        data={"name": name, "time_zone": "Europe/London", "country": "GB", "csrf_token": http.csrf},
    )
    assert page.status_code == 201
    link = re.search(r"data-invite-link>([^<]+)<", page.text).group(1)
    code = re.search(r"data-invite-code>([^<]+)<", page.text).group(1)
    token = link.rsplit("/", 1)[1]
    return link, token, code


def _accept(http: Any, path: str, email: str, extra: dict[str, str] | None = None) -> Any:
    http.as_(None)
    data = {
        "name": "Robin",
        "email": email,
        "password": "a calm river flows",
        "password_confirm": "a calm river flows",
        "time_zone": "America/New_York",
        "csrf_token": http.csrf,
        **(extra or {}),
    }
    return http.post(path, data=data)


def test_invite_link_sets_password_and_lands_on_today(
    http: Any, session: Session, therapist: User
) -> None:
    _, token, _ = _add_client(http, therapist)
    response = _accept(http, f"/invite/{token}", "robin@example.test")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/today")
    robin = session.exec(select(User).where(User.email == "robin@example.test")).one()
    assert robin.role == Role.client
    assert robin.time_zone == "America/New_York"
    link = session.exec(select(CareLink).where(CareLink.client_id == robin.id)).one()
    assert link.therapist_id == therapist.id
    assert http.get("/today").status_code == 200


def test_invite_works_only_once(http: Any, therapist: User) -> None:
    _, token, _ = _add_client(http, therapist)
    assert _accept(http, f"/invite/{token}", "once@example.test").status_code == 303
    again = _accept(http, f"/invite/{token}", "twice@example.test")
    assert again.status_code == 404
    assert "expired or was already used" in again.text


def test_invite_expires(http: Any, therapist: User) -> None:
    _, token, _ = _add_client(http, therapist)
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        assert http.get(f"/invite/{token}").status_code == 404


def test_the_short_code_works_in_any_case_and_spacing(http: Any, therapist: User) -> None:
    _, _, code = _add_client(http, therapist)
    http.as_(None)
    spoken = code.lower().replace("-", " ")
    page = http.post("/join", data={"code": spoken, "csrf_token": http.csrf})
    assert page.status_code == 200
    assert "Choose a password" in page.text
    done = _accept(http, "/join/accept", "coded@example.test", {"invite_code": spoken})
    assert done.status_code == 303


def test_accept_form_errors_are_shown_beside_fields_and_keep_input(
    http: Any, therapist: User
) -> None:
    _, token, _ = _add_client(http, therapist)
    http.as_(None)
    page = http.post(
        f"/invite/{token}",
        data={
            "name": "Robin",
            "email": "not-an-email",
            "password": "short",
            "password_confirm": "short",
            "time_zone": "Mars/Olympus",
            "csrf_token": http.csrf,
        },
    )
    assert page.status_code == 422
    assert 'id="f-email-error"' in page.text
    assert 'id="f-password-error"' in page.text
    assert 'value="not-an-email"' in page.text  # what was typed is kept…
    assert 'value="short"' not in page.text  # …except passwords


def test_self_signup_then_link_a_therapist_with_a_code(
    http: Any, session: Session, therapist: User, inbox: Inbox
) -> None:
    assert signup(http, "kai@example.test").status_code == 200
    assert http.post(confirm_path(inbox.messages[0])).status_code == 303
    kai = session.exec(select(User).where(User.email == "kai@example.test")).one()
    assert kai.organisation_id is None
    http.as_(therapist)
    page = http.post("/caseload/link-code")
    code = re.search(r'class="code"[^>]*>([^<]+)<', page.text).group(1)
    http.as_(kai)
    assert http.post("/settings/link-therapist", data={"code": code}).status_code == 303
    assert (
        session.exec(select(CareLink).where(CareLink.client_id == kai.id)).one().therapist_id
        == therapist.id
    )


def test_admin_invites_a_therapist(http: Any, session: Session, clinic: Any) -> None:
    admin = factories.admin(session, clinic)
    http.as_(admin)
    page = http.post("/admin/invite", data={"email": "new.ot@example.test"})
    assert page.status_code == 201
    token = re.search(r"/invite/([\w-]+)", page.text).group(1)
    assert _accept(http, f"/invite/{token}", "new.ot@example.test").status_code == 303
    new = session.exec(select(User).where(User.email == "new.ot@example.test")).one()
    assert new.role == Role.therapist
    assert new.organisation_id == clinic.id


def test_password_reset_by_email(http: Any, client_user: User, monkeypatch: Any) -> None:
    sent: list[Any] = []
    monkeypatch.setattr("app.mailer.send", lambda message: sent.append(message) or True)
    http.as_(None)
    known = http.post("/forgot", data={"email": client_user.email, "csrf_token": http.csrf})
    unknown = http.post("/forgot", data={"email": "nobody@example.test", "csrf_token": http.csrf})
    assert known.status_code == unknown.status_code == 200
    assert len(sent) == 1
    link = re.search(r"http://testserver(/reset/\S+)", sent[0].get_content()).group(1)
    done = http.post(
        link,
        data={
            "password": "a brand new start",
            "password_confirm": "a brand new start",
            "csrf_token": http.csrf,
        },
    )
    assert done.status_code == 303
    http.as_(None)
    assert (
        http.post(
            link, data={"password": "x" * 12, "password_confirm": "x" * 12, "csrf_token": http.csrf}
        ).status_code
        == 404
    )
