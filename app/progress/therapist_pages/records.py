"""Therapist pages for a client's goals (GAS), measures (PHQ-9/GAD-7) and session notes."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import charts, clock, versioning
from app.accounts.dependencies import CurrentTherapist
from app.accounts.web import see_other
from app.body_limit import LONG_TEXT
from app.db import SessionDep
from app.forms import FormResult, finish_form, read_form, submit_form, validate
from app.i18n import gettext as _
from app.progress import gas, goals, measure_service, measures, notes
from app.progress.dependencies import (
    ClientGoal,
    ClientNote,
    ClientResponse,
    ClientSchedule,
    TherapistClient,
)
from app.progress.schemas import GoalCreate, NoteCreate, NoteUpdate, RatingsCreate, ScheduleCreate
from app.templates import render

router = APIRouter()


# ---- goals ---------------------------------------------------------------------------------------
def _goals_page(
    request: Request,
    session: SessionDep,
    client: Any,
    *,
    form: Any = None,
    rate_form: Any = None,
    status: int = 200,
) -> Response:
    return _goals_render(request, session, client, form, rate_form, status)


def _goals_render(
    request: Request, session: SessionDep, client: Any, form: Any, rate_form: Any, status: int
) -> Response:
    active = goals.active_goals(session, client.id)
    everything = goals.all_goals(session, client.id)
    rows = goals.ratings(session, client.id)
    points = goals.t_series(everything, rows)
    chart = charts.line_chart(
        key="gas-t",
        title=_("GAS T-score over time"),
        y_min=20,
        y_max=80,
        series=[charts.Series(_("T-score"), [(p.on, p.t_score) for p in points])],
    )
    return render(
        request,
        "progress/goals.html",
        {
            "client": client,
            "goals": active,
            "latest": goals.latest_levels(rows),
            "points": points,
            "chart": chart,
            "labels": gas.LEVEL_LABELS,
            "max_goals": gas.MAX_GOALS,
            "form": form or FormResult(values={"weight": "1"}),
            "rate_form": rate_form
            or FormResult(values={"rated_on": clock.local_today(client.time_zone).isoformat()}),
            "saved": request.query_params.get("saved"),
        },
        status_code=status,
    )


@router.get("/caseload/{client_id}/progress/goals", response_class=HTMLResponse)
def goals_page(
    request: Request, session: SessionDep, client: TherapistClient, _t: CurrentTherapist
) -> Response:
    return _goals_page(request, session, client)


@router.post("/caseload/{client_id}/progress/goals", response_class=HTMLResponse)
async def goal_create(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    def save(data: GoalCreate) -> Response:
        goals.create_goal(session, therapist=therapist, client=client, data=data)
        return see_other(f"/caseload/{client.id}/progress/goals?saved=goal")

    return await submit_form(
        request,
        GoalCreate,
        save=save,
        show=lambda form, status: _goals_page(request, session, client, form=form, status=status),
        otherwise="title",
    )


@router.post("/caseload/{client_id}/progress/goals/ratings", response_class=HTMLResponse)
async def goal_rate(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    raw = await read_form(request)
    levels = {
        k.removeprefix("level-"): v for k, v in raw.items() if k.startswith("level-") and v != ""
    }
    values: dict[str, Any] = {"rated_on": raw.get("rated_on", ""), "levels": levels}
    if raw.get("note"):
        values["note"] = raw["note"]
    form = validate(RatingsCreate, values)
    form.values.update({f"level-{k}": v for k, v in levels.items()})

    def save(data: RatingsCreate) -> Response:
        goals.rate(session, therapist=therapist, client=client, data=data)
        return see_other(f"/caseload/{client.id}/progress/goals?saved=rating")

    def show(form: FormResult[RatingsCreate], status: int) -> Response:
        if "levels" in form.errors:  # the levels are one radio group per goal, named by date
            form.errors["rated_on"] = _("Choose a level for at least one goal.")
        return _goals_page(request, session, client, rate_form=form, status=status)

    return finish_form(form, save=save, show=show, otherwise="rated_on")


def _goal_page(request: Request, goal: Any, form: Any, status: int = 200) -> Response:
    return render(
        request,
        "progress/goal_edit.html",
        {"client_id": goal.client_id, "goal": goal, "form": form},
        status_code=status,
    )


@router.get("/caseload/{client_id}/progress/goals/{goal_id}", response_class=HTMLResponse)
def goal_edit_page(request: Request, goal: ClientGoal, _t: CurrentTherapist) -> Response:
    values = goals.goal_values(goal) | {versioning.VERSION_FIELD: str(goal.version)}
    return _goal_page(request, goal, FormResult(values=values))


@router.post("/caseload/{client_id}/progress/goals/{goal_id}", response_class=HTMLResponse)
async def goal_edit(
    request: Request, session: SessionDep, goal: ClientGoal, therapist: CurrentTherapist
) -> Response:
    values = versioning.apply_choices(
        await read_form(request), fields=goals.GOAL_FIELDS, current=goals.goal_values(goal)
    )
    expected = versioning.form_version(values)
    version = values.pop(versioning.VERSION_FIELD, None)
    form = validate(GoalCreate, values)
    if version is not None:
        form.values[versioning.VERSION_FIELD] = version
    if not form.ok or form.data is None:
        return _goal_page(request, goal, form, 422)
    url = f"/caseload/{goal.client_id}/progress/goals"
    try:
        goals.update_goal(
            session, therapist=therapist, goal=goal, data=form.data, expected=expected
        )
    except versioning.EditConflict as conflict:
        return versioning.render_conflict(
            request,
            conflict,
            title=goal.title,
            action=f"{url}/{goal.id}",
            values=form.values,
            cancel=f"{url}/{goal.id}",
        )
    return see_other(f"{url}?saved=goal-changed")


@router.post("/caseload/{client_id}/progress/goals/{goal_id}/archive", response_class=HTMLResponse)
def goal_archive(session: SessionDep, goal: ClientGoal, therapist: CurrentTherapist) -> Response:
    goals.archive_goal(session, therapist=therapist, goal=goal)
    return see_other(f"/caseload/{goal.client_id}/progress/goals?saved=archived")


# ---- measures ------------------------------------------------------------------------------------
def _measures_page(
    request: Request, session: SessionDep, client: Any, form: Any = None, status: int = 200
) -> Response:
    rows = measure_service.responses(session, client_id=client.id)
    return render(
        request,
        "progress/measures.html",
        {
            "client": client,
            "schedules": measure_service.schedules(session, client.id),
            "responses": list(reversed(rows)),
            "measures": measures.MEASURES,
            "band": measure_service.band_label,
            "to_review": measure_service.to_review(rows),
            "form": form
            or FormResult(
                values={
                    "code": "phq9",
                    "every_days": "14",
                    "first_on": clock.local_today(client.time_zone).isoformat(),
                }
            ),
            "saved": request.query_params.get("saved"),
        },
        status_code=status,
    )


@router.get("/caseload/{client_id}/progress/measures", response_class=HTMLResponse)
def measures_page(
    request: Request, session: SessionDep, client: TherapistClient, _t: CurrentTherapist
) -> Response:
    return _measures_page(request, session, client)


@router.post("/caseload/{client_id}/progress/measures", response_class=HTMLResponse)
async def measure_schedule(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    def save(data: ScheduleCreate) -> Response:
        measure_service.schedule(session, therapist=therapist, client=client, data=data)
        return see_other(f"/caseload/{client.id}/progress/measures?saved=scheduled")

    return await submit_form(
        request,
        ScheduleCreate,
        save=save,
        show=lambda form, status: _measures_page(request, session, client, form, status),
        otherwise="first_on",
    )


@router.post(
    "/caseload/{client_id}/progress/measures/{schedule_id}/stop", response_class=HTMLResponse
)
def measure_stop(session: SessionDep, row: ClientSchedule, therapist: CurrentTherapist) -> Response:
    measure_service.stop(session, therapist=therapist, row=row)
    return see_other(f"/caseload/{row.client_id}/progress/measures?saved=stopped")


@router.post(
    "/caseload/{client_id}/progress/responses/{response_id}/acknowledge",
    response_class=HTMLResponse,
)
def measure_acknowledge(
    session: SessionDep, row: ClientResponse, therapist: CurrentTherapist
) -> Response:
    measure_service.acknowledge(session, therapist=therapist, row=row)
    return see_other(f"/caseload/{row.client_id}/progress/measures?saved=acknowledged")


# ---- session notes -------------------------------------------------------------------------------
def _notes_page(
    request: Request,
    session: SessionDep,
    client: Any,
    form: Any = None,
    edit: dict[uuid.UUID, Any] | None = None,
    status: int = 200,
) -> Response:
    history_id = request.query_params.get("history")
    history = []
    views = notes.for_client(session, client.id)
    for view in views:
        if history_id == str(view.note.id):
            history = list(notes.versions(session, view.note.id))
    return render(
        request,
        "progress/notes.html",
        {
            "client": client,
            "notes": views,
            "history": history,
            "history_id": history_id,
            "form": form
            or FormResult(values={"session_on": clock.local_today(client.time_zone).isoformat()}),
            "edit": edit or {},
            "saved": request.query_params.get("saved"),
        },
        status_code=status,
    )


@router.get("/caseload/{client_id}/progress/notes", response_class=HTMLResponse)
def notes_page(
    request: Request, session: SessionDep, client: TherapistClient, _t: CurrentTherapist
) -> Response:
    return _notes_page(request, session, client)


@router.post(
    "/caseload/{client_id}/progress/notes", response_class=HTMLResponse, openapi_extra=LONG_TEXT
)
async def note_create(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    def save(data: NoteCreate) -> Response:
        notes.create(session, therapist=therapist, client=client, data=data)
        return see_other(f"/caseload/{client.id}/progress/notes?saved=note")

    return await submit_form(
        request,
        NoteCreate,
        save=save,
        show=lambda form, status: _notes_page(request, session, client, form=form, status=status),
        otherwise="body",
    )


@router.post(
    "/caseload/{client_id}/progress/notes/{note_id}",
    response_class=HTMLResponse,
    openapi_extra=LONG_TEXT,
)
async def note_edit(
    request: Request,
    session: SessionDep,
    client: TherapistClient,
    note: ClientNote,
    therapist: CurrentTherapist,
) -> Response:
    def save(data: NoteUpdate) -> Response:
        notes.update(session, therapist=therapist, note=note, data=data)
        return see_other(f"/caseload/{client.id}/progress/notes?saved=edited")

    return await submit_form(
        request,
        NoteUpdate,
        save=save,
        show=lambda form, status: _notes_page(
            request, session, client, edit={note.id: form}, status=status
        ),
        otherwise="body",
    )
