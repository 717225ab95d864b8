"""Self-care JSON API: strict input, clear 4xx answers, idempotent writes, therapist actions."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.self_care import suggestions
from tests.self_care.helpers import MONDAY, daily_check_ins, noon, start


def _start(http: Any, client: User, ladder: str = "washing", level: int = 1) -> dict[str, Any]:
    r = http.as_(client).post("/api/v1/habits", json={"ladder": ladder, "level": level})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_library_lists_built_in_ladders(http: Any, client_user: User) -> None:
    r = http.as_(client_user).get("/api/v1/habit-ladders")
    assert r.status_code == 200
    keys = {ladder["key"] for ladder in r.json()}
    assert {"washing", "water", "money"} <= keys


def test_start_and_check_in_then_replay_is_idempotent(http: Any, client_user: User) -> None:
    habit = _start(http, client_user, "water")
    assert habit["target"] == "2 glasses a day"
    body = {"id": str(uuid.uuid4()), "outcome": "done", "amount": 1, "confidence": 7}
    first = http.post(f"/api/v1/habits/{habit['id']}/check-ins", json=body)
    again = http.post(f"/api/v1/habits/{habit['id']}/check-ins", json=body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    detail = http.get(f"/api/v1/habits/{habit['id']}").json()
    assert detail["this_week"]["done"] == 0.5


def test_confidence_eleven_is_a_clear_422_without_echoing_input(
    http: Any, client_user: User
) -> None:
    habit = _start(http, client_user)
    body = {"id": str(uuid.uuid4()), "outcome": "done", "confidence": 11, "note": "private words"}
    r = http.post(f"/api/v1/habits/{habit['id']}/check-ins", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "confidence" in r.text
    assert "private words" not in r.text


def test_negative_amount_and_string_numbers_are_refused(http: Any, client_user: User) -> None:
    habit = _start(http, client_user, "water")
    url = f"/api/v1/habits/{habit['id']}/check-ins"
    negative = http.post(url, json={"id": str(uuid.uuid4()), "outcome": "done", "amount": -1})
    assert negative.status_code == 422
    assert "amount" in negative.text
    stringy = http.post(url, json={"id": str(uuid.uuid4()), "outcome": "done", "confidence": "7"})
    assert stringy.status_code == 422


def test_nul_in_a_note_and_unknown_fields_are_refused(http: Any, client_user: User) -> None:
    habit = _start(http, client_user)
    url = f"/api/v1/habits/{habit['id']}/check-ins"
    assert (
        http.post(
            url, json={"id": str(uuid.uuid4()), "outcome": "done", "note": "a\x00b"}
        ).status_code
        == 422
    )
    assert (
        http.post(url, json={"id": str(uuid.uuid4()), "outcome": "done", "level": 5}).status_code
        == 422
    )


def test_reason_only_goes_with_partly_or_not_today(http: Any, client_user: User) -> None:
    habit = _start(http, client_user)
    url = f"/api/v1/habits/{habit['id']}/check-ins"
    assert (
        http.post(
            url, json={"id": str(uuid.uuid4()), "outcome": "done", "reason": "pain"}
        ).status_code
        == 422
    )
    ok = http.post(url, json={"id": str(uuid.uuid4()), "outcome": "not_today", "reason": "pain"})
    assert ok.status_code == 201
    assert ok.json()["reason"] == "pain"


def test_unknown_ladder_and_level_beyond_the_ladder_are_422(http: Any, client_user: User) -> None:
    http.as_(client_user)
    assert http.post("/api/v1/habits", json={"ladder": "juggling"}).status_code == 422
    r = http.post("/api/v1/habits", json={"ladder": "medication", "level": 4})
    assert r.status_code == 422
    assert "levels 1 to 3" in r.json()["detail"]


def test_therapist_sets_level_within_bounds_and_reads_are_audited(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    habit = _start(http, client_user)
    http.as_(therapist)
    bounds = http.put(f"/api/v1/habits/{habit['id']}/bounds", json={"lowest": 1, "highest": 3})
    assert bounds.status_code == 200
    too_high = http.put(f"/api/v1/habits/{habit['id']}/level", json={"level": 4})
    assert too_high.status_code == 422
    assert "outside" in too_high.json()["detail"]
    ok = http.put(f"/api/v1/habits/{habit['id']}/level", json={"level": 3})
    assert ok.json()["level"] == 3
    listed = http.get(f"/api/v1/clients/{client_user.id}/habits")
    assert [h["level"] for h in listed.json()] == [3]
    actions = session.exec(
        select(AuditEvent.action).where(
            AuditEvent.client_id == client_user.id, AuditEvent.actor_id == therapist.id
        )
    ).all()
    assert "GET /api/v1/clients/{client_id}/habits" in actions
    assert "PUT /api/v1/habits/{habit_id}/level" in actions


def test_inverted_bounds_are_refused(http: Any, client_user: User, therapist: User) -> None:
    habit = _start(http, client_user)
    r = http.as_(therapist).put(
        f"/api/v1/habits/{habit['id']}/bounds", json={"lowest": 3, "highest": 2}
    )
    assert r.status_code == 422


def test_client_accepts_a_step_up_suggestion(
    http: Any, session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    daily_check_ins(session, client_user, habit, MONDAY, 15)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    with clock.frozen_at(noon(MONDAY + timedelta(days=15))):
        detail = http.as_(client_user).get(f"/api/v1/habits/{habit.id}").json()
        assert detail["suggestion"]["to_level"] == 3
        r = http.post(f"/api/v1/habit-suggestions/{waiting.id}/accept")
        assert r.status_code == 200
        assert r.json()["state"] == "accepted"
        assert http.get(f"/api/v1/habits/{habit.id}").json()["level"] == 3
        assert http.post(f"/api/v1/habit-suggestions/{waiting.id}/accept").status_code == 409


def test_therapist_approves_a_waiting_suggestion(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    daily_check_ins(session, client_user, habit, MONDAY, 15)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    r = http.as_(therapist).post(f"/api/v1/habit-suggestions/{waiting.id}/approve")
    assert r.json()["state"] == "approved"
    assert http.get(f"/api/v1/habits/{habit.id}").json()["level"] == 3


def test_pause_all_and_resume(http: Any, client_user: User) -> None:
    habit = _start(http, client_user)
    assert http.post("/api/v1/habit-pauses", json={}).status_code == 201
    assert http.get(f"/api/v1/habits/{habit['id']}").json()["paused_today"] is True
    assert http.post("/api/v1/habit-pauses/resume").json() == {"ended": 1}
    assert http.get(f"/api/v1/habits/{habit['id']}").json()["paused_today"] is False


def test_mood_log_validates_and_updates_the_day(http: Any, client_user: User) -> None:
    http.as_(client_user)
    assert (
        http.post("/api/v1/mood-logs", json={"id": str(uuid.uuid4()), "mood": 6}).status_code == 422
    )
    assert (
        http.post(
            "/api/v1/mood-logs", json={"id": str(uuid.uuid4()), "mood": 3, "hours_slept": 25}
        ).status_code
        == 422
    )
    first = http.post(
        "/api/v1/mood-logs",
        json={"id": str(uuid.uuid4()), "mood": 2, "energy": 1, "hours_slept": 6.5},
    )
    assert first.status_code == 201
    second = http.post("/api/v1/mood-logs", json={"id": str(uuid.uuid4()), "mood": 4})
    assert second.json()["id"] == first.json()["id"]
    logs = http.get("/api/v1/mood-logs").json()
    assert [(m["mood"], m["energy"]) for m in logs] == [(4, None)]
    assert http.get("/api/v1/mood-logs").headers["cache-control"] == "no-store"


def test_clinic_ladder_is_offered_to_that_clinics_clients_only(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    from tests import factories

    body = {
        "life_area": "leisure",
        "title": "Gardening group",
        "levels": [
            {
                "description": "Look at the garden from the window",
                "target": {"kind": "weekly", "times_per_week": 2},
            },
            {"description": "Water one plant", "target": {"kind": "weekly", "times_per_week": 3}},
        ],
    }
    r = http.as_(therapist).post("/api/v1/habit-ladders", json=body)
    assert r.status_code == 201
    key = r.json()["key"]
    mine = {x["key"] for x in http.as_(client_user).get("/api/v1/habit-ladders").json()}
    assert key in mine
    assert http.post("/api/v1/habits", json={"ladder": key, "level": 2}).status_code == 201
    other = factories.client(
        session, therapist=factories.therapist(session, factories.clinic(session))
    )
    theirs = {x["key"] for x in http.as_(other).get("/api/v1/habit-ladders").json()}
    assert key not in theirs
    assert http.post("/api/v1/habits", json={"ladder": key}).status_code == 422
    one_level = {**body, "levels": body["levels"][:1]}
    assert http.as_(therapist).post("/api/v1/habit-ladders", json=one_level).status_code == 422


def test_therapist_tunes_the_suggestion_rules_per_habit(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    habit = _start(http, client_user)
    http.as_(therapist)
    url = f"/api/v1/habits/{habit['id']}/grading"
    bad = http.put(url, json={"window_weeks": 2, "weeks_met_to_step_up": 3})
    assert bad.status_code == 422
    assert http.put(url, json={"min_confidence": 11}).status_code == 422
    ok = http.put(url, json={"window_weeks": 4, "weeks_met_to_step_up": 3, "min_confidence": 8})
    assert ok.status_code == 200
    assert ok.json()["weeks_met_to_step_up"] == 3
    from app.self_care.models import Habit

    stored = session.get(Habit, uuid.UUID(habit["id"]))
    assert stored is not None
    assert stored.grading["min_confidence"] == 8
    assert http.as_(client_user).put(url, json={}).status_code == 403
