"""Homework under optimistic concurrency: a revision made from an older version never silently
replaces a newer one (API If-Match, the revise form's hidden version, the conflict page)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.homework.models import HomeworkAssignment
from tests.homework.helpers import assignment, in_days

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def _body(client: User, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "task",
        "title": "Write a shopping list",
        "due_on": in_days(client, 3).isoformat(),
    } | changes


def _asked_to_change(http: Any, session: Session, therapist: User, client: User) -> Any:
    """Version 1 as set; version 2 after the client accepted it."""
    a = assignment(session, therapist, client, instructions="Just the basics.")
    r = http.as_(client).post(f"/api/v1/homework/{a.id}/actions", json={"action": "accept"})
    assert r.status_code == 200
    assert r.json()["version"] == 2
    return a


def test_revising_from_an_old_version_is_refused_and_nothing_changes(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    a = _asked_to_change(http, session, therapist, client_user)
    http.as_(therapist).put(
        f"/api/v1/homework/{a.id}",
        json=_body(client_user, instructions="Just the basics.\nAdd fruit."),
        headers={"If-Match": '"2"'},
    )
    r = http.as_(therapist).put(
        f"/api/v1/homework/{a.id}",
        json=_body(client_user, title="Plan three meals", instructions="Just the basics."),
        headers={"If-Match": '"2"'},
    )
    assert r.status_code == 409
    problem = r.json()
    assert problem["current_version"] == 3
    assert {c["field"] for c in problem["changed"]} == {"title", "instructions"}
    instructions = next(c for c in problem["changed"] if c["field"] == "instructions")
    assert instructions["only_in_current"] == ["Add fruit."]
    session.refresh(a)
    assert (a.version, a.title) == (3, "Write a shopping list")
    assert a.instructions == "Just the basics.\nAdd fruit."


def test_revising_from_the_current_version_saves_and_bumps_it(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    a = _asked_to_change(http, session, therapist, client_user)
    got = http.as_(therapist).get(f"/api/v1/homework/{a.id}")
    assert got.headers["ETag"] == '"2"'
    r = http.as_(therapist).put(
        f"/api/v1/homework/{a.id}",
        json=_body(client_user, title="Plan three meals"),
        headers={"If-Match": got.headers["ETag"]},
    )
    assert r.status_code == 200
    assert r.headers["ETag"] == '"3"'
    assert (r.json()["version"], r.json()["title"]) == (3, "Plan three meals")


def test_a_stale_revise_form_shows_both_and_keep_theirs_uses_the_saved_text(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    a = _asked_to_change(http, session, therapist, client_user)
    page = f"/caseload/{client_user.id}/homework/{a.id}"
    assert 'name="version" value="2"' in http.as_(therapist).get(page).text
    http.as_(therapist).put(
        f"/api/v1/homework/{a.id}",
        json=_body(client_user, instructions="Use the list at the shop."),
    )
    form = {
        "version": "2",
        "kind": "task",
        "title": "Plan three meals",
        "instructions": "Just the basics.",
        "due_on": in_days(client_user, 3).isoformat(),
        "frequency": "once",
    }
    r = http.as_(therapist).post(f"{page}/revise", data=form)
    assert r.status_code == 409
    assert "Use the list at the shop." in r.text
    assert "Plan three meals" in r.text
    assert 'name="version" value="3"' in r.text
    session.refresh(a)
    assert a.title == "Write a shopping list"
    r = http.as_(therapist).post(
        f"{page}/revise",
        data=form | {"version": "3", "keep__title": "mine", "keep__instructions": "theirs"},
    )
    assert r.status_code == 303
    stored = session.get(HomeworkAssignment, a.id)
    assert stored is not None
    session.refresh(stored)
    assert (stored.title, stored.instructions) == ("Plan three meals", "Use the list at the shop.")
    assert stored.version == 4
