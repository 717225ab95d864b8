"""JSON API: create, steps, check-offs (idempotent), bad input as problem+json, privacy."""

from __future__ import annotations

import io
import uuid

from PIL import Image
from sqlmodel import Session

from app.accounts.models import User
from tests import factories
from tests.conftest import Http

ROUTINE = {
    "title": "Getting up",
    "icon": "☀️",
    "part_of_day": "morning",
    "at_time": "08:00:00",
    "schedule": {"kind": "weekdays"},
    "steps": [
        {"title": "Sit up", "bad_day": True},
        {"title": "Curtains"},
        {"title": "Water", "duration_minutes": 2},
    ],
}


def _create(http: Http, body: dict[str, object] | None = None) -> dict[str, object]:
    response = http.post("/api/v1/routines", json=body or ROUTINE)
    assert response.status_code == 201, response.text
    return response.json()


def test_client_creates_a_routine_and_reads_it_back(http: Http, client_user: User) -> None:
    http.as_(client_user)
    created = _create(http)
    assert created["rrule"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    detail = http.get(f"/api/v1/routines/{created['id']}")
    assert detail.status_code == 200
    assert detail.headers["cache-control"] == "no-store"
    assert [s["title"] for s in detail.json()["steps"]] == ["Sit up", "Curtains", "Water"]
    listed = http.get("/api/v1/routines").json()
    assert [r["id"] for r in listed] == [created["id"]]


def test_check_off_replayed_is_applied_once(http: Http, client_user: User) -> None:
    http.as_(client_user)
    created = _create(http, {**ROUTINE, "schedule": {"kind": "daily"}})
    steps = http.get(f"/api/v1/routines/{created['id']}").json()["steps"]
    body = {"id": str(uuid.uuid4()), "step_id": steps[0]["id"], "status": "done"}
    first = http.post(f"/api/v1/routines/{created['id']}/outcomes", json=body)
    second = http.post(f"/api/v1/routines/{created['id']}/outcomes", json=body)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.json()["run"]["done_count"] == 1
    today = http.get("/api/v1/routines/today").json()
    assert [(t["done"], t["planned"]) for t in today] == [(1, 3)]


def test_bad_input_gets_problem_json_not_500(http: Http, client_user: User) -> None:
    http.as_(client_user)
    bad_rule = http.post(
        "/api/v1/routines",
        json={**ROUTINE, "schedule": {"kind": "rrule", "rrule": "FREQ=SOMETIMES"}},
    )
    assert bad_rule.status_code == 422
    assert bad_rule.headers["content-type"].startswith("application/problem+json")
    assert "FREQ=DAILY, WEEKLY" in bad_rule.json()["detail"]
    many = http.post(
        "/api/v1/routines", json={**ROUTINE, "steps": [{"title": f"s{i}"} for i in range(500)]}
    )
    assert many.status_code == 422
    nul = http.post("/api/v1/routines", json={**ROUTINE, "title": "a\x00b"})
    assert nul.status_code == 422
    not_strict = http.post(
        "/api/v1/routines", json={**ROUTINE, "steps": [{"title": "x", "duration_minutes": "5"}]}
    )
    assert not_strict.status_code == 422


def test_photo_upload_rejects_non_images_and_huge_files(http: Http, client_user: User) -> None:
    http.as_(client_user)
    created = _create(http)
    step = http.get(f"/api/v1/routines/{created['id']}").json()["steps"][0]
    url = f"/api/v1/routines/{created['id']}/steps/{step['id']}/photo"
    text = http.post(url, files={"photo": ("notes.jpg", b"not an image", "image/jpeg")})
    assert text.status_code == 422
    assert "not a photo" in text.json()["detail"]
    huge = http.post(url, files={"photo": ("big.jpg", b"\xff" * (20 * 1024 * 1024), "image/jpeg")})
    assert huge.status_code == 413
    assert "10 MB" in huge.json()["detail"]
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (10, 120, 90)).save(buffer, format="JPEG")
    ok = http.post(url, files={"photo": ("p.jpg", buffer.getvalue(), "image/jpeg")})
    assert ok.status_code == 200
    assert ok.json()["photo_id"]
    served = http.get(f"/routines/photos/{ok.json()['photo_id']}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"


def test_another_client_cannot_see_or_check_off_a_routine(
    http: Http, session: Session, client_user: User, therapist: User
) -> None:
    http.as_(client_user)
    created = _create(http)
    step = http.get(f"/api/v1/routines/{created['id']}").json()["steps"][0]
    other = factories.client(session, therapist=therapist)
    http.as_(other)
    assert http.get(f"/api/v1/routines/{created['id']}").status_code == 404
    body = {"id": str(uuid.uuid4()), "step_id": step["id"], "status": "done"}
    assert http.post(f"/api/v1/routines/{created['id']}/outcomes", json=body).status_code == 404
    http.as_(therapist)
    assert http.get(f"/api/v1/routines/{created['id']}").status_code == 200
    assert http.post(f"/api/v1/routines/{created['id']}/outcomes", json=body).status_code == 404


def test_reorder_pause_and_reminder_times(http: Http, client_user: User) -> None:
    http.as_(client_user)
    created = _create(http)
    rid = created["id"]
    steps = http.get(f"/api/v1/routines/{rid}").json()["steps"]
    order = [steps[2]["id"], steps[0]["id"], steps[1]["id"]]
    assert (
        http.put(f"/api/v1/routines/{rid}/steps/order", json={"step_ids": order}).status_code == 200
    )
    assert [s["id"] for s in http.get(f"/api/v1/routines/{rid}").json()["steps"]] == order
    assert (
        http.put(f"/api/v1/routines/{rid}/steps/order", json={"step_ids": order[:2]}).status_code
        == 422
    )
    bad_pause = http.post(
        f"/api/v1/routines/{rid}/pauses", json={"starts_on": "2026-12-10", "ends_on": "2026-12-01"}
    )
    assert bad_pause.status_code == 422
    pause = http.post(
        f"/api/v1/routines/{rid}/pauses", json={"starts_on": "2026-12-01", "ends_on": "2026-12-10"}
    )
    assert pause.status_code == 201
    times = http.put(
        f"/api/v1/routines/{rid}/reminder-times",
        json={"times": ["08:15", "07:30"], "only_if_not_done": True},
    )
    assert times.status_code == 200
    assert times.json()["reminder_times"] == ["07:30", "08:15"]


def test_anonymous_gets_401(http: Http) -> None:
    assert http.get("/api/v1/routines").status_code == 401


def test_history_and_therapist_list(http: Http, client_user: User, therapist: User) -> None:
    http.as_(client_user)
    created = _create(http, {**ROUTINE, "schedule": {"kind": "daily"}})
    steps = http.get(f"/api/v1/routines/{created['id']}").json()["steps"]
    for step, status in zip(steps, ("done", "skipped", "done"), strict=True):
        body = {"id": str(uuid.uuid4()), "step_id": step["id"], "status": status}
        assert http.post(f"/api/v1/routines/{created['id']}/outcomes", json=body).status_code == 200
    history = http.get(f"/api/v1/routines/{created['id']}/history").json()
    assert history["cells"][-1]["done"] == 2
    assert history["cells"][-1]["level"] == 3
    assert history["most_skipped"]["title"] == "Curtains"
    http.as_(therapist)
    listed = http.get(f"/api/v1/clients/{client_user.id}/routines")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [created["id"]]
