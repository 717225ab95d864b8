"""Client pages: my routines, templates, the player, the calendar feed, photos, and the builder
under /routines (its handlers are shared with therapists' routes: views.py). Includes therapist_pages."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import clock
from app.body_limit import upload_limit
from app.config import get_settings
from app.db import SessionDep
from app.errors import NotFound, Unprocessable
from app.forms import read_form
from app.i18n import N_, request_language
from app.routines import (
    feeds,
    photos,
    player,
    queries,
    runs,
    service,
    templates_service,
    therapist_pages,
    views,
)
from app.routines.dependencies import AccessiblePhoto, ClientScope, OwnRoutine
from app.routines.routers import pages_router as router
from app.templates import render

BUILDER = "/routines"
# Translated where they are shown (the player's template; its script gets them translated).
STATUS_WORDS = {"done": N_("Done"), "skipped": N_("Skipped"), "helped": N_("Done with help")}


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/routines", response_class=HTMLResponse)
def my_routines(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    archived = request.query_params.get("show") == "archived"
    routines = service.list_routines(session, client_id=scope.client.id, archived=archived)
    ctx = {
        "scope": scope,
        "base": scope.base,
        "routines": routines,
        "showing_archived": archived,
        "part_labels": views.PART_LABELS,
        "just_archived": request.query_params.get("archived") == "1",
    }
    return render(request, "routines/list.html", ctx)


@router.get("/routines/templates", response_class=HTMLResponse)
def templates_page(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    builtin, clinic = templates_service.library(
        session, scope.client.organisation_id, request_language(request)
    )
    ctx = {"scope": scope, "base": scope.base, "builtin": builtin, "clinic": clinic}
    return render(request, "routines/templates.html", ctx)


@router.post("/routines/templates/use")
async def use_template(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    key = str((await read_form(request)).get("template", ""))[:60]
    if not key:
        raise Unprocessable(N_("Choose a template."))
    routine = templates_service.apply_template(
        session=session, client=scope.client, key=key, created_by=scope.principal.user
    )
    return _see_other(f"/routines/{routine.id}/edit?saved=template")


@router.get("/routines/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    feed = feeds.active_feed(session, scope.client.id)
    ctx = {"scope": scope, "feed": feed, "new_url": None}
    return render(request, "routines/calendar.html", ctx)


@router.post("/routines/calendar", response_class=HTMLResponse)
async def calendar_action(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    action = (await read_form(request)).get("action")
    if action == "revoke":
        feeds.revoke_feed(session=session, client_id=scope.client.id)
        return _see_other("/routines/calendar?revoked=1")
    token = feeds.create_feed(session=session, client_id=scope.client.id)
    base = get_settings().base_url.rstrip("/")
    url = f"{base}/calendar/{token}.ics"
    ctx = {
        "scope": scope,
        "feed": feeds.active_feed(session, scope.client.id),
        "new_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[-1],
    }
    return render(request, "routines/calendar.html", ctx)


@router.get("/calendar/{feed_token}.ics")
def calendar_feed(feed_token: str, session: SessionDep) -> Response:
    """Read by calendar apps, which cannot log in: the unguessable token is the key."""
    client = feeds.client_for_token(session, feed_token)
    if client is None:
        raise NotFound()
    body = feeds.build(session, client, base_url=get_settings().base_url)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": 'inline; filename="routines.ics"',
        },
    )


@router.get("/routines/photos/{photo_id}")
def photo(photo: AccessiblePhoto) -> Response:
    return Response(
        photo.data,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


def _player(
    request: Request, session: SessionDep, access: OwnRoutine, step_id: uuid.UUID | None = None
) -> Response:
    state = runs.player_state(session, access.routine, access.client.time_zone, step_id=step_id)
    last = state.last
    ctx = {
        "routine": access.routine,
        "state": state,
        "outcome_id": uuid.uuid4(),
        "status_words": STATUS_WORDS,
        "previous": state.steps[state.position - 2] if state.position > 1 and state.steps else None,
        "last_step": next((s for s in state.steps if last and s.id == last.step_id), None),
        "undone": request.query_params.get("undone") == "1",
        "player_data": player.data(access.routine.id, state, STATUS_WORDS),
    }
    return render(request, "routines/player.html", ctx)


@router.get("/routines/{routine_id}/play", response_class=HTMLResponse)
def play(request: Request, session: SessionDep, access: OwnRoutine) -> Response:
    raw = request.query_params.get("step")
    step_id = None
    if raw:
        try:
            step_id = uuid.UUID(raw)
        except ValueError:
            step_id = None
    return _player(request, session, access, step_id)


@router.post("/routines/{routine_id}/play", response_class=HTMLResponse)
async def answer(request: Request, session: SessionDep, access: OwnRoutine) -> Response:
    values = await read_form(request)
    status = values.get("status")
    try:
        outcome_id = uuid.UUID(str(values.get("outcome_id", "")))
        step_id = uuid.UUID(str(values.get("step_id", "")))
    except ValueError:
        raise Unprocessable(
            N_("This step could not be saved. Please reload and try again.")
        ) from None
    if status not in STATUS_WORDS:
        raise Unprocessable(N_("Choose Done, Skip or Needed help."))
    runs.record_outcome(
        session=session,
        routine=access.routine,
        tz=access.client.time_zone,
        outcome_id=outcome_id,
        step_id=step_id,
        status=str(status),
    )
    return _see_other(f"/routines/{access.routine.id}/play")


@router.post("/routines/{routine_id}/play/undo")
async def undo_answer(request: Request, session: SessionDep, access: OwnRoutine) -> Response:
    values = await read_form(request)
    try:
        outcome_id = uuid.UUID(str(values.get("outcome_id", "")))
    except ValueError:
        raise Unprocessable(
            N_("This answer could not be undone. Please reload and try again.")
        ) from None
    runs.undo_outcome(
        session=session, routine=access.routine, tz=access.client.time_zone, outcome_id=outcome_id
    )
    return _see_other(f"/routines/{access.routine.id}/play?undone=1")


@router.post("/routines/{routine_id}/bad-day")
async def bad_day(request: Request, session: SessionDep, access: OwnRoutine) -> Response:
    values = await read_form(request)
    runs.set_bad_day(
        session=session,
        routine=access.routine,
        tz=access.client.time_zone,
        bad_day=values.get("bad_day") == "1",
    )
    back = values.get("next")
    return _see_other(
        f"/routines/{access.routine.id}/play" if back == "play" else "/today#routines"
    )


@router.post("/routines/{routine_id}/restart")
def restart(session: SessionDep, access: OwnRoutine) -> Response:
    runs.restart(session=session, routine=access.routine, tz=access.client.time_zone)
    return _see_other(f"/routines/{access.routine.id}/play")


@router.get("/routines/today", response_class=HTMLResponse)
def today_fragment(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    """The Today section on its own (also a fallback page when /today is not served)."""
    day = clock.local_today(scope.client.time_zone)
    rows = queries.today_rows(session, scope.client.id, day)
    return render(request, "routines/today_page.html", {"rows": rows, "day": day})


# The builder: the same handlers as a therapist's, for the client's own routines.


@router.get(BUILDER + "/new", response_class=HTMLResponse)
def new_routine(request: Request, scope: ClientScope) -> Response:
    return views.new_routine(request, scope)


@router.post(BUILDER + "/new", response_class=HTMLResponse)
async def create_routine(request: Request, session: SessionDep, scope: ClientScope) -> Response:
    return await views.create_routine(request, session, scope)


@router.get(BUILDER + "/{routine_id}/edit", response_class=HTMLResponse)
def edit_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return views.edit_routine(request, session, scope, routine_id=routine_id)


@router.post(BUILDER + "/{routine_id}/edit", response_class=HTMLResponse)
async def save_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return await views.save_routine(request, session, scope, routine_id=routine_id)


@router.post(BUILDER + "/{routine_id}/steps", response_class=HTMLResponse)
async def add_step(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return await views.add_step(request, session, scope, routine_id=routine_id)


@router.get(BUILDER + "/{routine_id}/steps/{step_id}", response_class=HTMLResponse)
def edit_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: ClientScope,
) -> Response:
    return views.edit_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(
    BUILDER + "/{routine_id}/steps/{step_id}",
    response_class=HTMLResponse,
    openapi_extra=upload_limit(photos.MAX_UPLOAD_BYTES),
)
async def save_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: ClientScope,
) -> Response:
    return await views.save_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(BUILDER + "/{routine_id}/steps/{step_id}/move")
async def move_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: ClientScope,
) -> Response:
    return await views.move_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(BUILDER + "/{routine_id}/steps/{step_id}/remove")
async def remove_step(
    routine_id: uuid.UUID,
    step_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    scope: ClientScope,
) -> Response:
    return await views.remove_step(request, session, scope, routine_id=routine_id, step_id=step_id)


@router.post(BUILDER + "/{routine_id}/order")
async def order_steps(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return await views.order_steps(request, session, scope, routine_id=routine_id)


@router.post(BUILDER + "/{routine_id}/pauses", response_class=HTMLResponse)
async def add_pause(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return await views.add_pause(request, session, scope, routine_id=routine_id)


@router.post(BUILDER + "/{routine_id}/pauses/{pause_id}/remove")
def remove_pause(
    routine_id: uuid.UUID, pause_id: uuid.UUID, session: SessionDep, scope: ClientScope
) -> Response:
    return views.remove_pause(session, scope, routine_id=routine_id, pause_id=pause_id)


@router.post(BUILDER + "/{routine_id}/reminders", response_class=HTMLResponse)
async def save_reminders(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return await views.save_reminders(request, session, scope, routine_id=routine_id)


@router.post(BUILDER + "/{routine_id}/archive")
async def archive_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return await views.archive_routine(request, session, scope, routine_id=routine_id)


@router.get(BUILDER + "/{routine_id}/history", response_class=HTMLResponse)
def routine_history(
    routine_id: uuid.UUID, request: Request, session: SessionDep, scope: ClientScope
) -> Response:
    return views.routine_history(request, session, scope, routine_id=routine_id)


__all__ = ["router", "therapist_pages"]
