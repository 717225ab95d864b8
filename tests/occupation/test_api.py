"""Occupation API: versioned saves answer 409 problem details, diary replays are idempotent,
bad input is a 422 (never a 500), therapist access is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.occupation.models import DiaryEntry

NOW = datetime(2026, 11, 18, 9, tzinfo=UTC)  # Wednesday, 09:00 in London
TODAY = date(2026, 11, 18)


def test_profile_starts_at_version_0_and_a_stale_put_is_a_409_problem(
    http: Any, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        got = http.get("/api/v1/occupation/profile")
        assert got.headers["etag"] == '"0"'
        empty = got.json()
        assert (empty["version"], empty["hopes"]) == (0, "")
        first = http.put("/api/v1/occupation/profile", json={"version": 0, "hopes": "Cook"})
        assert (first.status_code, first.json()["version"]) == (200, 1)
        http.as_(therapist)
        ot = http.put(
            f"/api/v1/clients/{client_user.id}/occupation/profile",
            json={"version": 1, "hopes": "Cook for the family", "roles": "Mum"},
        )
        assert ot.json()["version"] == 2
        http.as_(client_user)
        stale = http.put("/api/v1/occupation/profile", json={"version": 1, "hopes": "x"})
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    problem = stale.json()
    assert problem["type"].endswith("edit-conflict")
    assert problem["current_version"] == 2
    assert [c["field"] for c in problem["changed"]] == ["roles", "hopes"]
    assert stale.headers["etag"] == '"2"'
    # Saving the same words as the newer version loses nothing, so it goes through (still at NOW:
    # the session signed in then would have expired by a later real date).
    with clock.frozen_at(NOW):
        same = http.put(
            "/api/v1/occupation/profile",
            json={"version": 1, "hopes": "Cook for the family", "roles": "Mum"},
        )
    assert (same.status_code, same.json()["version"]) == (200, 2)


def test_ratings_round_trip_and_a_stale_correction_is_refused(
    http: Any, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        act = http.post("/api/v1/occupation/activities", json={"title": "Taking the bus"}).json()
        rating = {"activity_id": act["id"], "importance": 9, "performance": 2, "satisfaction": 3}
        made = http.post("/api/v1/occupation/ratings", json={"ratings": [rating]})
        assert made.status_code == 201
        body = made.json()
        assert (body["version"], body["performance"], body["rated_on"]) == (1, 2.0, "2026-11-18")
        http.as_(therapist)
        fix = {"version": 1, "ratings": [{**rating, "performance": 3}]}
        done = http.put(f"/api/v1/occupation/ratings/{body['id']}", json=fix)
        assert (done.status_code, done.json()["version"]) == (200, 2)
        http.as_(client_user)
        other = {"ratings": [{**rating, "performance": 5}]}
        stale = http.put(
            f"/api/v1/occupation/ratings/{body['id']}", json=other, headers={"If-Match": '"1"'}
        )
        assert stale.status_code == 409
        assert stale.json()["changed"][0]["current"] == (
            "Taking the bus: matters 9, how well 3, how happy 3"
        )
        mine = http.get("/api/v1/occupation/ratings").json()
    assert mine["rounds"][0]["ratings"][0]["performance"] == 3
    assert mine["performance_change"] is None  # one round: nothing to compare yet


def test_out_of_range_ratings_and_unknown_fields_are_422(http: Any, client_user: User) -> None:
    http.as_(client_user)
    act = http.post("/api/v1/occupation/activities", json={"title": "Cooking"}).json()
    for bad in (
        {"activity_id": act["id"], "importance": 11, "performance": 2, "satisfaction": 3},
        {"activity_id": act["id"], "importance": 0, "performance": 2, "satisfaction": 3},
        {"activity_id": act["id"], "importance": "5", "performance": 2, "satisfaction": 3},
    ):
        assert http.post("/api/v1/occupation/ratings", json={"ratings": [bad]}).status_code == 422
    assert (
        http.post("/api/v1/occupation/activities", json={"title": "x", "y": 1}).status_code == 422
    )


def test_a_replayed_diary_tap_is_stored_once(
    http: Any, session: Session, client_user: User
) -> None:
    tap = {
        "id": str(uuid.uuid4()),
        "done_on": TODAY.isoformat(),
        "block": "morning",
        "category": "self_care",
    }
    with clock.frozen_at(NOW):
        http.as_(client_user)
        first = http.post("/api/v1/occupation/diary", json=tap)
        again = http.post("/api/v1/occupation/diary", json=tap)
        bad = http.post("/api/v1/occupation/diary", json={**tap, "block": "brunch"})
        future = http.post(
            "/api/v1/occupation/diary",
            json={**tap, "id": str(uuid.uuid4()), "done_on": "2026-11-19"},
        )
        week = http.get("/api/v1/occupation/diary?start=2026-11-16").json()
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert (bad.status_code, future.status_code) == (422, 422)
    rows = session.exec(select(DiaryEntry).where(DiaryEntry.client_id == client_user.id)).all()
    assert len(rows) == 1
    assert {b["category"]: b["blocks"] for b in week["balance"]}["self_care"] == 1


def test_therapist_reads_are_audited_and_other_clients_are_404(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    http.as_(therapist)
    assert http.get(f"/api/v1/clients/{client_user.id}/occupation/diary").status_code == 200
    actions = session.exec(
        select(AuditEvent.action).where(
            AuditEvent.client_id == client_user.id, AuditEvent.actor_id == therapist.id
        )
    ).all()
    assert "GET /api/v1/clients/{client_id}/occupation/diary" in actions
    stranger = uuid.uuid4()
    assert http.get(f"/api/v1/clients/{stranger}/occupation/ratings").status_code == 404
