"""The client answers a scheduled PHQ-9 or GAD-7 on their phone. An answer above 0 to PHQ-9
item 9 shows their safety plan and crisis lines straight away (and flags their therapist).
The therapist's progress pages are in therapist_pages/, included here."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock, i18n
from app.accounts.dependencies import CurrentClient
from app.accounts.web import see_other
from app.crisis.service import for_country
from app.db import SessionDep
from app.errors import NotFound
from app.forms import FormResult, finish_form, read_form, validate
from app.i18n import gettext as _
from app.progress import measure_service, measure_words, measures, therapist_pages
from app.progress.models import MeasureResponse
from app.progress.schemas import ResponseCreate
from app.routes import page_paths
from app.templates import render

router = APIRouter()
router.include_router(therapist_pages.router)
SAFETY_PLAN_PATHS = ("/calm/safety-plan", "/safety-plan")


def _measure(code: str) -> measures.Measure:
    if code not in measures.MEASURES:
        raise NotFound()
    return measures.MEASURES[code]


def _page(
    request: Request,
    session: SessionDep,
    client: Any,
    m: measures.Measure,
    form: Any = None,
    status: int = 200,
) -> Response:
    today = clock.local_today(client.user.time_zone)
    due = any(
        s.code == m.code for s in measure_service.due(session, client_id=client.id, today=today)
    )
    done: MeasureResponse | None = None
    done_id = request.query_params.get("done")
    if done_id:
        try:
            row = session.get(MeasureResponse, uuid.UUID(done_id))
        except ValueError:
            row = None
        if row is not None and row.client_id == client.id:
            done = row
    words = measure_words.shown(m, i18n.request_language(request))
    return render(
        request,
        "progress/answer.html",
        {
            "m": m,
            "due": due,
            "done": done,
            "words": words,
            "options": words.options,
            "band": measure_service.band_label(done) if done else None,
            "not_a_diagnosis": measures.NOT_A_DIAGNOSIS,
            "lines": for_country(client.user.country),
            "safety_plan": next((p for p in SAFETY_PLAN_PATHS if p in _paths(request)), None),
            "form": form or FormResult(values={}),
        },
        status_code=status,
    )


def _paths(request: Request) -> frozenset[str]:
    return page_paths(request.app)


@router.get("/measures/{code}", response_class=HTMLResponse)
def answer_page(
    code: str, request: Request, session: SessionDep, client: CurrentClient
) -> Response:
    return _page(request, session, client, _measure(code))


@router.post("/measures/{code}", response_class=HTMLResponse)
async def answer_submit(
    code: str, request: Request, session: SessionDep, client: CurrentClient
) -> Response:
    m = _measure(code)
    raw = await read_form(request)
    answers = [raw.get(f"item-{item.number}", "") for item in m.items]
    form = validate(ResponseCreate, {"answers": answers} if all(answers) else {"answers": []})
    form.values.update({k: v for k, v in raw.items() if k.startswith("item-")})
    missing = [item.number for item, a in zip(m.items, answers, strict=True) if a == ""]
    if missing:
        form.errors.clear()
        problem = _("Please answer question %(number)s (and any others left).", number=missing[0])
        form.add_error(f"item-{missing[0]}", problem)

    def save(data: ResponseCreate) -> Response:
        row = measure_service.submit(session, client=client, code=code, data=data)
        return see_other(f"/measures/{code}?done={row.id}")

    return finish_form(
        form,
        save=save,
        show=lambda form, status: _page(request, session, client, m, form, status),
        otherwise="item-1",
    )
