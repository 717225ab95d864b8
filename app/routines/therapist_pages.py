"""Therapist pages: a client's routines on the caseload (builder, history, skip analytics, applying
and saving templates) and the clinic's template library. Access is checked and audit-logged by the
policy dependencies behind TherapistScope."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import clock
from app.accounts.dependencies import CurrentTherapist
from app.body_limit import upload_limit
from app.db import SessionDep
from app.errors import Unprocessable
from app.forms import read_form
from app.i18n import N_, request_language
from app.routines import photos, queries, service, templates_service, views
from app.routines.dependencies import TherapistScope, routine_in_scope
from app.routines.routers import pages_router as router
from app.templates import render

PREFIX = "/caseload/{client_id}/routines"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get(PREFIX, response_class=HTMLResponse)
def client_routines(request: Request, session: SessionDep, scope: TherapistScope) -> Response:
    today = clock.local_today(scope.client.time_zone)
    routines = service.list_routines(session, client_id=scope.client.id)
    summaries = {r.id: queries.routine_history(session, r, today, days=14) for r in routines}
    archived = service.list_routines(session, client_id=scope.client.id, archived=True)
    ctx = {
        "scope": scope,
        "base": scope.base,
        "routines": routines,
        "summaries": summaries,
        "archived": archived,
        "saved": request.query_params.get("saved"),
    }
    return render(request, "routines/caseload.html", ctx)


@router.get(PREFIX + "/templates", response_class=HTMLResponse)
def templates_page(request: Request, session: SessionDep, scope: TherapistScope) -> Response:
    builtin, clinic = templates_service.library(
        session, scope.principal.organisation_id, request_language(request)
    )
    ctx = {"scope": scope, "base": scope.base, "builtin": builtin, "clinic": clinic}
    return render(request, "routines/templates.html", ctx)


@router.post(PREFIX + "/templates/use")
async def use_template(request: Request, session: SessionDep, scope: TherapistScope) -> Response:
    key = str((await read_form(request)).get("template", ""))[:60]
    if not key:
        raise Unprocessable(N_("Choose a template."))
    routine = templates_service.apply_template(
        session=session, client=scope.client, key=key, created_by=scope.principal.user
    )
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=template")


@router.post(PREFIX + "/{routine_id}/save-template")
def save_template(routine_id: uuid.UUID, session: SessionDep, scope: TherapistScope) -> Response:
    routine = routine_in_scope(session, scope, routine_id)
    templates_service.save_as_template(
        session=session, routine=routine, therapist=scope.principal.user
    )
    return _see_other(f"{scope.base}/{routine.id}/edit?saved=clinic-template")


@router.get("/library/routines", response_class=HTMLResponse)
def clinic_library(request: Request, session: SessionDep, therapist: CurrentTherapist) -> Response:
    builtin, clinic = templates_service.library(
        session, therapist.organisation_id, request_language(request)
    )
    ctx = {"builtin": builtin, "clinic": clinic, "removed": request.query_params.get("removed")}
    return render(request, "routines/library.html", ctx)


@router.post("/library/routines/{template_id}/archive")
def archive_template(
    template_id: uuid.UUID, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    templates_service.archive_template(
        session=session, template_id=template_id, therapist=therapist.user
    )
    return _see_other("/library/routines?removed=1")


# The builder: the same handlers as the client's, for a client on the caseload.


@router.get(PREFIX + "/new", response_class=HTMLResponse)
def new_routine(request: Request, scope: TherapistScope) -> Response:
    return views.new_routine(request, scope)


@router.post(PREFIX + "/new", response_class=HTMLResponse)
async def create_routine(request: Request, session: SessionDep, scope: TherapistScope) -> Response:
    return await views.create_routine(request, session, scope)


@router.get(PREFIX + "/{routine_id}/edit", response_class=HTMLResponse)
def edit_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return views.edit_routine(request, session, scope, routine_id=routine_id)


@router.post(PREFIX + "/{routine_id}/edit", response_class=HTMLResponse)
async def save_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return await views.save_routine(request, session, scope, routine_id=routine_id)


@router.post(PREFIX + "/{routine_id}/steps", response_class=HTMLResponse)
async def add_step(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return await views.add_step(request, session, scope, routine_id=routine_id)


@router.get(PREFIX + "/{routine_id}/steps/{step_id}", response_class=HTMLResponse)
def edit_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: TherapistScope,
) -> Response:
    return views.edit_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(
    PREFIX + "/{routine_id}/steps/{step_id}",
    response_class=HTMLResponse,
    openapi_extra=upload_limit(photos.MAX_UPLOAD_BYTES),
)
async def save_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: TherapistScope,
) -> Response:
    return await views.save_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(PREFIX + "/{routine_id}/steps/{step_id}/move")
async def move_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: TherapistScope,
) -> Response:
    return await views.move_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(PREFIX + "/{routine_id}/steps/{step_id}/remove")
async def remove_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: TherapistScope,
) -> Response:
    return await views.remove_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(PREFIX + "/{routine_id}/order")
async def order_steps(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return await views.order_steps(request, session, scope, routine_id=routine_id)


@router.post(PREFIX + "/{routine_id}/pauses", response_class=HTMLResponse)
async def add_pause(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return await views.add_pause(request, session, scope, routine_id=routine_id)


@router.post(PREFIX + "/{routine_id}/pauses/{pause_id}/remove")
def remove_pause(
    routine_id: uuid.UUID, pause_id: uuid.UUID, session: SessionDep, scope: TherapistScope
) -> Response:
    return views.remove_pause(session, scope, routine_id=routine_id, pause_id=pause_id)


@router.post(PREFIX + "/{routine_id}/reminders", response_class=HTMLResponse)
async def save_reminders(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return await views.save_reminders(request, session, scope, routine_id=routine_id)


@router.post(PREFIX + "/{routine_id}/archive")
async def archive_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return await views.archive_routine(request, session, scope, routine_id=routine_id)


@router.get(PREFIX + "/{routine_id}/history", response_class=HTMLResponse)
def routine_history(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: TherapistScope
) -> Response:
    return views.routine_history(request, session, scope, routine_id=routine_id)
