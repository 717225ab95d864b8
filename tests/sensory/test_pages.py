"""Sensory pages: forms keep what was typed, errors sit by the field, Today's quick check-off."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem


def _form(**fields: Any) -> dict[str, Any]:
    return fields


def test_client_fills_in_the_checklist_and_sees_the_summary(http: Any, client_user: User) -> None:
    http.as_(client_user)
    page = http.get("/sensory/profile")
    assert page.status_code == 200
    assert page.text.count('type="radio"') == 8 * 5
    r = http.post(
        "/sensory/profile",
        data={
            "r_vestibular": "seek",
            "r_auditory": "avoid",
            "triggers": ["crowds", "bright_light"],
            "calming": "rocking",
            "notes": "Dim light please",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/sensory?saved=profile"
    summary = http.get("/sensory").text
    assert "You tend to seek movement." in summary
    assert "You tend to avoid sound." in summary
    assert "Known triggers: crowds and busy places; bright or flickering light." in summary
    again = http.get("/sensory/profile").text
    assert re.search(r'name="r_vestibular" value="seek" checked', again)
    assert re.search(r'name="triggers" value="crowds" checked', again)


def test_a_tampered_answer_comes_back_with_the_error_and_the_other_answers(
    http: Any, client_user: User
) -> None:
    http.as_(client_user)
    r = http.post("/sensory/profile", data={"r_visual": "love", "r_auditory": "avoid"})
    assert r.status_code == 422
    assert "choose one of the four answers" in r.text
    assert re.search(r'name="r_auditory" value="avoid" checked', r.text)


def test_kit_and_calm_corner(http: Any, client_user: User) -> None:
    http.as_(client_user)
    assert http.get("/sensory/kit").status_code == 200
    r = http.post(
        "/sensory/kit",
        data={
            "items": ["weighted_blanket", "fidget"],
            "corner_items": "rocking_chair",
            "corner_location": "By the bedroom window",
        },
    )
    assert r.status_code == 303
    page = http.get("/sensory").text
    assert "By the bedroom window" in page
    long = http.post("/sensory/kit", data={"corner_location": "x" * 201})
    assert long.status_code == 422
    assert "under 200 characters" in long.text


def test_add_a_diet_item_with_errors_kept_by_the_field(http: Any, client_user: User) -> None:
    http.as_(client_user)
    assert http.get("/sensory/diet").status_code == 200
    bad = http.post(
        "/sensory/diet", data={"title": "Swing in the park", "local_time": "08:00", "days": "1"}
    )
    assert bad.status_code == 422
    assert "calming or alerting" in bad.text
    assert 'value="Swing in the park"' in bad.text
    no_days = http.post("/sensory/diet", data={"activity_id": "fidget", "local_time": "08:00"})
    assert no_days.status_code == 422
    ok = http.post(
        "/sensory/diet",
        data={
            "activity_id": "weighted_blanket_rest",
            "local_time": "21:00",
            "days": ["0", "1", "2", "3", "4", "5", "6"],
        },
    )
    assert ok.status_code == 303
    plan = http.get("/sensory/diet").text
    assert "Rest under a weighted blanket" in plan
    assert "suit your size" in plan


def test_today_lists_the_item_and_checks_it_off(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    http.post(
        "/sensory/diet",
        data={
            "activity_id": "joint_compressions",
            "local_time": "08:00",
            "days": [str(d) for d in range(7)],
        },
    )
    today = http.get("/today").text
    assert "Sensory diet" in today
    assert "Joint compressions" in today
    assert "Only as taught by your therapist." in today
    item = session.exec(
        select(SensoryDietItem).where(SensoryDietItem.client_id == client_user.id)
    ).one()
    checkoff_id = re.search(r'name="id" value="([0-9a-f-]{36})"', today)
    assert checkoff_id is not None
    r = http.post(
        f"/sensory/diet/{item.id}/checkoff",
        data={"id": checkoff_id.group(1), "felt_after": "just_right", "felt_before": "too_high"},
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/today#h-sensory"
    # The same form sent twice (a double tap, a replay) is stored once.
    http.post(
        f"/sensory/diet/{item.id}/checkoff",
        data={"id": checkoff_id.group(1), "felt_after": "too_low"},
    )
    rows = session.exec(
        select(SensoryDietCheckoff).where(SensoryDietCheckoff.item_id == item.id)
    ).all()
    assert [(c.felt_before, c.felt_after) for c in rows] == [("too_high", "just_right")]
    assert "Done · felt just right" in http.get("/today").text


def test_therapist_sees_the_plan_and_the_view_is_audited(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    http.as_(client_user).post(
        "/sensory/diet",
        data={
            "activity_id": "rocking_chair",
            "local_time": "15:00",
            "days": [str(d) for d in range(7)],
        },
    )
    http.as_(therapist)
    page = http.get(f"/caseload/{client_user.id}/sensory")
    assert page.status_code == 200
    assert "Rocking chair" in page.text
    assert "0 of 1" in page.text
    assert "No check-offs yet." in page.text
    actions = session.exec(
        select(AuditEvent.action).where(
            AuditEvent.client_id == client_user.id, AuditEvent.actor_id == therapist.id
        )
    ).all()
    assert "GET /caseload/{client_id}/sensory" in actions
    overview = http.get(f"/caseload/{client_user.id}").text
    assert f"/caseload/{client_user.id}/sensory" in overview
    edit = http.post(
        f"/caseload/{client_user.id}/sensory/profile", data={"r_proprioceptive": "seek"}
    )
    assert edit.status_code == 303
    assert (
        f"{client_user.preferred_name} tends to seek deep pressure."
        in http.get(f"/caseload/{client_user.id}/sensory").text
    )


def test_therapist_plans_an_item_for_the_client(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/sensory"
    r = http.post(
        f"{base}/diet",
        data={
            "title": "Carry the shopping in",
            "effect": "alerting",
            "course": "main_course",
            "minutes": "5",
            "local_time": "17:30",
            "days": ["0", "3"],
        },
    )
    assert r.status_code == 303
    item = session.exec(
        select(SensoryDietItem).where(SensoryDietItem.client_id == client_user.id)
    ).one()
    assert item.created_by_id == therapist.id
    assert http.get(f"{base}/diet/{item.id}").status_code == 200
    r = http.post(
        f"{base}/diet/{item.id}",
        data={
            "title": "Carry the shopping",
            "effect": "alerting",
            "course": "main_course",
            "local_time": "18:00",
            "days": "0",
        },
    )
    assert r.status_code == 303
    session.refresh(item)
    assert (item.title, item.days_mask) == ("Carry the shopping", 1)
    assert http.post(f"{base}/diet/{item.id}/remove").status_code == 303


def test_more_page_links_to_my_senses(http: Any, client_user: User) -> None:
    assert 'href="/sensory"' in http.as_(client_user).get("/more").text


def test_therapist_library_lists_activities_with_cautions(http: Any, therapist: User) -> None:
    http.as_(therapist)
    assert "/library/sensory" in http.get("/library").text
    page = http.get("/library/sensory").text
    assert "Joint compressions" in page
    assert "Only as taught" in page
    assert "suit your size" in page
