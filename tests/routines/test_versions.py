"""Routines and their steps under optimistic concurrency: a save or removal made from an older
version never silently replaces what the other person saved (API If-Match, builder forms)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.routines.models import Routine, RoutineStep

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
FIELDS = {"title": "Getting up", "part_of_day": "morning", "schedule": {"kind": "daily"}}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def _routine(http: Any, client: User) -> tuple[str, str]:
    r = http.as_(client).post(
        "/api/v1/routines", json=FIELDS | {"steps": [{"title": "Sit up", "detail": "Slowly"}]}
    )
    assert r.status_code == 201
    detail = http.get(f"/api/v1/routines/{r.json()['id']}")
    assert detail.headers["ETag"] == '"1"'
    return r.json()["id"], detail.json()["steps"][0]["id"]


def test_a_stale_routine_save_is_refused_and_the_fresh_one_bumps_the_version(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    rid, _ = _routine(http, client_user)
    url = f"/api/v1/routines/{rid}"
    r = http.as_(therapist).put(
        url, json=FIELDS | {"title": "Morning"}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200
    assert (r.json()["version"], r.headers["ETag"]) == (2, '"2"')
    stale = http.as_(client_user).put(
        url,
        json=FIELDS | {"title": "Getting up", "schedule": {"kind": "weekdays"}},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 409
    changed = {c["field"]: c for c in stale.json()["changed"]}
    assert set(changed) == {"title", "schedule"}
    assert (changed["title"]["current"], changed["title"]["yours"]) == ("Morning", "Getting up")
    routine = session.get(Routine, uuid.UUID(rid))
    assert routine is not None
    session.refresh(routine)
    assert (routine.version, routine.title, routine.rrule) == (2, "Morning", "FREQ=DAILY")


def test_step_put_and_delete_honour_if_match(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    rid, sid = _routine(http, client_user)
    url = f"/api/v1/routines/{rid}/steps/{sid}"
    r = http.as_(therapist).put(
        url, json={"title": "Sit up", "detail": "Slowly, then stretch"}, headers={"If-Match": '"1"'}
    )
    assert (r.status_code, r.json()["version"], r.headers["ETag"]) == (200, 2, '"2"')
    stale = http.as_(client_user).put(
        url, json={"title": "Sit up", "detail": "Fast"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409
    assert [c["field"] for c in stale.json()["changed"]] == ["detail"]
    gone = http.as_(client_user).delete(url, headers={"If-Match": '"1"'})
    assert gone.status_code == 409
    step = session.get(RoutineStep, uuid.UUID(sid))
    assert step is not None
    session.refresh(step)
    assert (step.version, step.detail, step.removed_at) == (2, "Slowly, then stretch", None)
    assert http.as_(client_user).delete(url, headers={"If-Match": '"2"'}).status_code == 204
    session.refresh(step)
    assert step.removed_at is not None


def test_a_stale_builder_form_shows_both_and_keep_mine_saves(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    rid, sid = _routine(http, client_user)
    edit = f"/caseload/{client_user.id}/routines/{rid}/edit"
    assert 'name="version" value="1"' in http.as_(therapist).get(edit).text
    http.as_(client_user).put(f"/api/v1/routines/{rid}", json=FIELDS | {"title": "Wake up"})
    form = {
        "version": "1",
        "title": "Morning start",
        "icon": "⭐",
        "part_of_day": "morning",
        "schedule_kind": "daily",
        "starts_on": NOW.date().isoformat(),
    }
    r = http.as_(therapist).post(edit, data=form)
    assert r.status_code == 409
    assert "Wake up" in r.text
    assert "Morning start" in r.text
    r = http.as_(therapist).post(edit, data=form | {"version": "2", "keep__title": "mine"})
    assert r.status_code == 303
    routine = session.get(Routine, uuid.UUID(rid))
    assert routine is not None
    session.refresh(routine)
    assert (routine.title, routine.version) == ("Morning start", 3)

    step_url = f"/routines/{rid}/steps/{sid}"
    assert 'name="version" value="1"' in http.as_(client_user).get(step_url).text
    http.as_(therapist).put(f"/api/v1/routines/{rid}/steps/{sid}", json={"title": "Sit up slowly"})
    r = http.as_(client_user).post(step_url, data={"version": "1", "title": "Sit", "bad_day": "on"})
    assert r.status_code == 409
    assert "Sit up slowly" in r.text
    r = http.as_(client_user).post(
        step_url,
        data={"version": "2", "title": "Sit", "bad_day": "on", "keep__title": "theirs"},
    )
    assert r.status_code == 303
    step = session.get(RoutineStep, uuid.UUID(sid))
    assert step is not None
    session.refresh(step)
    assert (step.title, step.bad_day, step.version) == ("Sit up slowly", True, 3)


def test_removing_a_step_changed_meanwhile_keeps_it_and_says_so(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    rid, sid = _routine(http, client_user)
    http.as_(therapist).put(f"/api/v1/routines/{rid}/steps/{sid}", json={"title": "Sit up now"})
    r = http.as_(client_user).post(f"/routines/{rid}/steps/{sid}/remove", data={"version": "1"})
    assert r.status_code == 303
    assert "saved=stale-step" in r.headers["location"]
    page = http.as_(client_user).get(r.headers["location"])
    assert "changed by someone else since you opened this page" in page.text
    step = session.get(RoutineStep, uuid.UUID(sid))
    assert step is not None
    session.refresh(step)
    assert step.removed_at is None
