"""Calm pages for clients and anyone logged out: the distress flow, toolbox, history, plans, and a
client's own strategies ("my strategies").

The flow is one page whose script does the work on the phone (ranking, players, storing episodes),
so it never waits on a server and keeps working offline; the server gives it the built-in library.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from sqlmodel import Session, col, select

from app import clock, versioning
from app.accounts.dependencies import CurrentClient, OptionalPrincipal
from app.accounts.models import Role
from app.coping import catalog, plans, service, therapist_pages
from app.coping import toolbox as toolbox_service
from app.coping.library import load_library
from app.coping.models import CustomStrategy
from app.coping.plan_forms import read_plan_form
from app.coping.schemas import MyStrategyForm, StrategyKey
from app.db import SessionDep
from app.errors import NotFound
from app.forms import submit_form
from app.i18n import N_, request_language
from app.templates import render
from app.transactions import brief_read

router = APIRouter()
PlanKind = Literal["safety", "wellness"]


@cache
def library_json(language: str) -> Markup:
    """The built-in library in `language` as a JSON data block (not script: CSP allows no inline
    script). Built once per process and language: the library is versioned content, and
    serialising ~35 KB on every request was a large part of the flow page's cost."""
    data = {"version": load_library().version, "strategies": list(catalog.builtin_views(language))}
    return Markup(json.dumps(data, separators=(",", ":")).replace("<", "\\u003c"))


@cache
def _flow_crisis_json(country: str | None, language: str) -> Markup:
    """The flow page's crisis help for one country (the viewer's own; none when unknown, never a
    default country's), serialised once per country exactly as Jinja's `tojson` does. The
    phone's sync bundle adds the clinic's own lines."""
    return htmlsafe_json_dumps(plans.national_lines(country, language), sort_keys=True)


def _flow(request: Request, principal: OptionalPrincipal, anon: bool) -> HTMLResponse:
    client = principal.user if principal and principal.role == Role.client and not anon else None
    language = request_language(request)
    return render(
        request,
        "coping/flow.html",
        {
            "library": library_json(language),
            "mode": "client" if client else "anon",
            "crisis_json": _flow_crisis_json(
                principal.user.country if principal else None, language
            ),
        },
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/calm", response_class=HTMLResponse)
@brief_read
def calm(request: Request, principal: OptionalPrincipal) -> HTMLResponse:
    """The Calm tab. Works for anyone: a client gets their own ranking, others the library.
    No queries of its own: the page is static content the phone's script personalises."""
    return _flow(request, principal, anon=False)


@router.get("/calm-now", response_class=HTMLResponse)
@brief_read
def calm_now(request: Request, principal: OptionalPrincipal) -> HTMLResponse:
    """'Calm now' from the login page: the built-in library, nothing stored."""
    return _flow(request, principal, anon=True)


@router.get("/calm/toolbox", response_class=HTMLResponse)
def toolbox_page(request: Request, session: SessionDep, principal: CurrentClient) -> HTMLResponse:
    client = principal.user
    entries = {e.strategy_key: e for e in toolbox_service.toolbox_entries(session, client.id)}
    views = catalog.catalog(session, client, request_language(request))
    recommended = [
        (v, entries[v["id"]])
        for v in views
        if v["id"] in entries and entries[v["id"]].recommended and not entries[v["id"]].hidden
    ]
    favourites = [
        v
        for v in views
        if v["id"] in entries and entries[v["id"]].favourite and not entries[v["id"]].recommended
    ]
    hidden = [v for v in views if v["id"] in entries and entries[v["id"]].hidden]
    others = [
        v
        for v in views
        if not (
            v["id"] in entries
            and (
                entries[v["id"]].hidden
                or entries[v["id"]].favourite
                or entries[v["id"]].recommended
            )
        )
    ]
    return render(
        request,
        "coping/toolbox.html",
        {
            "recommended": recommended,
            "favourites": favourites,
            "hidden": hidden,
            "others": others,
            "kinds": KIND_LABELS,
        },
    )


# Message ids, translated where shown (coping/toolbox.html).
KIND_LABELS = {
    "breathing": N_("Breathing"),
    "grounding": N_("Grounding"),
    "body_sensory": N_("Body and senses"),
    "movement": N_("Movement"),
    "activity": N_("Activities"),
    "connecting": N_("Connecting with someone"),
    "thinking": N_("Thinking skills"),
}


@router.post("/calm/toolbox/{strategy_key}")
def toolbox_change(
    strategy_key: StrategyKey,
    session: SessionDep,
    principal: CurrentClient,
    action: Annotated[Literal["favourite", "unfavourite", "hide", "restore"], Form()],
) -> Response:
    flags = {
        "favourite": {"favourite": True},
        "unfavourite": {"favourite": False},
        "hide": {"hidden": True},
        "restore": {"hidden": False},
    }[action]
    toolbox_service.set_preference(
        session=session, client=principal.user, strategy_key=strategy_key, **flags
    )
    return RedirectResponse(f"/calm/toolbox#s-{strategy_key}", status_code=303)


@router.get("/calm/history", response_class=HTMLResponse)
def history(request: Request, session: SessionDep, principal: CurrentClient) -> HTMLResponse:
    episodes = service.recent_episodes(session, client_id=principal.user.id, limit=50)
    # Built-in strategies by their name in the reader's language; the client's own as written.
    titles = {v["id"]: v["title"] for v in catalog.builtin_views(request_language(request))}
    return render(
        request,
        "coping/history.html",
        {"episodes": episodes, "tz": principal.user.time_zone, "titles": titles},
    )


@router.get("/calm/safety-plan", response_class=HTMLResponse)
def safety_plan(request: Request, session: SessionDep, principal: CurrentClient) -> HTMLResponse:
    return _plan_page(request, session, principal, "safety")


@router.get("/calm/wellness-plan", response_class=HTMLResponse)
def wellness_plan(request: Request, session: SessionDep, principal: CurrentClient) -> HTMLResponse:
    return _plan_page(request, session, principal, "wellness")


def _plan_page(
    request: Request,
    session: SessionDep,
    principal: CurrentClient,
    kind: PlanKind,
    editing: bool | None = None,
) -> HTMLResponse:
    plan = plans.get_plan(session, principal.user.id, kind)
    edit = (
        editing if editing is not None else request.query_params.get("edit") == "1" or plan is None
    )
    return render(
        request,
        "coping/plan.html",
        {
            "kind": kind,
            "title": plans.TITLES[kind],
            "plan": plan,
            "sections": plans.sections_of(
                plan,
                kind,
                prefill=plans.safety_prefill(session, principal.user) if kind == "safety" else None,
            ),
            "edit": edit,
            "form_version": plan.version if plan else 0,
            "action": f"/calm/{kind}-plan",
            "back": "/calm/toolbox",
            "crisis": plans.crisis_lines(session, principal.user) if kind == "safety" else None,
            "print": request.query_params.get("print") == "1",
            "versions": plans.versions(session, plan) if plan else [],
            "tz": principal.user.time_zone,
        },
    )


@router.post("/calm/safety-plan", response_class=HTMLResponse)
async def save_safety_plan(
    request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    return await _save(request, session, principal, "safety")


@router.post("/calm/wellness-plan", response_class=HTMLResponse)
async def save_wellness_plan(
    request: Request, session: SessionDep, principal: CurrentClient
) -> Response:
    return await _save(request, session, principal, "wellness")


async def _save(
    request: Request, session: SessionDep, principal: CurrentClient, kind: PlanKind
) -> Response:
    plan = plans.get_plan(session, principal.user.id, kind)
    form = await read_plan_form(request, kind, plan)
    action = f"/calm/{kind}-plan"
    if form.errors:
        return render(
            request,
            "coping/plan.html",
            {
                "kind": kind,
                "title": plans.TITLES[kind],
                "plan": plan,
                "edit": True,
                "sections": [(s, form.sections[s.key]) for s in plans.SECTIONS[kind]],
                "errors": form.errors,
                "form_version": form.version,
                "action": action,
                "back": "/calm/toolbox",
                "crisis": None,
                "print": False,
                "versions": [],
                "tz": principal.user.time_zone,
            },
            status_code=422,
        )
    try:
        plans.save_plan(
            session=session,
            actor=principal.user,
            client=principal.user,
            kind=kind,
            sections=form.sections,
            expected=form.expected,
        )
    except versioning.EditConflict as conflict:
        title = plans.TITLES[kind]
        return versioning.render_conflict(
            request, conflict, title=title, action=action, values=form.values, cancel=action
        )
    return RedirectResponse(f"{action}?saved=1", status_code=303)


router.include_router(therapist_pages.router)


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

    def save(d: MyStrategyForm) -> Response:
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
                systems=[]
                if d.kind in ("thinking", "activity", "connecting")
                else ["proprioceptive"],
            )
        )
        session.commit()
        return RedirectResponse("/calm/my-strategies", status_code=303)

    return await submit_form(
        request,
        MyStrategyForm,
        save=save,
        show=lambda form, status: _page(request, session, principal, form, status),
    )


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
