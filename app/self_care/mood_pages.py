"""The mood, energy and sleep log pages: the 10-second form, charts, pattern and reminder."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClient
from app.db import SessionDep
from app.forms import FormResult, read_form, submit_form
from app.self_care import mood, mood_reminders, service
from app.self_care.schemas import MoodCreate
from app.self_care.views import chart, next_page, wall_clock
from app.templates import render

router = APIRouter()


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.post("/self-care/mood/reminder")
async def mood_reminder(
    request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    values = await read_form(request)
    at = None if values.get("off") else wall_clock(values)
    mood_reminders.set_time(session=session, client=principal.user, at=at)
    return _see("/self-care/mood")


@router.get("/self-care/mood", response_class=HTMLResponse)
def mood_page(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    form: FormResult[MoodCreate] = FormResult(values={"id": str(uuid.uuid4())})
    return _mood(request, session, principal.user, form)


def _mood(
    request: Request,
    session: SessionDep,
    user: Any,
    form: FormResult[MoodCreate],
    status_code: int = 200,
) -> Response:
    today = service.today_for(user)
    logs = mood.recent(session, user.id, today, days=28)
    return render(
        request,
        "self_care/mood.html",
        {
            "form": form,
            "faces": mood.MOOD_FACES,
            "energy_labels": mood.ENERGY_LABELS,
            "today_log": mood.logged_today(session, user.id, today),
            "charts": [
                chart("Mood", mood.series(logs, today, 28, "mood"), 5, "out of 5"),
                chart("Energy", mood.series(logs, today, 28, "energy"), 5, "out of 5"),
                chart("Sleep", mood.series(logs, today, 28, "hours_slept"), 12, "hours"),
            ],
            "observation": mood.observation(session, user.id, today),
            "saved": request.query_params.get("saved") == "1",
        },
        status_code=status_code,
    )


@router.post("/self-care/mood")
async def mood_log(request: Request, session: SessionDep, principal: CurrentClient) -> Response:
    values = await read_form(request)
    back = next_page(values, "/self-care/mood?saved=1")

    def save(data: MoodCreate) -> Response:
        mood.log(session=session, client=principal.user, data=data)
        return _see(back)

    return await submit_form(
        request,
        MoodCreate,
        values=values,
        save=save,
        show=lambda form, status: _mood(request, session, principal.user, form, status),
        refusal_status=None,
    )
