"""Sensory-diet items under optimistic concurrency: a change or removal made from an older version
never silently replaces what the other person saved (API If-Match, the item form)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.sensory.models import SensoryDietItem

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
ITEM = {
    "title": "Wall push-ups",
    "local_time": "08:00",
    "days": [0, 2, 4],
    "effect": "calming",
    "course": "snack",
    "notes": "Before breakfast",
}


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def _item(http: Any, client: User) -> str:
    r = http.as_(client).post("/api/v1/sensory/diet", json=ITEM)
    assert r.status_code == 201
    assert r.json()["version"] == 1
    return str(r.json()["id"])


def _stored(session: Session, item_id: str) -> SensoryDietItem:
    row = session.get(SensoryDietItem, uuid.UUID(item_id))
    assert row is not None
    session.refresh(row)
    return row


def test_a_stale_put_is_refused_and_a_fresh_one_bumps_the_version(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    item_id = _item(http, client_user)
    url = f"/api/v1/sensory/diet/{item_id}"
    assert http.as_(therapist).get(url).headers["ETag"] == '"1"'
    r = http.as_(therapist).put(
        url, json=ITEM | {"notes": "Before breakfast\nTen of them"}, headers={"If-Match": '"1"'}
    )
    assert (r.status_code, r.json()["version"], r.headers["ETag"]) == (200, 2, '"2"')
    stale = http.as_(client_user).put(
        url, json=ITEM | {"local_time": "09:00"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409
    changed = {c["field"]: c for c in stale.json()["changed"]}
    assert set(changed) == {"local_time", "notes"}
    assert changed["notes"]["only_in_current"] == ["Ten of them"]
    row = _stored(session, item_id)
    assert (row.version, row.local_time.hour, row.notes) == (2, 8, "Before breakfast\nTen of them")


def test_a_stale_delete_keeps_the_item(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    item_id = _item(http, client_user)
    url = f"/api/v1/sensory/diet/{item_id}"
    http.as_(therapist).put(url, json=ITEM | {"minutes": 10})
    assert http.as_(client_user).delete(url, headers={"If-Match": '"1"'}).status_code == 409
    assert _stored(session, item_id).minutes == 10
    assert http.as_(client_user).delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert session.get(SensoryDietItem, uuid.UUID(item_id)) is None


def test_a_stale_item_form_shows_both_and_keep_mine_saves(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    item_id = _item(http, client_user)
    page = f"/caseload/{client_user.id}/sensory/diet/{item_id}"
    assert 'name="version" value="1"' in http.as_(therapist).get(page).text
    http.as_(client_user).put(f"/api/v1/sensory/diet/{item_id}", json=ITEM | {"title": "Push-ups"})
    form = {
        "version": "1",
        "title": "Chair push-ups",
        "local_time": "08:00",
        "days": ["0", "2", "4"],
        "effect": "calming",
        "course": "snack",
        "notes": "Before breakfast",
    }
    r = http.as_(therapist).post(page, data=form)
    assert r.status_code == 409
    assert "Push-ups" in r.text
    assert "Chair push-ups" in r.text
    assert _stored(session, item_id).title == "Push-ups"
    r = http.as_(therapist).post(page, data=form | {"version": "2", "keep__title": "mine"})
    assert r.status_code == 303
    row = _stored(session, item_id)
    assert (row.title, row.version, row.days_mask) == ("Chair push-ups", 3, 0b10101)


def test_removing_an_item_changed_meanwhile_keeps_it(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    item_id = _item(http, client_user)
    http.as_(therapist).put(f"/api/v1/sensory/diet/{item_id}", json=ITEM | {"minutes": 10})
    r = http.as_(client_user).post(f"/sensory/diet/{item_id}/remove", data={"version": "1"})
    assert r.status_code == 303
    assert r.headers["location"] == f"/sensory/diet/{item_id}?changed=1"
    assert "so it was not removed" in http.as_(client_user).get(r.headers["location"]).text
    assert _stored(session, item_id).ends_on is None
