"""Calm JSON API: idempotent episodes, strict input, no-store, suggestions, therapist actions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from app import clock
from app.accounts.models import User

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _body(**kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "strategy_key": "box-breathing",
        "before": 8,
        "after": 4,
        "seconds": 96,
        "started_at": "2026-11-23T09:55:00+00:00",
        "place": "home",
        "minutes_available": 5,
    }
    body.update(kw)
    return body


def test_posting_the_same_episode_twice_stores_it_once(http: Any, client_user: User) -> None:
    api = http.as_(client_user)
    body = _body()
    with clock.frozen_at(NOW):
        first = api.post("/api/v1/calm/episodes", json=body)
        second = api.post("/api/v1/calm/episodes", json=body)
        listed = api.get("/api/v1/calm/episodes")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first.headers["cache-control"] == "no-store"
    assert [e["id"] for e in listed.json()] == [body["id"]]
    assert listed.headers["cache-control"] == "no-store"


def test_episode_numbers_are_strict_and_ranges_checked(http: Any, client_user: User) -> None:
    api = http.as_(client_user)
    with clock.frozen_at(NOW):
        for bad in (
            {"before": "8"},
            {"after": 11},
            {"before": True},
            {"minutes_available": 7},
            {"place": "moon"},
            {"strategy_key": "Box\x00"},
            {"extra": 1},
            {"started_at": "2026-11-23T09:55:00"},
        ):
            r = api.post("/api/v1/calm/episodes", json=_body(**bad))
            assert r.status_code == 422, bad
            assert r.headers["content-type"].startswith("application/problem+json")


def test_validation_errors_never_echo_what_was_sent(http: Any, client_user: User) -> None:
    r = http.as_(client_user).put(
        "/api/v1/calm/plans/safety", json={"sections": {"warning_signs": 5}}
    )
    assert r.status_code == 422
    r = http.as_(client_user).put(
        "/api/v1/calm/plans/safety", json={"sections": {"warning_signs": "secret words\x00"}}
    )
    assert r.status_code == 422
    assert "secret words" not in r.text


def test_suggestions_give_three_to_five_with_reasons(http: Any, client_user: User) -> None:
    r = http.as_(client_user).get("/api/v1/calm/suggestions?level=9&place=public&minutes=1")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["content-type"] == "application/json"
    items = r.json()
    assert 3 <= len(items) <= 5
    assert all(i["reason"] for i in items)
    assert set(items[0]) == {"strategy", "reason", "note", "expected_drop"}
    assert all(i["strategy"]["kind"] != "thinking" for i in items)
    assert http.as_(client_user).get("/api/v1/calm/suggestions?level=11").status_code == 422


def test_sync_bundle_carries_what_the_phone_needs(
    http: Any, client_user: User, therapist: User
) -> None:
    http.as_(therapist).put(
        f"/api/v1/clients/{client_user.id}/calm/recommendations/hand-massage",
        json={"on": True, "note": "Before bed."},
    )
    http.as_(client_user).put(
        "/api/v1/calm/plans/safety", json={"sections": {"reasons_for_living": "My cat"}}
    )
    r = http.as_(client_user).get("/api/v1/calm/sync")
    assert r.status_code == 200
    data = r.json()
    assert data["library_version"] >= 1
    assert {
        "strategy_key": "hand-massage",
        "recommended": True,
        "note": "Before bed.",
    }.items() <= next(e for e in data["toolbox"] if e["strategy_key"] == "hand-massage").items()
    assert data["safety_plan"] == [{"title": "My reasons for living", "text": "My cat"}]
    assert data["crisis"]["emergency"] == "999"


def test_hide_and_restore_through_the_api(http: Any, client_user: User) -> None:
    api = http.as_(client_user)
    r = api.put("/api/v1/calm/toolbox/box-breathing", json={"hidden": True})
    assert r.json()["hidden"] is True
    r = api.put("/api/v1/calm/toolbox/box-breathing", json={"hidden": False})
    assert r.json()["hidden"] is False
    assert api.put("/api/v1/calm/toolbox/not-a-strategy", json={"hidden": True}).status_code == 404


def test_therapist_reads_effectiveness_and_edits_the_plan_client_cannot_recommend(
    http: Any, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user).post("/api/v1/calm/episodes", json=_body())
    t = http.as_(therapist)
    eff = t.get(f"/api/v1/clients/{client_user.id}/calm/effectiveness").json()
    assert eff == [
        {
            "strategy_key": "box-breathing",
            "title": "Box breathing",
            "uses": 1,
            "mean_before": 8.0,
            "mean_after": 4.0,
            "mean_drop": 4.0,
        }
    ]
    r = t.put(
        f"/api/v1/clients/{client_user.id}/calm/plans/safety",
        json={"sections": {"warning_signs": "Not sleeping"}},
    )
    assert r.json()["version"] == 1
    mine = http.as_(client_user).get("/api/v1/calm/plans/safety").json()
    assert mine["sections"]["warning_signs"] == "Not sleeping"
    r = http.as_(client_user).put(
        f"/api/v1/clients/{client_user.id}/calm/recommendations/box-breathing", json={"on": True}
    )
    assert r.status_code == 403
