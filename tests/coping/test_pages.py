"""Calm pages: forms keep what was typed and show errors beside fields; toolbox changes stick."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User
from app.coping import plans, toolbox
from tests import factories


def test_flow_page_embeds_the_library_for_offline_use_and_is_public(http: Any) -> None:
    r = http.as_(None).get("/calm-now")
    assert r.status_code == 200
    assert 'id="calm-library"' in r.text
    assert "box-breathing" in r.text
    assert 'data-mode="anon"' in r.text


def test_logged_in_client_gets_the_personal_flow(http: Any, client_user: User) -> None:
    r = http.as_(client_user).get("/calm")
    assert 'data-mode="client"' in r.text
    assert "/calm/safety-plan" in r.text


def test_safety_plan_form_keeps_text_and_shows_an_error_beside_the_field(
    http: Any, client_user: User, session: Any
) -> None:
    r = http.as_(client_user).post(
        "/calm/safety-plan",
        data={"warning_signs": "Not sleeping", "reasons_for_living": "x" * 5001},
    )
    assert r.status_code == 422
    assert "Please keep this under 5,000 characters." in r.text
    assert "Not sleeping" in r.text
    assert plans.get_plan(session, client_user.id, "safety") is None
    r = http.as_(client_user).post("/calm/safety-plan", data={"warning_signs": "Not sleeping"})
    assert r.status_code == 303
    page = http.as_(client_user).get("/calm/safety-plan")
    assert "Not sleeping" in page.text
    assert "Samaritans" in page.text
    assert "Printable version" in page.text


def test_hiding_from_the_toolbox_page_moves_it_to_hidden(
    http: Any, client_user: User, session: Any
) -> None:
    r = http.as_(client_user).post("/calm/toolbox/box-breathing", data={"action": "hide"})
    assert r.status_code == 303
    entries = toolbox.toolbox_entries(session, client_user.id)
    assert [(e.strategy_key, e.hidden) for e in entries] == [("box-breathing", True)]
    page = http.as_(client_user).get("/calm/toolbox")
    hidden_part = page.text.split("Hidden: “doesn't help me”")[1]
    assert "Box breathing" in hidden_part
    assert (
        http.as_(client_user)
        .post("/calm/toolbox/box-breathing", data={"action": "explode"})
        .status_code
        == 422
    )


def test_my_strategy_form_errors_then_the_strategy_is_used_in_ranking(
    http: Any, client_user: User
) -> None:
    r = http.as_(client_user).post(
        "/calm/my-strategies", data={"title": "", "steps": "Pet the dog"}
    )
    assert r.status_code == 422
    assert "Pet the dog" in r.text
    r = http.as_(client_user).post(
        "/calm/my-strategies",
        data={
            "title": "Play with the dog",
            "steps": "Find the ball\nThrow it",
            "minutes": "5",
            "kind": "activity",
        },
    )
    assert r.status_code == 303
    assert "Play with the dog" in http.as_(client_user).get("/calm/my-strategies").text
    sync = http.as_(client_user).get("/api/v1/calm/sync").json()
    assert [s["title"] for s in sync["strategies"]] == ["Play with the dog"]
    assert sync["strategies"][0]["steps"] == ["Find the ball", "Throw it"]


def test_therapist_plan_edit_is_versioned_and_other_therapists_get_404(
    http: Any, client_user: User, therapist: User, clinic: Any, session: Any
) -> None:
    r = http.as_(therapist).post(
        f"/caseload/{client_user.id}/calm/plans/safety", data={"warning_signs": "Pacing"}
    )
    assert r.status_code == 303
    r = http.as_(therapist).post(
        f"/caseload/{client_user.id}/calm/plans/safety", data={"warning_signs": "Pacing\x00"}
    )
    assert r.status_code == 422
    page = http.as_(therapist).get(f"/caseload/{client_user.id}/calm/plans/safety")
    assert "Pacing" in page.text
    other = factories.therapist(session, clinic)
    assert http.as_(other).get(f"/caseload/{client_user.id}/calm").status_code == 404


def test_admin_crisis_line_needs_a_number(http: Any, clinic: Any, session: Any) -> None:
    admin = factories.admin(session, clinic)
    r = http.as_(admin).post("/admin/calm/crisis-lines", data={"name": "Night team"})
    assert r.status_code == 422
    assert "Give a phone number or a text number." in r.text
    assert "Night team" in r.text
    r = http.as_(admin).post(
        "/admin/calm/crisis-lines", data={"name": "Night team", "phone": "01632 960 111"}
    )
    assert r.status_code == 303


def test_a_new_safety_plan_starts_with_the_crisis_lines_for_the_clients_country(
    http: Any, client_user: User
) -> None:
    page = http.as_(client_user).get("/calm/safety-plan")
    assert page.status_code == 200
    assert "Samaritans: call 116 123" in page.text
    assert "Emergency: 999" in page.text
