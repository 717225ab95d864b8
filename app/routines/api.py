"""JSON API for routines under /api/v1/routines. Thin: schemas in, service calls, schemas out."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, UploadFile

from app import clock, versioning
from app.accounts.dependencies import AccessibleClient, CurrentClient
from app.body_limit import upload_limit
from app.db import SessionDep
from app.errors import PayloadTooLarge, Unprocessable
from app.i18n import N_
from app.routines import feeds, photos, queries, runs, service, templates_service
from app.routines.dependencies import AccessibleRoutine, OwnRoutine
from app.routines.schemas import (
    BadDayIn,
    FromTemplateIn,
    HistoryPublic,
    OutcomeIn,
    OutcomePublic,
    OutcomeResult,
    PauseIn,
    PausePublic,
    ReminderTimesIn,
    RoutineCreate,
    RoutineDetail,
    RoutineFields,
    RoutinePublic,
    RunPublic,
    StepIn,
    StepOrder,
    StepPublic,
    TodayItem,
)

# One flat router (no nested include_router, which FastAPI would keep as an opaque sub-router).
router = APIRouter(tags=["routines"])
P = "/routines"
NO_STORE = {"Cache-Control": "no-store"}


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


def _detail(session: SessionDep, access: AccessibleRoutine) -> RoutineDetail:
    r = access.routine
    return RoutineDetail.model_validate(
        {
            **RoutinePublic.model_validate(r).model_dump(),
            "steps": [StepPublic.model_validate(s) for s in service.steps_of(session, r.id)],
            "pauses": [PausePublic.model_validate(p) for p in service.pauses_of(session, r.id)],
            "reminder_times": [t.at_time for t in service.reminder_times_of(session, r.id)],
        }
    )


@router.get(P, response_model=list[RoutinePublic])
def list_routines(
    session: SessionDep, client: CurrentClient, response: Response, archived: bool = False
) -> list[RoutinePublic]:
    _no_store(response)
    return [
        RoutinePublic.model_validate(r)
        for r in service.list_routines(session, client_id=client.id, archived=archived)
    ]


@router.post(P, response_model=RoutinePublic, status_code=201)
def create_routine(
    body: RoutineCreate, session: SessionDep, client: CurrentClient
) -> RoutinePublic:
    routine = service.create_routine(
        session=session,
        client_id=client.id,
        tz=client.user.time_zone,
        created_by_id=client.id,
        data=body,
    )
    return RoutinePublic.model_validate(routine)


@router.get(P + "/today", response_model=list[TodayItem])
def today(session: SessionDep, client: CurrentClient, response: Response) -> list[TodayItem]:
    _no_store(response)
    day = clock.local_today(client.user.time_zone)
    return [
        TodayItem(
            id=r.id,
            title=r.title,
            icon=r.icon,
            part_of_day=r.part_of_day,
            at_time=r.at_time,
            bad_day=r.bad_day,
            planned=r.planned,
            done=r.done,
        )
        for r in queries.today_rows(session, client.id, day)
    ]


@router.post(P + "/from-template", response_model=RoutinePublic, status_code=201)
def from_template(
    body: FromTemplateIn, session: SessionDep, client: CurrentClient
) -> RoutinePublic:
    routine = templates_service.apply_template(
        session=session, client=client.user, key=body.template, created_by=client.user
    )
    return RoutinePublic.model_validate(routine)


@router.get(P + "/{routine_id}", response_model=RoutineDetail)
def get_routine(
    session: SessionDep, access: AccessibleRoutine, response: Response
) -> RoutineDetail:
    _no_store(response)
    response.headers.update(versioning.etag_headers(access.routine.version))
    return _detail(session, access)


@router.put(P + "/{routine_id}", response_model=RoutinePublic)
def update_routine(
    body: RoutineFields,
    session: SessionDep,
    access: AccessibleRoutine,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> RoutinePublic:
    routine = service.update_routine(
        session=session,
        routine=access.routine,
        data=body,
        expected=versioning.parse_if_match(if_match),
    )
    response.headers.update(versioning.etag_headers(routine.version))
    return RoutinePublic.model_validate(routine)


@router.post(P + "/{routine_id}/archive", response_model=RoutinePublic)
def archive(session: SessionDep, access: AccessibleRoutine) -> RoutinePublic:
    return RoutinePublic.model_validate(
        service.archive_routine(session=session, routine=access.routine)
    )


@router.post(P + "/{routine_id}/restore", response_model=RoutinePublic)
def restore(session: SessionDep, access: AccessibleRoutine) -> RoutinePublic:
    routine = service.archive_routine(session=session, routine=access.routine, archived=False)
    return RoutinePublic.model_validate(routine)


@router.post(P + "/{routine_id}/steps", response_model=StepPublic, status_code=201)
def add_step(body: StepIn, session: SessionDep, access: AccessibleRoutine) -> StepPublic:
    return StepPublic.model_validate(
        service.add_step(session=session, routine=access.routine, data=body)
    )


@router.put(P + "/{routine_id}/steps/order", response_model=list[StepPublic])
def reorder(body: StepOrder, session: SessionDep, access: AccessibleRoutine) -> list[StepPublic]:
    steps = service.reorder_steps(session=session, routine=access.routine, step_ids=body.step_ids)
    return [StepPublic.model_validate(s) for s in steps]


@router.put(P + "/{routine_id}/steps/{step_id}", response_model=StepPublic)
def update_step(
    step_id: uuid.UUID,
    body: StepIn,
    session: SessionDep,
    access: AccessibleRoutine,
    response: Response,
    if_match: versioning.IfMatch = None,
) -> StepPublic:
    step = service.get_step(session, routine=access.routine, step_id=step_id)
    service.update_step(
        session=session,
        routine=access.routine,
        step=step,
        data=body,
        expected=versioning.parse_if_match(if_match),
    )
    response.headers.update(versioning.etag_headers(step.version))
    return StepPublic.model_validate(step)


@router.delete(P + "/{routine_id}/steps/{step_id}", status_code=204)
def remove_step(
    step_id: uuid.UUID,
    session: SessionDep,
    access: AccessibleRoutine,
    if_match: versioning.IfMatch = None,
) -> Response:
    step = service.get_step(session, routine=access.routine, step_id=step_id)
    service.remove_step(
        session=session,
        routine=access.routine,
        step=step,
        expected=versioning.parse_if_match(if_match),
    )
    return Response(status_code=204)


async def read_upload(file: UploadFile) -> bytes:
    """Read at most one byte past the limit, so a huge upload is refused without holding it all."""
    data = await file.read(photos.MAX_UPLOAD_BYTES + 1)
    if len(data) > photos.MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(N_("This photo is over 10 MB. Please choose a smaller one."))
    return data


@router.post(
    P + "/{routine_id}/steps/{step_id}/photo",
    response_model=StepPublic,
    openapi_extra=upload_limit(photos.MAX_UPLOAD_BYTES),
)
async def upload_photo(
    step_id: uuid.UUID, photo: UploadFile, session: SessionDep, access: AccessibleRoutine
) -> StepPublic:
    step = service.get_step(session, routine=access.routine, step_id=step_id)
    data = await read_upload(photo)
    try:
        service.set_step_photo(session=session, routine=access.routine, step=step, data=data)
    except photos.PhotoError as exc:
        raise Unprocessable(str(exc)) from None
    return StepPublic.model_validate(step)


@router.post(P + "/{routine_id}/outcomes", response_model=OutcomeResult)
def record_outcome(body: OutcomeIn, session: SessionDep, access: OwnRoutine) -> OutcomeResult:
    outcome, run = runs.record_outcome(
        session=session,
        routine=access.routine,
        tz=access.client.time_zone,
        outcome_id=body.id,
        step_id=body.step_id,
        status=body.status,
        at=body.tapped_at or body.at,
    )
    return OutcomeResult(
        outcome=OutcomePublic.model_validate(outcome), run=RunPublic.model_validate(run)
    )


@router.delete(P + "/{routine_id}/outcomes/{outcome_id}", status_code=204)
def undo_outcome(outcome_id: uuid.UUID, session: SessionDep, access: OwnRoutine) -> Response:
    """Take back a step answer; one already taken back is fine (a retried undo)."""
    runs.undo_outcome(
        session=session, routine=access.routine, tz=access.client.time_zone, outcome_id=outcome_id
    )
    return Response(status_code=204)


@router.put(P + "/{routine_id}/bad-day", response_model=RunPublic)
def bad_day(body: BadDayIn, session: SessionDep, access: OwnRoutine) -> RunPublic:
    run = runs.set_bad_day(
        session=session, routine=access.routine, tz=access.client.time_zone, bad_day=body.bad_day
    )
    return RunPublic.model_validate(run)


@router.post(P + "/{routine_id}/pauses", response_model=PausePublic, status_code=201)
def add_pause(body: PauseIn, session: SessionDep, access: AccessibleRoutine) -> PausePublic:
    pause = service.add_pause(
        session=session, routine=access.routine, starts_on=body.starts_on, ends_on=body.ends_on
    )
    return PausePublic.model_validate(pause)


@router.delete(P + "/{routine_id}/pauses/{pause_id}", status_code=204)
def remove_pause(pause_id: uuid.UUID, session: SessionDep, access: AccessibleRoutine) -> Response:
    service.remove_pause(session=session, routine=access.routine, pause_id=pause_id)
    return Response(status_code=204)


@router.put(P + "/{routine_id}/reminder-times", response_model=RoutineDetail)
def reminder_times(
    body: ReminderTimesIn, session: SessionDep, access: AccessibleRoutine
) -> RoutineDetail:
    service.set_reminder_times(
        session=session,
        routine=access.routine,
        times=body.times,
        only_if_not_done=body.only_if_not_done,
    )
    return _detail(session, access)


@router.post(P + "/calendar-feed", status_code=201)
def new_feed(session: SessionDep, client: CurrentClient) -> dict[str, str]:
    token = feeds.create_feed(session=session, client_id=client.id)
    return {"url": f"/calendar/{token}.ics"}


@router.delete(P + "/calendar-feed", status_code=204)
def revoke_feed(session: SessionDep, client: CurrentClient) -> Response:
    feeds.revoke_feed(session=session, client_id=client.id)
    return Response(status_code=204)


@router.get(P + "/{routine_id}/history", response_model=HistoryPublic)
def history(session: SessionDep, access: AccessibleRoutine, response: Response) -> HistoryPublic:
    _no_store(response)
    today = clock.local_today(access.client.time_zone)
    data = queries.routine_history(session, access.routine, today)
    return HistoryPublic.from_history(data)


@router.get("/clients/{client_id}/routines", response_model=list[RoutinePublic])
def client_routines(
    session: SessionDep, client: AccessibleClient, response: Response
) -> list[RoutinePublic]:
    """A therapist's view of a client's routines (audit-logged by the policy)."""
    _no_store(response)
    return [
        RoutinePublic.model_validate(r) for r in service.list_routines(session, client_id=client.id)
    ]
