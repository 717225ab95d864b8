"""The client's occupation pages: /occupation (overview), profile (and its print view), the
activities that matter and their ratings, the activity diary, interests and the discharge summary."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts.dependencies import CurrentClient
from app.accounts.models import User
from app.accounts.policy import therapist_ids_for
from app.accounts.web import safe_next, see_other
from app.db import SessionDep
from app.forms import read_form, validate
from app.i18n import gettext as _
from app.occupation import diary_service, discharge, service, therapist_pages, views
from app.occupation.schemas import DiaryEntryIn
from app.templates import render

router = APIRouter()
BASE = "/occupation"


@router.get(BASE, response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    today = clock.local_today(me.user.time_zone)
    week = diary_service.week_view(
        session,
        client_id=me.id,
        starts_on=diary_service.week_start_for(session, client=me.user, asked=None),
    )
    return render(
        request,
        "occupation/overview.html",
        {
            "client": me.user,
            "base": BASE,
            "as_therapist": False,
            "profile": service.latest_profile(session, me.id),
            "perf": service.performance(session, me.id),
            "week": week,
            "running": diary_service.current_week(session, client_id=me.id, today=today),
            "discharge": discharge.latest(session, me.id),
            "saved": request.query_params.get("saved", ""),
        },
    )


@router.get(f"{BASE}/profile", response_class=HTMLResponse)
def profile(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.profile_form(request, session, me, me.user, BASE)


@router.post(f"{BASE}/profile", response_class=HTMLResponse)
async def profile_save(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.profile_submit(request, session, me, me.user, BASE, values)


@router.get(f"{BASE}/profile/print", response_class=HTMLResponse)
def profile_print(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.profile_print(request, session, me.user, BASE)


@router.get(f"{BASE}/activities", response_class=HTMLResponse)
def activities(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.ratings_page(request, session, me, me.user, BASE)


@router.post(f"{BASE}/activities", response_class=HTMLResponse)
async def activity_add(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.add_activity(request, session, me, me.user, BASE, values)


@router.post(f"{BASE}/ratings", response_class=HTMLResponse)
async def ratings_save(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.rate(request, session, me, me.user, BASE, values)


@router.get(f"{BASE}/diary", response_class=HTMLResponse)
def diary_page(
    request: Request,
    session: SessionDep,
    me: CurrentClient,
    start: date | None = Query(default=None),
) -> Response:
    return views.diary_page(request, session, me, me.user, BASE, start=start)


@router.post(f"{BASE}/diary", response_class=HTMLResponse)
async def diary_save(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.diary_submit(request, session, me, me.user, BASE, values)


@router.post(f"{BASE}/diary/tap", response_class=HTMLResponse)
async def diary_tap(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    """The one-tap form on Today (without JavaScript, or online): store the block, back to Today."""
    values = await read_form(request)
    target = safe_next(str(values.pop("next", "") or ""), "/today") + "#h-occupation"
    form = validate(DiaryEntryIn, values)
    if form.ok and form.data is not None:
        diary_service.record(session, client=me.user, data=form.data)
    return see_other(target)


@router.post(f"{BASE}/diary/start", response_class=HTMLResponse)
def diary_start(session: SessionDep, me: CurrentClient) -> Response:
    diary_service.start_week(session, principal=me, client=me.user)
    return see_other(f"{BASE}/diary")


@router.get(f"{BASE}/interests", response_class=HTMLResponse)
def interests_page(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    return views.interests_page(request, session, me, me.user, BASE)


@router.post(f"{BASE}/interests", response_class=HTMLResponse)
async def interests_save(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    values = await read_form(request)
    return views.interests_submit(request, session, me, me.user, BASE, values)


@router.get(f"{BASE}/discharge", response_class=HTMLResponse)
def my_discharge(request: Request, session: SessionDep, me: CurrentClient) -> Response:
    """The client's own copy of their discharge summary, once their therapist has written it."""
    if discharge.latest(session, me.id) is None:
        return render(request, "occupation/no_discharge.html", {"base": BASE})
    names = [
        u.preferred_name
        for u in (session.get(User, i) for i in therapist_ids_for(session, me.id))
        if u is not None
    ]
    prepared_by = ", ".join(names) or _("your therapist")
    doc = discharge.summary(session, me.user, prepared_by=prepared_by, now=clock.now())
    return render(request, "occupation/my_discharge.html", {"base": BASE, "doc": doc})


router.include_router(therapist_pages.router)
