"""The sensory JSON API: own data, therapist access, strict input, idempotent writes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from tests import factories

PROFILE = {
    "responses": {"vestibular": "seek", "auditory": "overwhelmed"},
    "triggers": ["crowds"],
    "calming": ["rocking"],
    "alerting": [],
    "notes": "Music helps only if I choose it.",
}


def test_client_fills_in_the_profile_and_reads_the_summary(http: Any, client_user: User) -> None:
    http.as_(client_user)
    empty = http.get("/api/v1/sensory/profile")
    assert empty.status_code == 200
    assert empty.json() == {"profile": None, "summary": ["Nothing filled in yet."]}
    saved = http.put("/api/v1/sensory/profile", json=PROFILE)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["profile"]["version"] == 1
    assert body["summary"][0] == "You tend to seek movement."
    assert "Sound can get too much for you." in body["summary"]


def test_therapist_edits_the_profile_as_a_new_version(
    http: Any, client_user: User, therapist: User
) -> None:
    http.as_(client_user).put("/api/v1/sensory/profile", json=PROFILE)
    http.as_(therapist)
    changed = {**PROFILE, "responses": {"vestibular": "seek", "proprioceptive": "seek"}}
    r = http.put(f"/api/v1/clients/{client_user.id}/sensory/profile", json=changed)
    assert r.status_code == 200
    assert r.json()["profile"]["version"] == 2
    assert (
        r.json()["summary"][0]
        == f"{client_user.preferred_name} tends to seek deep pressure and movement."
    )


def test_profile_rejects_unknown_ids_without_echoing_them(http: Any, client_user: User) -> None:
    http.as_(client_user)
    r = http.put("/api/v1/sensory/profile", json={**PROFILE, "triggers": ["secret_thing"]})
    assert r.status_code == 422
    assert "secret_thing" not in r.text
    r = http.put("/api/v1/sensory/profile", json={**PROFILE, "responses": {"visual": "love"}})
    assert r.status_code == 422
    r = http.put("/api/v1/sensory/profile", json={**PROFILE, "notes": "a\x00b"})
    assert r.status_code == 422


def test_kit_round_trip_and_unknown_items(http: Any, client_user: User) -> None:
    http.as_(client_user)
    body = {
        "items": ["weighted_blanket", "fidget"],
        "corner_items": ["rocking_chair"],
        "corner_location": "Bedroom armchair",
        "corner_notes": "",
    }
    r = http.put("/api/v1/sensory/kit", json=body)
    assert r.status_code == 200
    assert r.json()["items"] == ["weighted_blanket", "fidget", "rocking_chair"]
    assert http.put("/api/v1/sensory/kit", json={**body, "items": ["jetpack"]}).status_code == 422


def test_diet_item_create_is_idempotent_and_strict(http: Any, client_user: User) -> None:
    http.as_(client_user)
    item_id = str(uuid.uuid4())
    body = {"id": item_id, "activity_id": "rocking_chair", "local_time": "15:00", "days": [0, 2, 4]}
    first = http.post("/api/v1/sensory/diet", json=body)
    assert first.status_code == 201, first.text
    assert first.json()["title"] == "Rocking chair"
    assert first.json()["effect"] == "calming"
    assert any("dizzy" in c for c in first.json()["cautions"])
    again = http.post("/api/v1/sensory/diet", json=body)
    assert again.json()["id"] == item_id
    assert len(http.get("/api/v1/sensory/diet").json()) == 1
    assert (
        http.post("/api/v1/sensory/diet", json={**body, "id": None, "days": ["0"]}).status_code
        == 422
    )
    assert (
        http.post("/api/v1/sensory/diet", json={**body, "id": None, "days": []}).status_code == 422
    )
    custom = {"local_time": "08:00", "days": [1], "title": "Carry shopping"}
    r = http.post("/api/v1/sensory/diet", json=custom)
    assert r.status_code == 422
    assert "calming or alerting" in r.json()["detail"]


def test_check_off_from_the_api_and_undo(http: Any, client_user: User) -> None:
    http.as_(client_user)
    every_day = list(range(7))
    item = http.post(
        "/api/v1/sensory/diet",
        json={"activity_id": "chewing_gum", "local_time": "10:00", "days": every_day},
    ).json()
    today = http.get("/api/v1/sensory/diet/today").json()
    assert [t["item"]["id"] for t in today] == [item["id"]]
    assert today[0]["checkoff"] is None
    cid = str(uuid.uuid4())
    r = http.post(
        f"/api/v1/sensory/diet/{item['id']}/checkoffs",
        json={"id": cid, "felt_after": "just_right", "felt_before": "too_high"},
    )
    assert r.status_code == 201, r.text
    assert http.get("/api/v1/sensory/diet/today").json()[0]["checkoff"]["id"] == cid
    bad = http.post(f"/api/v1/sensory/diet/{item['id']}/checkoffs", json={"felt_after": "meh"})
    assert bad.status_code == 422
    day = r.json()["done_on"]
    assert http.delete(f"/api/v1/sensory/diet/{item['id']}/checkoffs/{day}").status_code == 204
    assert http.get("/api/v1/sensory/diet/today").json()[0]["checkoff"] is None


def test_other_people_get_404_for_a_diet_item(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    http.as_(client_user)
    item = http.post(
        "/api/v1/sensory/diet",
        json={"activity_id": "fidget", "local_time": "10:00", "days": [0]},
    ).json()
    stranger = factories.client(session, therapist=therapist)
    http.as_(stranger)
    assert http.get(f"/api/v1/sensory/diet/{item['id']}").status_code == 404
    assert (
        http.post(
            f"/api/v1/sensory/diet/{item['id']}/checkoffs", json={"felt_after": "too_low"}
        ).status_code
        == 404
    )
    http.as_(therapist)
    assert http.get(f"/api/v1/sensory/diet/{item['id']}").status_code == 200


def test_report_for_the_therapist(http: Any, client_user: User, therapist: User) -> None:
    http.as_(client_user)
    item = http.post(
        "/api/v1/sensory/diet",
        json={"activity_id": "brisk_walk", "local_time": "09:00", "days": list(range(7))},
    ).json()
    http.post(
        f"/api/v1/sensory/diet/{item['id']}/checkoffs",
        json={"felt_after": "just_right", "felt_before": "too_low"},
    )
    http.as_(therapist)
    rep = http.get(f"/api/v1/clients/{client_user.id}/sensory/report").json()
    assert rep["total"] == {"planned": 1, "done": 1, "extra": 0}
    assert rep["items"][0]["pattern"]["toward"] == 1
    assert rep["items"][0]["description"].startswith("Afterwards: just right 1.")


def test_activity_library_lists_protocols_as_therapist_taught(http: Any, client_user: User) -> None:
    acts = http.as_(client_user).get("/api/v1/sensory/activities").json()
    brushing = next(a for a in acts if a["id"] == "brushing_protocol")
    assert brushing["therapist_taught_only"] is True
