"""Progress pages end to end over HTTP: goals and T, measures and the item 9 flag, versioned
notes that clients never see, the report PDF, CSV and FHIR exports (audit-logged)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from tests import factories
from tests.homework.helpers import assignment, principal
from tests.progress import pdf_facts
from tests.progress.test_report_jobs import follow_report

GOAL = {
    "level_m2": "Never",
    "level_m1": "Once a fortnight",
    "level_0": "Once a week",
    "level_p1": "Twice a week",
    "level_p2": "Three times a week",
}


def _goal(http: Any, client: User, title: str) -> None:
    r = http.post(
        f"/caseload/{client.id}/progress/goals", data={"title": title, "weight": "1", **GOAL}
    )
    assert r.status_code == 303, r.text


def test_goals_rated_show_the_t_score(http: Any, therapist: User, client_user: User) -> None:
    http.as_(therapist)
    _goal(http, client_user, "Cook a meal")
    _goal(http, client_user, "Take the bus")
    _goal(http, client_user, "Call a friend")
    page = http.get(f"/caseload/{client_user.id}/progress/goals")
    ids = [
        line.split('name="level-')[1].split('"')[0]
        for line in page.text.splitlines()
        if 'name="level-' in line
    ][::5]
    assert len(ids) == 3
    today = clock.local_today(client_user.time_zone).isoformat()
    r = http.post(
        f"/caseload/{client_user.id}/progress/goals/ratings",
        data={
            "rated_on": today,
            f"level-{ids[0]}": "1",
            f"level-{ids[1]}": "1",
            f"level-{ids[2]}": "0",
        },
    )
    assert r.status_code == 303, r.text
    page = http.get(f"/caseload/{client_user.id}/progress/goals")
    assert "T-score: latest 59.1" in page.text


def test_goal_form_errors_keep_what_was_typed(
    http: Any, therapist: User, client_user: User
) -> None:
    r = http.as_(therapist).post(
        f"/caseload/{client_user.id}/progress/goals",
        data={"title": "Walk daily", **GOAL, "level_0": ""},
    )
    assert r.status_code == 422
    assert 'value="Walk daily"' in r.text
    r = http.post(
        f"/caseload/{client_user.id}/progress/goals/ratings", data={"rated_on": "2026-01-01"}
    )
    assert r.status_code == 422


def test_phq9_item9_flags_the_therapist_and_shows_the_client_help(
    http: Any, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    r = http.post(
        f"/caseload/{client_user.id}/progress/measures", data={"code": "phq9", "every_days": "14"}
    )
    assert r.status_code == 303, r.text
    http.as_(client_user)
    assert "Answer the PHQ-9" in http.get("/today").text
    answers = {f"item-{n}": "1" for n in range(1, 10)}
    r = http.post("/measures/phq9", data={**answers, "item-5": ""})
    assert r.status_code == 422
    assert "Please answer question 5" in r.text
    r = http.post("/measures/phq9", data=answers)
    assert r.status_code == 303
    done = http.get(r.headers["location"])
    assert "Your therapist has been told" in done.text
    assert "Samaritans" in done.text
    assert "not a diagnosis" in done.text
    assert "mild range" in done.text
    assert "Answer the PHQ-9" not in http.get("/today").text
    http.as_(therapist)
    dash = http.get("/dashboard")
    assert "PHQ-9 item 9" in dash.text
    assert "(urgent)" in dash.text
    assert "PHQ-9 item 9 answered above 0" in http.get(f"/caseload/{client_user.id}").text


def test_notes_are_versioned_and_never_shown_to_the_client(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    today = clock.local_today(client_user.time_zone).isoformat()
    r = http.post(
        f"/caseload/{client_user.id}/progress/notes",
        data={"session_on": today, "body": "First words"},
    )
    assert r.status_code == 303
    page = http.get(f"/caseload/{client_user.id}/progress/notes")
    note_id = page.text.split(f"/caseload/{client_user.id}/progress/notes/")[1].split('"')[0]
    r = http.post(
        f"/caseload/{client_user.id}/progress/notes/{note_id}",
        data={"body": "Second words", "expected_version": "1"},
    )
    assert r.status_code == 303
    stale = http.post(
        f"/caseload/{client_user.id}/progress/notes/{note_id}",
        data={"body": "Lost update", "expected_version": "1"},
    )
    assert stale.status_code == 422
    assert "changed since you opened it" in stale.text
    history = http.get(f"/caseload/{client_user.id}/progress/notes?history={note_id}")
    assert "First words" in history.text
    assert "Second words" in history.text
    http.as_(client_user)
    assert http.get(f"/caseload/{client_user.id}/progress/notes").status_code == 403
    assert http.get(f"/api/v1/notes/{note_id}").status_code == 404
    other = factories.therapist(session, factories.clinic(session, name="Other"))
    http.as_(other)
    assert http.get(f"/caseload/{client_user.id}/progress/notes").status_code == 404


def test_report_pdf_csv_and_fhir_are_real_and_audited(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    a = assignment(session, therapist, client_user, title="=HYPERLINK(1)")
    from app.homework import service
    from app.homework.schemas import ClientAction, CompletionCreate

    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    service.complete(
        session, client=me, assignment=a, data=CompletionCreate(reflection="Went fine")
    )
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/progress"
    assert http.get(f"{base}/report").status_code == 200
    view = http.get(f"{base}/report?view=print")
    assert f"Progress report: {client_user.preferred_name}" in view.text
    assert "Went fine" in view.text
    pdf = follow_report(http, f"{base}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf_facts.page_count(pdf.content) >= 1
    assert f"Progress report: {client_user.preferred_name}" in pdf_facts.strings(pdf.content)
    rows = list(csv.reader(io.StringIO(http.get(f"{base}/export.csv").text)))
    assert ["homework", rows[1][1], "'=HYPERLINK(1)", "completed", "task"] in rows
    bundle = http.get(f"{base}/export.fhir.json")
    assert bundle.headers["content-type"].startswith("application/fhir+json")
    parsed = Bundle.model_validate(json.loads(bundle.text))
    assert {type(e.resource).__name__ for e in parsed.entry or []} >= {"Patient", "Task"}
    bad = http.get(f"{base}/report.pdf?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 422
    actions = set(
        session.exec(select(AuditEvent.action).where(AuditEvent.client_id == client_user.id)).all()
    )
    assert {"export.report_pdf", "export.csv", "export.fhir"} <= actions
    assert any(x.startswith("GET /caseload/{client_id}/progress") for x in actions)


def test_progress_digest_lists_reflections_and_stuck(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    from app.homework import service
    from app.homework.schemas import ClientAction, CompletionCreate

    a = assignment(session, therapist, client_user)
    me = principal(session, client_user)
    service.client_action(session, client=me, assignment=a, data=ClientAction(action="accept"))
    service.complete(
        session,
        client=me,
        assignment=a,
        data=CompletionCreate(reflection="Calmer", stuck="Weekends"),
    )
    page = http.as_(therapist).get(f"/caseload/{client_user.id}/progress")
    assert page.status_code == 200
    assert "Calmer" in page.text
    assert "Weekends" in page.text
    assert "Homework practice by day" in page.text


def test_routines_show_as_a_heat_map_and_a_care_plan_activity(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    from app.routines import service as routines
    from app.routines.schemas import RoutineCreate

    routines.create_routine(
        session=session,
        client_id=client_user.id,
        tz=client_user.time_zone,
        created_by_id=therapist.id,
        data=RoutineCreate.model_validate(
            {"title": "Morning routine", "steps": [{"title": "Wash"}]}
        ),
    )
    http.as_(therapist)
    page = http.get(f"/caseload/{client_user.id}/progress")
    assert "Routines by day" in page.text
    assert "Morning routine" in page.text
    bundle = json.loads(http.get(f"/caseload/{client_user.id}/progress/export.fhir.json").text)
    (plan,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    ]
    assert plan["activity"][0]["detail"]["code"]["text"] == "Morning routine"
    Bundle.model_validate(bundle)
