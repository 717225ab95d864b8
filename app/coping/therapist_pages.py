"""Therapist pages under /caseload/{client_id}/calm (audit-logged by the policy dependency), the
clinic's own strategies in the Library (/library/calm), and the clinic admin's own crisis lines.
Included by pages.py."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlmodel import Session, col, select

from app import clock, versioning
from app.accounts import policy
from app.accounts.dependencies import (
    AccessibleClient,
    ClinicManager,
    CurrentStaff,
    CurrentTherapist,
)
from app.accounts.models import RecordKind
from app.audit import service as audit
from app.coping import catalog, insights, plans, service, toolbox
from app.coping.library import load_library
from app.coping.models import CustomStrategy
from app.coping.plan_forms import read_plan_form
from app.coping.schemas import ClinicLineForm, MyStrategyForm, RecommendForm
from app.crisis import service as crisis_service
from app.db import SessionDep
from app.errors import NotFound, Unprocessable
from app.forms import FormResult, submit_form
from app.i18n import gettext as _
from app.i18n import request_language
from app.templates import render

router = APIRouter()
PlanKind = Literal["safety", "wellness"]


def _overview(
    request: Request,
    session: SessionDep,
    client: AccessibleClient,
    form: object = None,
    status_code: int = 200,
    page: int = 1,
) -> HTMLResponse:
    """Light on purpose (a client may have thousands of episodes): the chart and one page of the
    episode table come from one four-column query, effectiveness from the stored summaries, the
    catalog is read once, and both plans' versions in one query."""
    since = clock.now() - timedelta(days=30)
    recent = insights.recent_for_therapist(session, client.id, since=since, page=page)
    entries = toolbox.toolbox_entries(session, client.id)
    language = request_language(request)
    views = catalog.catalog(session, client, language)
    titles = {v["id"]: v["title"] for v in views}
    # Episodes keep the title they were recorded with: a built-in one is shown in the reader's
    # language, a custom one as its author wrote it.
    builtin_titles = {
        english["title"]: shown["title"]
        for english, shown in zip(
            catalog.builtin_views(), catalog.builtin_views(language), strict=True
        )
    }
    stamps = plans.plan_stamps(session, client.id)
    return render(
        request,
        "coping/therapist.html",
        {
            "client": client,
            "recent": recent,
            # Calm tool uses the client keeps private: as if there were none (the episodes'
            # query leaves them out too, insights.recent_for_therapist).
            "effectiveness": (
                []
                if RecordKind.calm in policy.private_kinds(session, client.id)
                else service.effectiveness(session, client=client, titles=titles)
            ),
            "recommended": [
                (e, titles.get(e.strategy_key, e.strategy_key)) for e in entries if e.recommended
            ],
            "hidden": [titles.get(e.strategy_key, e.strategy_key) for e in entries if e.hidden],
            "strategy_options": _options(
                sorted(((v["id"], v["title"]) for v in views), key=lambda c: c[1]),
                form.values.get("strategy_key", "") if isinstance(form, FormResult) else "",
            ),
            "safety": stamps.get("safety"),
            "wellness": stamps.get("wellness"),
            "tz": client.time_zone,
            "form": form,
            "builtin_titles": builtin_titles,
            "custom_keys": {v["id"] for v in views if v["custom"]},
        },
        status_code=status_code,
    )


def _options(choices: list[tuple[str, str]], selected: str) -> Markup:
    """The strategy picker's ~70 `<option>`s, built here: through the generic `select` macro they
    were a fifth of the page's cost."""
    return Markup(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
            f"{escape(title)}</option>"
            for value, title in choices
        )
    )


@router.get("/caseload/{client_id}/calm", response_class=HTMLResponse)
def client_calm(
    request: Request,
    client: AccessibleClient,
    _therapist: CurrentTherapist,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    return _overview(request, session, client, page=page)


@router.post("/caseload/{client_id}/calm/recommend", response_class=HTMLResponse)
async def recommend(
    request: Request, client: AccessibleClient, therapist: CurrentTherapist, session: SessionDep
) -> Response:

    def save(data: RecommendForm) -> Response:
        # The service refuses an unknown key as a 404 (the API's wording); a page asks for a choice.
        if catalog.find(session, client, data.strategy_key) is None:
            message = _("Choose a strategy from the list.")
            raise Unprocessable(message, field="strategy_key")
        toolbox.recommend(
            session=session,
            therapist=therapist.user,
            client=client,
            strategy_key=data.strategy_key,
            note=data.note or "",
            on=data.on,
        )
        return RedirectResponse(f"/caseload/{client.id}/calm#recommended", status_code=303)

    return await submit_form(
        request,
        RecommendForm,
        save=save,
        show=lambda form, status: _overview(request, session, client, form, status),
    )


def _client_plan_title(name: str, kind: PlanKind) -> str:
    """The page title ("Sam: safety plan") in the therapist's language (the page shows it as it is)."""
    if kind == "safety":
        return _("%(name)s: safety plan", name=name)
    return _("%(name)s: wellness and recovery plan", name=name)


@router.get("/caseload/{client_id}/calm/plans/{kind}", response_class=HTMLResponse)
def client_plan(
    request: Request,
    kind: PlanKind,
    client: AccessibleClient,
    therapist: CurrentTherapist,
    session: SessionDep,
) -> HTMLResponse:
    plan = plans.get_plan(session, client.id, kind)
    return render(
        request,
        "coping/plan.html",
        {
            "kind": kind,
            "title": _client_plan_title(client.preferred_name, kind),
            "plan": plan,
            "sections": plans.sections_of(
                plan,
                kind,
                prefill=plans.safety_prefill(session, client) if kind == "safety" else None,
            ),
            "edit": request.query_params.get("edit") == "1" or plan is None,
            "form_version": plan.version if plan else 0,
            "action": f"/caseload/{client.id}/calm/plans/{kind}",
            "back": f"/caseload/{client.id}/calm",
            "crisis": None,
            "print": request.query_params.get("print") == "1",
            "versions": plans.versions(session, plan) if plan else [],
            "tz": therapist.user.time_zone,
            "therapist_view": True,
        },
    )


@router.post("/caseload/{client_id}/calm/plans/{kind}", response_class=HTMLResponse)
async def save_client_plan(
    request: Request,
    kind: PlanKind,
    client: AccessibleClient,
    therapist: CurrentTherapist,
    session: SessionDep,
) -> Response:
    plan = plans.get_plan(session, client.id, kind)
    form = await read_plan_form(request, kind, plan)
    action = f"/caseload/{client.id}/calm/plans/{kind}"
    title = _client_plan_title(client.preferred_name, kind)
    if form.errors:
        return render(
            request,
            "coping/plan.html",
            {
                "kind": kind,
                "title": title,
                "plan": plan,
                "edit": True,
                "errors": form.errors,
                "form_version": form.version,
                "sections": [(s, form.sections[s.key]) for s in plans.SECTIONS[kind]],
                "action": action,
                "back": f"/caseload/{client.id}/calm",
                "crisis": None,
                "print": False,
                "versions": [],
                "tz": therapist.user.time_zone,
                "therapist_view": True,
            },
            status_code=422,
        )
    try:
        plans.save_plan(
            session=session,
            actor=therapist.user,
            client=client,
            kind=kind,
            sections=form.sections,
            expected=form.expected,
        )
    except versioning.EditConflict as conflict:
        return versioning.render_conflict(
            request, conflict, title=title, action=action, values=form.values, cancel=action
        )
    return RedirectResponse(f"{action}?saved=1", status_code=303)


# ------------------------------------------------------------------ clinic admin: crisis lines
def _lines_page(
    request: Request,
    session: SessionDep,
    admin: ClinicManager,
    form: object = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "coping/admin_lines.html",
        {
            "lines": plans.clinic_lines(session, admin.user.organisation_id),
            "national": plans.crisis_lines(session, admin.user),
            "due_for_recheck": crisis_service.due_for_recheck(clock.now()),
            "form": form,
        },
        status_code=status_code,
    )


@router.get("/admin/calm/crisis-lines", response_class=HTMLResponse)
def crisis_lines(request: Request, admin: ClinicManager, session: SessionDep) -> HTMLResponse:
    return _lines_page(request, session, admin)


@router.post("/admin/calm/crisis-lines", response_class=HTMLResponse)
async def add_crisis_line(request: Request, admin: ClinicManager, session: SessionDep) -> Response:

    def save(d: ClinicLineForm) -> Response:
        plans.add_clinic_line(
            session=session,
            admin=admin.user,
            name=d.name,
            description=d.description or "",
            phone=d.phone,
            sms=d.sms,
        )
        return RedirectResponse("/admin/calm/crisis-lines", status_code=303)

    return await submit_form(
        request,
        ClinicLineForm,
        save=save,
        show=lambda form, status: _lines_page(request, session, admin, form, status),
    )


@router.post("/admin/calm/crisis-lines/{line_id}/delete")
def delete_crisis_line(line_id: uuid.UUID, admin: ClinicManager, session: SessionDep) -> Response:
    plans.remove_clinic_line(session=session, admin=admin.user, line_id=line_id)
    return RedirectResponse("/admin/calm/crisis-lines", status_code=303)


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
            "builtin": catalog.builtin_views(request_language(request)),
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

    def save(d: MyStrategyForm) -> Response:
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
                systems=[]
                if d.kind in ("thinking", "activity", "connecting")
                else ["proprioceptive"],
            )
        )
        audit.add(session, actor=staff.user, action="coping.clinic_strategy.add", detail=d.title)
        session.commit()
        return RedirectResponse("/library/calm", status_code=303)

    return await submit_form(
        request,
        MyStrategyForm,
        save=save,
        show=lambda form, status: _clinic_page(request, session, staff, form, status),
    )


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
