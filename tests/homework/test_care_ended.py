"""After a care link ends, nothing new of that client reaches the former therapist, and the
client sees that therapist's homework as closed (issue 16, point 4)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import CareLink, User
from app.digest import items
from app.homework import queries, reminder_source
from app.homework.models import HomeworkMessage, HomeworkNotice
from app.homework.today import today_section
from app.sections import Section
from tests import factories
from tests.homework.helpers import in_days

NOW = datetime(2026, 11, 18, 10, tzinfo=UTC)  # a Wednesday morning in London


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """Every step at one fixed moment: the homework's days never depend on today's real date."""
    with clock.frozen_at(NOW):
        yield


def _assign(http: Any, therapist: User, client: User) -> dict[str, Any]:
    body = {
        "kind": "task",
        "title": "Write a shopping list",
        "frequency": "daily",
        "due_on": in_days(client, 6).isoformat(),
    }
    r = http.as_(therapist).post(f"/api/v1/clients/{client.id}/homework", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _end_care(http: Any, therapist: User, client: User) -> None:
    r = http.as_(therapist).delete(f"/api/v1/clients/{client.id}/care-link")
    assert r.status_code == 204, r.text


def test_after_care_ends_the_client_cannot_post_and_the_therapist_hears_nothing(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    a = _assign(http, therapist, client_user)
    hw = f"/api/v1/homework/{a['id']}"
    assert http.as_(client_user).post(f"{hw}/actions", json={"action": "accept"}).status_code == 200
    assert http.post(f"{hw}/messages", json={"body": "Before the end"}).status_code == 201
    assert len(http.as_(therapist).get("/api/v1/homework-notices").json()) == 1
    _end_care(http, therapist, client_user)

    # The client's view: closed, no actions; every write is refused with a kind explanation.
    mine = http.as_(client_user).get("/api/v1/homework").json()
    assert [(x["closed"], x["allowed_actions"]) for x in mine] == [(True, [])]
    assert http.get(hw).json()["assignment"]["closed"] is True
    for path, body in (
        ("messages", {"body": "Are you still there?"}),
        ("completions", {"reflection": "Did it"}),
        ("actions", {"action": "ask_change", "reason": "Fewer days"}),
    ):
        r = http.post(f"{hw}/{path}", json=body)
        assert r.status_code == 409, (path, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "care with this therapist ended" in r.json()["detail"]
    assert len(session.exec(select(HomeworkMessage)).all()) == 1
    assert len(session.exec(select(HomeworkNotice)).all()) == 1  # no new notice was written

    # The former therapist: no notices (not even the unread one from before), no digest items.
    assert http.as_(therapist).get("/api/v1/homework-notices").json() == []
    assert queries.unread_count(session, therapist.id) == 0
    assert (
        items.unread_since(session, therapist_id=therapist.id, since=None, until=clock.now()) == []
    )
    assert http.as_(therapist).get(hw).status_code == 404


def test_closed_homework_leaves_today_and_its_reminders_stop(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    a = _assign(http, therapist, client_user)
    http.as_(client_user).post(f"/api/v1/homework/{a['id']}/actions", json={"action": "accept"})
    day = clock.local_today(client_user.time_zone)
    source = uuid.UUID(a["id"])

    def on_today() -> Section | None:
        return today_section(session=session, client=client_user, day=day, now=clock.now())

    assert on_today() is not None
    assert reminder_source.still_due(session=session, source_id=source, local_day=day)
    _end_care(http, therapist, client_user)
    session.expire_all()
    assert on_today() is None
    assert not reminder_source.still_due(session=session, source_id=source, local_day=day)


def test_a_new_therapist_keeps_hearing_and_the_old_homework_stays_closed(
    http: Any, session: Session, clinic: Any, therapist: User, client_user: User
) -> None:
    old = _assign(http, therapist, client_user)
    other = factories.therapist(session, clinic)
    session.add(CareLink(therapist_id=other.id, client_id=client_user.id))
    session.commit()
    new = _assign(http, other, client_user)
    _end_care(http, therapist, client_user)
    listed = {x["id"]: x["closed"] for x in http.as_(client_user).get("/api/v1/homework").json()}
    assert listed == {old["id"]: True, new["id"]: False}
    r = http.post(f"/api/v1/homework/{new['id']}/messages", json={"body": "Hello"})
    assert r.status_code == 201
    assert [n["text"] for n in http.as_(other).get("/api/v1/homework-notices").json()] == [
        f"{client_user.preferred_name} wrote about “Write a shopping list”"
    ]
    assert http.as_(therapist).get("/api/v1/homework-notices").json() == []


def test_the_client_page_shows_closed_homework_without_forms(
    http: Any, therapist: User, client_user: User
) -> None:
    a = _assign(http, therapist, client_user)
    _end_care(http, therapist, client_user)
    page = http.as_(client_user).get(f"/homework/{a['id']}")
    assert page.status_code == 200
    assert "care with this therapist ended" in page.text
    assert f'action="/homework/{a["id"]}/messages"' not in page.text
    assert f'action="/homework/{a["id"]}/action"' not in page.text
    listing = http.get("/homework").text
    assert "Closed" in listing
    assert "No homework right now" in listing
    r = http.post(f"/homework/{a['id']}/messages", data={"body": "Hello?"})
    assert r.status_code == 409
    assert "care with this therapist ended" in r.text
