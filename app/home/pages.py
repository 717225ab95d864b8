"""The client's Today and More pages (the therapist's Library is in therapist_pages.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock, i18n
from app.accounts import service as accounts
from app.accounts.dependencies import CurrentClient
from app.db import SessionDep
from app.home import therapist_pages
from app.i18n import N_
from app.sections import Reader, today_sections
from app.templates import render

router = APIRouter()
router.include_router(therapist_pages.router)


def greeting(hour: int) -> str:
    """Marked here, translated where shown (home/today.html)."""
    if hour < 5:
        return N_("Hello")
    if hour < 12:
        return N_("Good morning")
    if hour < 18:
        return N_("Good afternoon")
    return N_("Good evening")


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    tz = client.user.time_zone
    local = clock.local_now(tz)
    reader = Reader(language=i18n.request_language(request), csrf=client.csrf_token)
    sections = today_sections(
        session=session, client=client.user, day=local.date(), now=clock.now(), reader=reader
    )
    return render(
        request,
        "home/today.html",
        {
            "sections": sections,
            "local": local,
            "greeting": greeting(local.hour),
            "welcome": request.query_params.get("welcome") == "1",
        },
    )


@router.get("/more", response_class=HTMLResponse)
def more(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    therapists = accounts.my_therapists(session, client.id)
    return render(
        request,
        "home/more.html",
        {
            "therapists": therapists,
            "linked": request.query_params.get("linked"),
        },
    )
