"""Occupation pages: forms keep what was typed with errors by the field, a stale save is a 409
page, the diary on Today, interests into routines and homework, the review and the discharge."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.homework.models import HomeworkAssignment
from app.occupation.models import DiaryEntry, Interest, PlanGoal
from app.progress.models import GoalRating, MeasureResponse
from app.routines.models import Routine
from tests.occupation.helpers import goal

NOW = datetime(2026, 11, 18, 14, tzinfo=UTC)  # Wednesday afternoon in London
TODAY = date(2026, 11, 18)


def _ids(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def test_profile_form_keeps_text_and_a_stale_save_is_a_409_page(
    http: Any, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        assert 'name="version" value="0"' in http.get("/occupation/profile").text
        r = http.post("/occupation/profile", data={"version": "0", "hopes": "Cook"})
        assert (r.status_code, r.headers["location"]) == (303, "/occupation?saved=profile")
        too_long = http.post("/occupation/profile", data={"version": "1", "roles": "x" * 2001})
        assert too_long.status_code == 422
        assert 'id="f-roles-error"' in too_long.text
        http.as_(therapist)
        base = f"/caseload/{client_user.id}/occupation"
        assert (
            http.post(f"{base}/profile", data={"version": "1", "hopes": "Cook dinner"}).status_code
            == 303
        )
        http.as_(client_user)
        stale = http.post("/occupation/profile", data={"version": "1", "hopes": "Mine"})
        # Back from the conflict page: keep both for what I want, the saved text elsewhere.
        both = http.post(
            "/occupation/profile",
            data={"version": "2", "hopes": "Mine", "keep__hopes": "both"},
        )
        assert both.status_code == 303
        printed = http.get("/occupation/profile/print").text
    assert stale.status_code == 409
    assert "This was changed while you were editing" in stale.text
    assert ">Mine</textarea>" in stale.text  # what they typed is kept, beside the saved text
    assert 'name="version" value="2"' in stale.text  # the next save is deliberate
    assert "Version 3" in printed
    assert "Cook dinner\nMine" in printed


def test_rating_twice_shows_a_meaningful_change(http: Any, client_user: User) -> None:
    with clock.frozen_at(NOW - timedelta(days=42)):
        http.as_(client_user)
        http.post("/occupation/activities", data={"title": "Cooking"})
        page = http.get("/occupation/activities").text
        act = re.search(r'name="performance-([0-9a-f-]+)"', page)
        assert act is not None
        aid = act.group(1)
        missing = http.post(
            "/occupation/ratings", data={f"importance-{aid}": "8", "id": _ids(page, "id")[0]}
        )
        assert missing.status_code == 422
        assert f'id="f-performance-{aid}-error"' in missing.text
        first = {
            f"importance-{aid}": "8",
            f"performance-{aid}": "3",
            f"satisfaction-{aid}": "4",
            "id": _ids(page, "id")[0],
        }
        assert http.post("/occupation/ratings", data=first).status_code == 303
    with clock.frozen_at(NOW):
        http.as_(client_user)
        page = http.get("/occupation/activities").text
        later = {
            f"importance-{aid}": "8",
            f"performance-{aid}": "6",
            f"satisfaction-{aid}": "5",
            "id": _ids(page, "id")[0],
        }
        http.post("/occupation/ratings", data=later)
        http.post("/occupation/ratings", data=later)  # resent: stored once
        history = http.get("/occupation/activities").text
    assert history.count("<tr><td>") == 2
    assert "up 3 · a meaningful change" in history
    assert "up 1</span>" in history  # satisfaction 4 -> 5 is shown, but not as meaningful


def test_diary_on_today_only_during_a_diary_week_and_one_tap_per_block(
    http: Any, session: Session, client_user: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        assert "Activity diary" not in http.get("/today").text
        assert http.post("/occupation/diary/start").status_code == 303
        today = http.get("/today").text
        assert "Day 1 of 7" in today
        assert "Afternoon: Rest" in today
        assert "Evening: Rest" not in today
        form_id = re.search(
            r'data-diary-block="afternoon".*?name="id" value="([^"]+)"', today, re.S
        )
        assert form_id is not None
        tap = {
            "id": form_id.group(1),
            "done_on": TODAY.isoformat(),
            "block": "afternoon",
            "category": "leisure",
            "next": "/today",
        }
        r = http.post("/occupation/diary/tap", data=tap)
        assert r.headers["location"] == "/today#h-occupation"
        assert "✓ Fun and interests" in http.get("/today").text
        bad = http.post(
            "/occupation/diary",
            data={
                "done_on": TODAY.isoformat(),
                "block": "afternoon",
                "category": "",
                "pleasure": "12",
            },
        )
        assert bad.status_code == 422
        detail = {
            "done_on": TODAY.isoformat(),
            "block": "morning",
            "category": "productive",
            "activity": "Emails",
            "pleasure": "3",
            "mastery": "8",
        }
        assert http.post("/occupation/diary", data=detail).status_code == 303
        page = http.get("/occupation/diary").text
    assert "Emails" in page
    assert "enjoyed 3" in page
    assert "2 parts" not in page
    assert "1 part (50%)" in page
    rows = session.exec(select(DiaryEntry).where(DiaryEntry.client_id == client_user.id)).all()
    assert sorted(r.block for r in rows) == ["afternoon", "morning"]


def test_interests_checklist_and_the_therapist_turns_them_into_a_routine_and_homework(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(client_user)
        r = http.post(
            "/occupation/interests",
            data={"past:Swimming": "1", "try:Gardening": "1", "new": "Bird watching"},
        )
        assert r.status_code == 303
        assert (
            'name="try:Bird watching" value="1" checked' in http.get("/occupation/interests").text
        )
        rows = {
            i.name: i
            for i in session.exec(select(Interest).where(Interest.client_id == client_user.id))
        }
        http.as_(therapist)
        base = f"/caseload/{client_user.id}/occupation"
        assert http.post(f"{base}/interests/{rows['Gardening'].id}/routine").status_code == 303
        assert http.post(f"{base}/interests/{rows['Swimming'].id}/homework").status_code == 303
        hub = http.get(base).text
    assert "Routine made" in hub
    assert "Homework set" in hub
    routine = session.exec(select(Routine).where(Routine.client_id == client_user.id)).one()
    homework = session.exec(
        select(HomeworkAssignment).where(HomeworkAssignment.client_id == client_user.id)
    ).one()
    assert (routine.title, homework.title) == ("Gardening", "Try: Swimming")


def test_care_plan_review_shows_everything_side_by_side_and_records_the_outcome(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    g = goal(session, client_user, therapist)
    session.add_all(
        [
            GoalRating(
                goal_id=g.id,
                client_id=client_user.id,
                rated_on=TODAY,
                level=1,
                rated_by_id=therapist.id,
            ),
            MeasureResponse(
                client_id=client_user.id,
                code="gad7",
                answers=[1] * 7,
                total=7,
                band="mild",
                answered_at=NOW - timedelta(days=1),
            ),
        ]
    )
    session.flush()
    base = f"/caseload/{client_user.id}/occupation"
    with clock.frozen_at(NOW):
        http.as_(therapist)
        bad = http.post(f"{base}/plan", data={"goal_id": str(g.id), "review_on": "2026-11-01"})
        assert bad.status_code == 422
        assert 'id="f-review_on-error"' in bad.text
        ok = http.post(f"{base}/plan", data={"goal_id": str(g.id), "review_on": "2026-12-16"})
        assert ok.status_code == 303
        review = http.get(f"{base}/review").text
        assert "Cook a meal" in review
        assert "+1 (More than expected)" in review
        assert "GAD-7" in review
        assert "7 of 21" in review
        assert "Planned review: Wed 16 Dec 2026" in review
        missing = http.post(f"{base}/review", data={"notes": "x"})
        assert missing.status_code == 422
        saved = http.post(
            f"{base}/review",
            data={
                "outcome": "partly",
                "notes": "Cooks twice a week",
                "next_review_on": "2027-01-13",
            },
        )
        assert saved.status_code == 303
        after = http.get(f"{base}/review").text
    assert "Part of the way · <span data-authored>Cooks twice a week</span>" in after
    plan_goal = session.exec(select(PlanGoal).where(PlanGoal.goal_id == g.id)).one()
    assert plan_goal.review_on == date(2027, 1, 13)
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.client_id == client_user.id)
    ).all()
    assert "GET /caseload/{client_id}/occupation/review" in actions
    assert "occupation.review" in actions


def test_discharge_summary_page_pdf_fhir_and_the_clients_copy(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    base = f"/caseload/{client_user.id}/occupation"
    with clock.frozen_at(NOW):
        http.as_(client_user)
        assert "hasn't written a summary yet" in http.get("/occupation/discharge").text
        http.as_(therapist)
        future = http.post(f"{base}/discharge", data={"discharged_on": "2026-12-01"})
        assert future.status_code == 422
        assert 'id="f-discharged_on-error"' in future.text
        r = http.post(
            f"{base}/discharge",
            data={
                "discharged_on": TODAY.isoformat(),
                "what_helped": "The Sunday cooking routine",
                "client_words": "I feel more like me",
                "keep_going": "Keep cooking on Sundays",
            },
        )
        assert r.status_code == 303
        pdf = http.get(f"{base}/discharge.pdf")
        fhir = http.get(f"{base}/discharge.fhir.json")
        printed = http.get(f"{base}/discharge/print").text
        http.as_(client_user)
        mine = http.get("/occupation/discharge").text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bundle = Bundle.model_validate(json.loads(fhir.content))
    kinds = [e.resource.get_resource_type() for e in bundle.entry or [] if e.resource]
    assert kinds == ["Composition", "Patient", "CarePlan"]
    for text in ("The Sunday cooking routine", "I feel more like me", "Keep cooking on Sundays"):
        assert text in printed
        assert text in mine
    assert "Need help" in mine  # the client's copy is a normal page, crisis link included
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.client_id == client_user.id)
    ).all()
    assert {"export.discharge_pdf", "export.discharge_fhir", "occupation.discharge"} <= set(actions)


def test_therapist_client_page_shows_the_care_cycle_glance(
    http: Any, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(NOW):
        http.as_(therapist)
        page = http.get(f"/caseload/{client_user.id}").text
    assert "Assessment and care plan" in page
    assert "No occupational profile yet." in page


def test_today_shows_the_day_so_far_and_only_the_night_in_the_small_hours(
    http: Any, client_user: User
) -> None:
    with clock.frozen_at(datetime(2026, 11, 18, 8, tzinfo=UTC)):
        http.as_(client_user)
        http.post("/occupation/diary/start")
        morning = http.get("/today").text
    with clock.frozen_at(datetime(2026, 11, 19, 2, tzinfo=UTC)):
        small_hours = http.get("/today").text
    assert re.findall(r'data-diary-block="(\w+)"', morning) == ["morning"]
    assert re.findall(r'data-diary-block="(\w+)"', small_hours) == ["night"]
    assert "Day 2 of 7" in small_hours
