"""Therapist pages: a client's routines on the caseload (builder, history, skip analytics, applying
and saving templates) and the clinic's template library. Access is checked and audit-logged by the
policy dependencies behind TherapistScope."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import clock
from app.accounts.dependencies import CurrentTherapist
from app.db import SessionDep
from app.errors import Unprocessable
from app.forms import read_form
from app.routines import queries, service, templates_service
from app.routines.builder_pages import add_builder_routes
from app.routines.dependencies import TherapistScope, routine_in_scope, therapist_scope
from app.routines.routers import pages_router as router
from app.templates import render

PREFIX = "/caseload/{client_id}/routines"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get(PREFIX, response_class=HTMLResponse)
def client_routines(request: Request, session: SessionDep, scope: TherapistScope) -> Response:
    today = clock.local_today(scope.client.time_zone)
    routines = service.list_routines(session, scope.client.id)
    summaries = {r.id: queries.routine_history(session, r, today, days=14) for r in routines}
    archived = service.list_routines(session, scope.client.id, archived=True)
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
    builtin, clinic = templates_service.library(session, scope.principal.organisation_id)
    ctx = {"scope": scope, "base": scope.base, "builtin": builtin, "clinic": clinic}
    return render(request, "routines/templates.html", ctx)


@router.post(PREFIX + "/templates/use")
async def use_template(request: Request, session: SessionDep, scope: TherapistScope) -> Response:
    key = str((await read_form(request)).get("template", ""))[:60]
    if not key:
        raise Unprocessable("Choose a template.")
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
    builtin, clinic = templates_service.library(session, therapist.organisation_id)
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


add_builder_routes(router, PREFIX, therapist_scope)
