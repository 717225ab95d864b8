"""A client's own strategies ("my strategies") and the clinic's own, ranked like the library's."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app import clock
from app.accounts.dependencies import CurrentClient, CurrentStaff
from app.audit import service as audit
from app.coping import catalog
from app.coping.library import load_library
from app.coping.models import CustomStrategy
from app.coping.schemas import MyStrategyForm
from app.db import SessionDep
from app.errors import NotFound
from app.forms import read_form, validate
from app.templates import render

router = APIRouter()


def _mine(session: Session, client_id: uuid.UUID) -> list[CustomStrategy]:
    stmt = select(CustomStrategy).where(
        CustomStrategy.client_id == client_id, col(CustomStrategy.archived_at).is_(None)
    )
    return list(session.exec(stmt.order_by(col(CustomStrategy.created_at))))


def _page(
    request: Request,
    session: Session,
    principal: CurrentClient,
    form: object = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "coping/mine.html",
        {"mine": _mine(session, principal.user.id), "form": form},
        status_code=status_code,
    )


@router.get("/calm/my-strategies", response_class=HTMLResponse)
def my_strategies(request: Request, session: SessionDep, principal: CurrentClient) -> HTMLResponse:
    return _page(request, session, principal)


@router.post("/calm/my-strategies", response_class=HTMLResponse)
async def add_my_strategy(
    request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    form = validate(MyStrategyForm, await read_form(request))
    if not form.ok or form.data is None:
        return _page(request, session, principal, form, 422)
    d = form.data
    steps = [line.strip() for line in d.steps.splitlines() if line.strip()][:8]
    session.add(
        CustomStrategy(
            client_id=principal.user.id,
            created_by_id=principal.user.id,
            title=d.title,
            kind=d.kind,
            minutes=d.minutes,
            level_min=0,
            level_max=10 if d.kind != "thinking" else 6,
            places=["home", "work_school", "public", "in_bed"],
            steps=steps,
            systems=[] if d.kind in ("thinking", "activity", "connecting") else ["proprioceptive"],
        )
    )
    session.commit()
    return RedirectResponse("/calm/my-strategies", status_code=303)


@router.post("/calm/my-strategies/{strategy_id}/archive")
def archive_my_strategy(
    strategy_id: uuid.UUID, session: SessionDep, principal: CurrentClient
) -> Response:
    row = session.get(CustomStrategy, strategy_id)
    if row is None or row.client_id != principal.user.id or row.archived_at is not None:
        raise NotFound()
    row.archived_at = clock.now()
    session.commit()
    return RedirectResponse("/calm/my-strategies", status_code=303)


# ------------------------------------------------------------------ the clinic's own strategies
def _clinic_rows(session: Session, organisation_id: uuid.UUID | None) -> list[CustomStrategy]:
    stmt = select(CustomStrategy).where(
        CustomStrategy.organisation_id == organisation_id,
        col(CustomStrategy.client_id).is_(None),
        col(CustomStrategy.archived_at).is_(None),
    )
    return list(session.exec(stmt.order_by(col(CustomStrategy.created_at))))


def _clinic_page(
    request: Request,
    session: Session,
    staff: CurrentStaff,
    form: object = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "coping/clinic_library.html",
        {
            "clinic": _clinic_rows(session, staff.user.organisation_id),
            "builtin": catalog.builtin_views(),
            "version": load_library().version,
            "form": form,
        },
        status_code=status_code,
    )


@router.get("/library/calm", response_class=HTMLResponse)
def clinic_library(request: Request, session: SessionDep, staff: CurrentStaff) -> HTMLResponse:
    return _clinic_page(request, session, staff)


@router.post("/library/calm", response_class=HTMLResponse)
async def add_clinic_strategy(
    request: Request, session: SessionDep, staff: CurrentStaff
) -> Response:
    form = validate(MyStrategyForm, await read_form(request))
    if not form.ok or form.data is None:
        return _clinic_page(request, session, staff, form, 422)
    d = form.data
    session.add(
        CustomStrategy(
            organisation_id=staff.user.organisation_id,
            created_by_id=staff.user.id,
            title=d.title,
            kind=d.kind,
            minutes=d.minutes,
            level_min=0,
            level_max=10 if d.kind != "thinking" else 6,
            places=["home", "work_school", "public", "in_bed"],
            steps=[line.strip() for line in d.steps.splitlines() if line.strip()][:8],
            systems=[] if d.kind in ("thinking", "activity", "connecting") else ["proprioceptive"],
        )
    )
    audit.add(session, actor=staff.user, action="coping.clinic_strategy.add", detail=d.title)
    session.commit()
    return RedirectResponse("/library/calm", status_code=303)


@router.post("/library/calm/{clinic_strategy_id}/archive")
def archive_clinic_strategy(
    clinic_strategy_id: uuid.UUID, session: SessionDep, staff: CurrentStaff
) -> Response:
    row = session.get(CustomStrategy, clinic_strategy_id)
    if (
        row is None
        or row.client_id is not None
        or row.archived_at is not None
        or row.organisation_id != staff.user.organisation_id
    ):
        raise NotFound()
    row.archived_at = clock.now()
    audit.add(session, actor=staff.user, action="coping.clinic_strategy.archive", detail=row.title)
    session.commit()
    return RedirectResponse("/library/calm", status_code=303)
