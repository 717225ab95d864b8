"""Homework over HTTP: the whole loop, strict input, privacy, attachments."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from app.accounts.models import User
from tests import factories
from tests.homework.helpers import in_days


def _assign(http: Any, therapist: User, client: User, **extra: Any) -> dict[str, Any]:
    body = {
        "kind": "coping",
        "title": "Box breathing while calm",
        "target": "Box breathing",
        "frequency": "daily",
        "due_on": in_days(client, 6).isoformat(),
        **extra,
    }
    r = http.as_(therapist).post(f"/api/v1/clients/{client.id}/homework", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_assign_accept_complete_reply_loop(http: Any, therapist: User, client_user: User) -> None:
    a = _assign(http, therapist, client_user)
    assert a["state"] == "requested"
    assert a["fhir_status"] == "requested"
    listed = http.as_(client_user).get("/api/v1/homework")
    assert listed.headers["cache-control"] == "no-store"
    assert [x["id"] for x in listed.json()] == [a["id"]]
    assert listed.json()[0]["allowed_actions"] == ["accept", "ask_change", "decline"]
    r = http.post(f"/api/v1/homework/{a['id']}/actions", json={"action": "accept"})
    assert r.json()["state"] == "accepted"
    r = http.post(
        f"/api/v1/homework/{a['id']}/completions",
        json={"difficulty": 2, "helpfulness": 4, "reflection": "Calmer after 5 rounds"},
    )
    assert r.status_code == 201
    notices = http.as_(therapist).get("/api/v1/homework-notices").json()
    assert "practised" in notices[0]["text"]
    r = http.post(
        f"/api/v1/homework/{a['id']}/messages", json={"body": "Well done. Try 4-7-8 too."}
    )
    assert r.status_code == 201
    detail = http.as_(client_user).get(f"/api/v1/homework/{a['id']}").json()
    assert detail["completions"][0]["reflection"] == "Calmer after 5 rounds"
    assert detail["messages"][0]["author_role"] == "therapist"


def test_json_numbers_are_strict_and_errors_name_fields(
    http: Any, therapist: User, client_user: User
) -> None:
    a = _assign(http, therapist, client_user)
    http.as_(client_user).post(f"/api/v1/homework/{a['id']}/actions", json={"action": "accept"})
    r = http.post(f"/api/v1/homework/{a['id']}/completions", json={"difficulty": "3"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    r = http.post(f"/api/v1/homework/{a['id']}/completions", json={"difficulty": 9})
    assert r.status_code == 422
    r = http.post(f"/api/v1/homework/{a['id']}/messages", json={"body": "a\x00b"})
    assert r.status_code == 422


def test_forbidden_transition_is_a_conflict(http: Any, therapist: User, client_user: User) -> None:
    a = _assign(http, therapist, client_user)
    r = http.as_(client_user).post(f"/api/v1/homework/{a['id']}/completions", json={})
    assert r.status_code == 409


def test_client_never_sees_another_clients_homework(
    http: Any, session: Any, therapist: User, client_user: User
) -> None:
    a = _assign(http, therapist, client_user)
    other = factories.client(session, therapist=therapist)
    assert http.as_(other).get(f"/api/v1/homework/{a['id']}").status_code == 404
    assert http.get(f"/homework/{a['id']}").status_code == 404
    assert http.get("/api/v1/homework").json() == []


def test_attachment_upload_is_checked_and_served_safely(
    http: Any, therapist: User, client_user: User
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(out, "PNG")
    form = {
        "kind": "task",
        "title": "Look at the plan",
        "frequency": "once",
        "due_on": in_days(client_user, 3).isoformat(),
    }
    http.as_(therapist)
    r = http.post(
        f"/caseload/{client_user.id}/homework",
        data=form,
        files={"attachment": ("../plan.png", out.getvalue(), "image/png")},
    )
    assert r.status_code == 303, r.text
    assignment_id = r.headers["location"].split("/")[-1].split("?")[0]
    got = http.as_(client_user).get(f"/homework/{assignment_id}/attachment")
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert 'filename="plan.png"' in got.headers["content-disposition"]
    bad = http.as_(therapist).post(
        f"/caseload/{client_user.id}/homework",
        data=form,
        files={"attachment": ("x.pdf", b"<script>", "application/pdf")},
    )
    assert bad.status_code == 422
    assert "PNG, JPEG or WebP" in bad.text
    assert 'value="Look at the plan"' in bad.text


def test_pages_loop(http: Any, therapist: User, client_user: User) -> None:
    a = _assign(http, therapist, client_user, kind="reflection", questions=["What helped?"])
    http.as_(client_user)
    assert "Homework" in http.get("/today").text
    page = http.get(f"/homework/{a['id']}")
    assert "Can we change this?" in page.text
    assert "not a crisis service" in page.text
    r = http.post(f"/homework/{a['id']}/action", data={"action": "ask_change", "reason": ""})
    assert r.status_code == 422
    assert "please say what you would like to change" in r.text
    r = http.post(f"/homework/{a['id']}/action", data={"action": "accept"})
    assert r.status_code == 303
    r = http.post(
        f"/homework/{a['id']}/complete",
        data={
            "difficulty": "2",
            "helpfulness": "5",
            "reflection": "It helped",
            "answers": "Writing it down",
            "stuck": "",
            "finished": "yes",
        },
    )
    assert r.status_code == 303, r.text
    http.as_(therapist)
    page = http.get(f"/caseload/{client_user.id}/homework/{a['id']}")
    assert "It helped" in page.text
    assert "Writing it down" in page.text
    r = http.post(f"/homework/{a['id']}/messages", data={"body": "Thank you for this"})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/caseload/{client_user.id}/homework/")
    assert "homework" in http.get(f"/caseload/{client_user.id}").text.lower()


def test_thread_shows_on_both_sides(http: Any, therapist: User, client_user: User) -> None:
    a = _assign(http, therapist, client_user)
    http.as_(therapist).post(f"/homework/{a['id']}/messages", data={"body": "How is it going?"})
    page = http.get(f"/caseload/{client_user.id}/homework/{a['id']}")
    assert page.status_code == 200
    assert "How is it going?" in page.text
    http.as_(client_user).post(f"/homework/{a['id']}/messages", data={"body": "Fine, thanks"})
    page = http.get(f"/homework/{a['id']}")
    assert page.status_code == 200
    assert "Your therapist" in page.text
    assert "Fine, thanks" in page.text


def test_today_links_to_open_homework_even_when_nothing_is_due(
    http: Any, therapist: User, client_user: User
) -> None:
    body = {"kind": "task", "title": "Later task", "due_on": in_days(client_user, 5).isoformat()}
    created = http.as_(therapist).post(f"/api/v1/clients/{client_user.id}/homework", json=body)
    http.as_(client_user).post(
        f"/api/v1/homework/{created.json()['id']}/actions", json={"action": "accept"}
    )
    page = http.get("/today").text
    assert "Nothing due today" in page
    assert "All homework" in page
