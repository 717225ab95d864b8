"""Sensory pages. Clients: /sensory (summary), /sensory/profile, /sensory/kit, /sensory/diet, and
check-offs from Today. Therapists: the same under /caseload/{client_id}/sensory, plus the report."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts.dependencies import (
    AccessibleClient,
    ClientSharingSensory,
    CurrentClient,
    CurrentTherapist,
)
from app.accounts.web import safe_next, see_other
from app.db import SessionDep
from app.forms import read_form, validate
from app.i18n import request_language
from app.sensory import diet_service, views
from app.sensory.dependencies import ClientDietItem, OwnedDietItem
from app.sensory.schemas import CheckoffForm
from app.sensory.vocabulary import KIT_ITEMS, SENSORY_SYSTEMS
from app.sensory.words import activities_in
from app.templates import render

router = APIRouter()


def _base(client_id: uuid.UUID) -> str:
    return f"/caseload/{client_id}/sensory"


# --- the client's own pages -------------------------------------------------------------------


@router.get("/sensory", response_class=HTMLResponse)
def my_summary(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.summary_page(request, session, me, me.user, "/sensory")


@router.get("/sensory/profile", response_class=HTMLResponse)
def my_profile(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.profile_form(request, session, me, me.user, "/sensory")


@router.post("/sensory/profile", response_class=HTMLResponse)
async def my_profile_save(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.profile_submit(request, session, me, me.user, "/sensory", values)


@router.get("/sensory/kit", response_class=HTMLResponse)
def my_kit(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.kit_form(request, session, me, me.user, "/sensory")


@router.post("/sensory/kit", response_class=HTMLResponse)
async def my_kit_save(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.kit_submit(request, session, me, me.user, "/sensory", values)


@router.get("/sensory/diet", response_class=HTMLResponse)
def my_diet(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.diet_page(request, session, me, me.user, "/sensory")


@router.post("/sensory/diet", response_class=HTMLResponse)
async def my_diet_add(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.diet_submit(request, session, me, me.user, "/sensory", values)


@router.get("/sensory/diet/{item_id}", response_class=HTMLResponse)
def my_diet_item(
    me: CurrentClient, owned: OwnedDietItem, request: Request, session: SessionDep
) -> Response:
    return views.diet_page(request, session, me, me.user, "/sensory", editing=owned.item)


@router.post("/sensory/diet/{item_id}", response_class=HTMLResponse)
async def my_diet_item_save(
    me: CurrentClient, owned: OwnedDietItem, request: Request, session: SessionDep
) -> Response:
    values = await read_form(request)
    return views.diet_submit(request, session, me, me.user, "/sensory", values, owned.item)


@router.post("/sensory/diet/{item_id}/remove", response_class=HTMLResponse)
async def my_diet_item_remove(
    me: CurrentClient, owned: OwnedDietItem, request: Request, session: SessionDep
) -> Response:
    return await views.diet_remove(request, session, me, me.user, "/sensory", owned.item)


@router.post("/sensory/diet/{item_id}/checkoff", response_class=HTMLResponse)
async def check_off(
    me: CurrentClient, owned: OwnedDietItem, request: Request, session: SessionDep
) -> Response:
    """The quick check-off on Today: one tap on how they feel now (before is optional)."""
    values = await read_form(request)
    target = safe_next(str(values.pop("next", "") or ""), "/today") + "#h-sensory"
    form = validate(CheckoffForm, values)
    if not form.ok or form.data is None:
        # Only a tampered form gets here: the buttons always send a valid answer.
        return see_other(target)
    diet_service.check_off(
        session,
        principal=me,
        client=me.user,
        item=owned.item,
        felt_after=form.data.felt_after,
        felt_before=form.data.felt_before,
        checkoff_id=form.data.id,
    )
    return see_other(target)


@router.post("/sensory/diet/{item_id}/undo", response_class=HTMLResponse)
async def undo_check_off(
    me: CurrentClient, owned: OwnedDietItem, request: Request, session: SessionDep
) -> Response:
    values = await read_form(request)
    target = safe_next(str(values.get("next", "") or ""), "/today") + "#h-sensory"
    try:
        day = date.fromisoformat(str(values.get("on", "")))
    except ValueError:
        day = clock.local_today(me.user.time_zone)
    diet_service.undo_check_off(session, client=me.user, item=owned.item, on=day)
    return see_other(target)


# --- the therapist's pages about a client ------------------------------------------------------


@router.get("/caseload/{client_id}/sensory", response_class=HTMLResponse)
def client_summary(
    client: AccessibleClient, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    return views.summary_page(request, session, ot, client, _base(client.id))


@router.get("/caseload/{client_id}/sensory/profile", response_class=HTMLResponse)
def client_profile(
    client: ClientSharingSensory, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    return views.profile_form(request, session, ot, client, _base(client.id))


@router.post("/caseload/{client_id}/sensory/profile", response_class=HTMLResponse)
async def client_profile_save(
    client: ClientSharingSensory, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.profile_submit(request, session, ot, client, _base(client.id), values)


@router.get("/caseload/{client_id}/sensory/kit", response_class=HTMLResponse)
def client_kit(
    client: AccessibleClient, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    return views.kit_form(request, session, ot, client, _base(client.id))


@router.post("/caseload/{client_id}/sensory/kit", response_class=HTMLResponse)
async def client_kit_save(
    client: AccessibleClient, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.kit_submit(request, session, ot, client, _base(client.id), values)


@router.get("/caseload/{client_id}/sensory/diet", response_class=HTMLResponse)
def client_diet(
    client: AccessibleClient, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    return views.diet_page(request, session, ot, client, _base(client.id))


@router.post("/caseload/{client_id}/sensory/diet", response_class=HTMLResponse)
async def client_diet_add(
    client: AccessibleClient, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.diet_submit(request, session, ot, client, _base(client.id), values)


@router.get("/caseload/{client_id}/sensory/diet/{item_id}", response_class=HTMLResponse)
def client_diet_item(
    owned: ClientDietItem, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    base = _base(owned.client.id)
    return views.diet_page(request, session, ot, owned.client, base, editing=owned.item)


@router.post("/caseload/{client_id}/sensory/diet/{item_id}", response_class=HTMLResponse)
async def client_diet_item_save(
    owned: ClientDietItem, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    base = _base(owned.client.id)
    return views.diet_submit(request, session, ot, owned.client, base, values, owned.item)


@router.post("/caseload/{client_id}/sensory/diet/{item_id}/remove", response_class=HTMLResponse)
async def client_diet_item_remove(
    owned: ClientDietItem, request: Request, session: SessionDep, ot: CurrentTherapist
) -> Response:
    base = _base(owned.client.id)
    return await views.diet_remove(request, session, ot, owned.client, base, owned.item)


@router.get("/library/sensory", response_class=HTMLResponse)
def activity_library(request: Request, _ot: CurrentTherapist) -> Response:
    """The sensory-diet activity library for therapists, with every caution."""
    return render(
        request,
        "sensory/library.html",
        {
            "activities": activities_in(request_language(request)),
            "kit_items": KIT_ITEMS,
            "systems": SENSORY_SYSTEMS,
        },
    )
