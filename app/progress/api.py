"""Progress JSON API: the dashboard rows, goals and ratings, measures, session notes."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from app import clock, versioning
from app.accounts.dependencies import CurrentClient, CurrentTherapist
from app.body_limit import LONG_TEXT
from app.db import SessionDep
from app.errors import NotFound
from app.progress import dashboard, goals, measure_service, measures, notes
from app.progress.dependencies import ClientGoal, TherapistClient, TherapistNote
from app.progress.models import MeasureResponse
from app.progress.schemas import (
    DashboardRow,
    DueMeasure,
    FlagPublic,
    GoalCreate,
    GoalPublic,
    GoalsPublic,
    MeasureCode,
    NoteCreate,
    NotePublic,
    NoteUpdate,
    RatingsCreate,
    ResponseCreate,
    ResponsePublic,
    ScheduleCreate,
    SchedulePublic,
    TPoint,
)

router = APIRouter(tags=["progress"])
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/dashboard", response_model=list[DashboardRow])
def dashboard_rows(
    session: SessionDep, therapist: CurrentTherapist, response: Response
) -> list[DashboardRow]:
    response.headers.update(NO_STORE)
    rows = dashboard.rows(session, therapist_id=therapist.id, now=clock.now())
    return [
        DashboardRow(
            client_id=r.client_id,
            name=r.name,
            last_activity_at=r.last_activity_at,
            adherence=r.adherence,
            adherence_prev=r.adherence_prev,
            episodes=r.episodes,
            episodes_prev=r.episodes_prev,
            distress_trend=r.distress_trend,
            flags=[
                FlagPublic(code=f.code, label=f.label, reason=str(f.reason), severity=f.severity)
                for f in r.flags
            ],
        )
        for r in rows
    ]


def _goals(session: SessionDep, client_id: uuid.UUID) -> GoalsPublic:
    everything = goals.all_goals(session, client_id)
    points = goals.t_series(everything, goals.ratings(session, client_id))
    return GoalsPublic(
        goals=[GoalPublic.model_validate(g) for g in everything if g.archived_at is None],
        t_scores=[TPoint(on=p.on, t_score=p.t_score, goals_rated=p.goals_rated) for p in points],
    )


@router.get("/clients/{client_id}/goals", response_model=GoalsPublic)
def client_goals(
    client: TherapistClient, session: SessionDep, _t: CurrentTherapist, response: Response
) -> GoalsPublic:
    response.headers.update(NO_STORE)
    return _goals(session, client.id)


@router.post("/clients/{client_id}/goals", response_model=GoalPublic, status_code=201)
def goal_create(
    data: GoalCreate, client: TherapistClient, session: SessionDep, therapist: CurrentTherapist
) -> GoalPublic:
    return GoalPublic.model_validate(
        goals.create_goal(session, therapist=therapist, client=client, data=data)
    )


@router.put("/clients/{client_id}/goals/{goal_id}", response_model=GoalPublic)
def goal_update(
    data: GoalCreate,
    goal: ClientGoal,
    session: SessionDep,
    therapist: CurrentTherapist,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> GoalPublic:
    updated = goals.update_goal(
        session,
        therapist=therapist,
        goal=goal,
        data=data,
        expected=versioning.parse_if_match(if_match),
    )
    response.headers.update(versioning.etag_headers(updated.version))
    return GoalPublic.model_validate(updated)


@router.post("/clients/{client_id}/goal-ratings", response_model=GoalsPublic, status_code=201)
def goal_rate(
    data: RatingsCreate, client: TherapistClient, session: SessionDep, therapist: CurrentTherapist
) -> GoalsPublic:
    goals.rate(session, therapist=therapist, client=client, data=data)
    return _goals(session, client.id)


@router.post(
    "/clients/{client_id}/measure-schedules", response_model=SchedulePublic, status_code=201
)
def measure_schedule(
    data: ScheduleCreate, client: TherapistClient, session: SessionDep, therapist: CurrentTherapist
) -> SchedulePublic:
    row = measure_service.schedule(session, therapist=therapist, client=client, data=data)
    return SchedulePublic.model_validate(row)


def _response(row: MeasureResponse) -> ResponsePublic:
    return ResponsePublic(
        id=row.id,
        code=row.code,
        total=row.total,
        band=row.band,
        band_label=measure_service.band_label(row),
        urgent=row.urgent,
        answered_at=row.answered_at,
    )


@router.get("/clients/{client_id}/measure-responses", response_model=list[ResponsePublic])
def measure_responses(
    client: TherapistClient, session: SessionDep, _t: CurrentTherapist, response: Response
) -> list[ResponsePublic]:
    response.headers.update(NO_STORE)
    return [_response(r) for r in measure_service.responses(session, client_id=client.id)]


@router.get("/measures/due", response_model=list[DueMeasure])
def due_measures(
    session: SessionDep, client: CurrentClient, response: Response
) -> list[DueMeasure]:
    response.headers.update(NO_STORE)
    rows = measure_service.due(
        session, client_id=client.id, today=clock.local_today(client.user.time_zone)
    )
    return [
        DueMeasure(
            code=s.code,
            name=measures.get(s.code).name,
            prompt=measures.get(s.code).prompt,
            items=[i.text for i in measures.get(s.code).items],
            next_due_on=s.next_due_on,
        )
        for s in rows
    ]


@router.post("/measures/{code}/responses", response_model=ResponsePublic, status_code=201)
def measure_answer(
    code: MeasureCode, data: ResponseCreate, session: SessionDep, client: CurrentClient
) -> ResponsePublic:
    return _response(measure_service.submit(session, client=client, code=code, data=data))


def _note(view: notes.NoteView) -> NotePublic:
    return NotePublic(
        id=view.note.id,
        client_id=view.note.client_id,
        session_on=view.note.session_on,
        version=view.version,
        body=view.body,
        author_id=view.author_id,
        updated_at=view.updated_at,
    )


@router.get("/clients/{client_id}/notes", response_model=list[NotePublic])
def client_notes(
    client: TherapistClient, session: SessionDep, _t: CurrentTherapist, response: Response
) -> list[NotePublic]:
    response.headers.update(NO_STORE)
    return [_note(v) for v in notes.for_client(session, client.id)]


@router.post(
    "/clients/{client_id}/notes",
    response_model=NotePublic,
    status_code=201,
    openapi_extra=LONG_TEXT,
)
def note_create(
    data: NoteCreate, client: TherapistClient, session: SessionDep, therapist: CurrentTherapist
) -> NotePublic:
    note = notes.create(session, therapist=therapist, client=client, data=data)
    return _one_note(session, note.client_id, note.id)


def _one_note(session: SessionDep, client_id: uuid.UUID, note_id: uuid.UUID) -> NotePublic:
    for view in notes.for_client(session, client_id):
        if view.note.id == note_id:
            return _note(view)
    raise NotFound()


@router.get("/notes/{note_id}", response_model=NotePublic)
def note_get(note: TherapistNote, session: SessionDep, response: Response) -> NotePublic:
    response.headers.update(NO_STORE)
    return _one_note(session, note.client_id, note.id)


@router.put("/notes/{note_id}", response_model=NotePublic, openapi_extra=LONG_TEXT)
def note_update(
    data: NoteUpdate, note: TherapistNote, session: SessionDep, therapist: CurrentTherapist
) -> NotePublic:
    notes.update(session, therapist=therapist, note=note, data=data)
    return _one_note(session, note.client_id, note.id)
