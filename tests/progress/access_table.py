"""Progress routes in the authorization matrix: session notes are never the client's to see."""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from datetime import date

from app import clock
from app.progress import goals, measure_service, notes, report_jobs
from app.progress.schemas import GoalCreate, NoteCreate, ResponseCreate, ScheduleCreate
from tests.access import (
    CLIENT_SELF,
    LOGIN,
    NOT_FOUND,
    THERAPIST_CLIENT_DATA,
    THERAPIST_ONLY,
    Answer,
    Expect,
    Route,
    World,
)

# A note by id: only the client's therapist; the client gets 404 like a stranger.
THERAPIST_NOTE = Expect(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, Answer.ALLOW, NOT_FOUND, NOT_FOUND)
P = "/caseload/{client_id}/progress"

ROUTES = [
    Route("GET", "/api/v1/dashboard", THERAPIST_ONLY),
    Route("GET", "/api/v1/clients/{client_id}/goals", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/clients/{client_id}/goals", THERAPIST_CLIENT_DATA),
    Route("PUT", "/api/v1/clients/{client_id}/goals/{goal_id}", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/clients/{client_id}/goal-ratings", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/clients/{client_id}/measure-schedules", THERAPIST_CLIENT_DATA),
    Route("GET", "/api/v1/clients/{client_id}/measure-responses", THERAPIST_CLIENT_DATA),
    Route("GET", "/api/v1/measures/due", CLIENT_SELF),
    Route("POST", "/api/v1/measures/{code}/responses", CLIENT_SELF),
    Route("GET", "/api/v1/clients/{client_id}/notes", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/clients/{client_id}/notes", THERAPIST_CLIENT_DATA),
    Route("GET", "/api/v1/notes/{note_id}", THERAPIST_NOTE),
    Route("PUT", "/api/v1/notes/{note_id}", THERAPIST_NOTE),
    Route("GET", "/dashboard", THERAPIST_ONLY),
    Route("POST", "/dashboard/notices-read", THERAPIST_ONLY),
    Route("GET", P, THERAPIST_CLIENT_DATA),
    Route("GET", P + "/report", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/report.pdf", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/report-jobs/{job_id}", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/report-jobs/{job_id}/report.pdf", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/export.csv", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/export.fhir.json", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/goals", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/goals", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/goals/ratings", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/goals/{goal_id}", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/goals/{goal_id}", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/goals/{goal_id}/archive", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/measures", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/measures", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/measures/{schedule_id}/stop", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/responses/{response_id}/acknowledge", THERAPIST_CLIENT_DATA),
    Route("GET", P + "/notes", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/notes", THERAPIST_CLIENT_DATA),
    Route("POST", P + "/notes/{note_id}", THERAPIST_CLIENT_DATA),
    Route("GET", "/measures/{code}", CLIENT_SELF),
    Route("POST", "/measures/{code}", CLIENT_SELF),
]


def build(world: World) -> dict[str, str]:
    therapist = world.principal("therapist")
    client = world.own_client
    level = {f"level_{k}": f"Level {k}" for k in ("m2", "m1", "0", "p1", "p2")}
    goal = goals.create_goal(
        world.session,
        therapist=therapist,
        client=client,
        data=GoalCreate(title="Cook a meal", **level),
    )
    schedule = measure_service.schedule(
        world.session,
        therapist=therapist,
        client=client,
        data=ScheduleCreate(code="gad7", every_days=14),
    )
    response = measure_service.submit(
        world.session,
        client=world.principal("own_client"),
        code="gad7",
        data=ResponseCreate(answers=[1, 1, 1, 0, 0, 0, 0]),
    )
    note = notes.create(
        world.session,
        therapist=therapist,
        client=client,
        data=NoteCreate(session_on=clock.local_today(client.time_zone), body="Notes"),
    )
    # A finished report the world's therapist made about their client (adopted, not rendered:
    # thousands of worlds must not queue renders on the app's one worker).
    done: Future[bytes] = Future()
    done.set_result(b"%PDF-1.7 test")
    job = report_jobs.Job(
        id=f"job-{uuid.uuid4().hex}",
        therapist_id=therapist.id,
        client_id=client.id,
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        filename="r.pdf",
        future=done,
    )
    report_jobs.jobs.adopt(job)
    return {
        "job_id": job.id,
        "goal_id": str(goal.id),
        "schedule_id": str(schedule.id),
        "response_id": str(response.id),
        "note_id": str(note.id),
        "code": "phq9",
    }
