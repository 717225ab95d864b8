"""The therapist's occupation pages for one client, under /caseload/{client_id}/occupation:
the assessment (same forms as the client's), the care plan, the review and the discharge summary.
Every route names the client through the policy (TherapistClient), which audits the access."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts.dependencies import CurrentTherapist
from app.accounts.models import User
from app.accounts.web import see_other
from app.audit import service as audit
from app.db import SessionDep
from app.errors import AppError
from app.forms import FormResult, read_form, submit_form, validate, worded
from app.i18n import N_, request_language, use_language
from app.occupation import diary_service, discharge, interests, plan, service, views
from app.occupation.dependencies import ClientsInterest, ClientsPlanGoal, TherapistClient
from app.occupation.schemas import (
    OUTCOME_LABELS,
    DischargeIn,
    PlanGoalIn,
    ReviewIn,
    SupportIn,
)
from app.progress import gas
from app.templates import env, render

router = APIRouter()
CASE = "/caseload/{client_id}/occupation"


def _recent(client: User) -> date:
    """The review looks back half a year; the discharge summary reads the whole record."""
    return clock.local_today(client.time_zone) - timedelta(days=182)


def _base(client: User) -> str:
    return f"/caseload/{client.id}/occupation"


@router.get(CASE, response_class=HTMLResponse)
def hub(
    request: Request, session: SessionDep, client: TherapistClient, _ot: CurrentTherapist
) -> Response:
    return _hub(request, session, client)


def _hub(
    request: Request,
    session: SessionDep,
    client: User,
    *,
    plan_form: FormResult[PlanGoalIn] | None = None,
    support_error: tuple[uuid.UUID, str] | None = None,
    status_code: int = 200,
) -> Response:
    today = clock.local_today(client.time_zone)
    data = plan.review_data(session, client, now=clock.now(), since=_recent(client))
    week = diary_service.week_view(
        session,
        client_id=client.id,
        starts_on=diary_service.week_start_for(session, client=client, asked=None),
    )
    return render(
        request,
        "occupation/therapist.html",
        {
            "client": client,
            "base": _base(client),
            "as_therapist": True,
            "profile": service.latest_profile(session, client.id),
            "perf": data.performance,
            "week": week,
            "running": diary_service.current_week(session, client_id=client.id, today=today),
            "interests": interests.interests(session, client.id),
            "interest_name": interests.shown_name,
            "data": data,
            "options": plan.support_options(session, client),  # worded in the reader's language
            "support_labels": plan.SUPPORT_LABELS,
            "plan_form": worded(plan_form) or FormResult(values={"goal_id": "", "review_on": ""}),
            "support_error": (
                (support_error[0], views.translated({"e": support_error[1]})["e"])
                if support_error
                else None
            ),
            "today": today,
            "saved": request.query_params.get("saved", ""),
        },
        status_code=status_code,
    )


@router.get(f"{CASE}/profile", response_class=HTMLResponse)
def profile(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    return views.profile_form(request, session, ot, client, _base(client))


@router.post(f"{CASE}/profile", response_class=HTMLResponse)
async def profile_save(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.profile_submit(request, session, ot, client, _base(client), values)


@router.get(f"{CASE}/profile/print", response_class=HTMLResponse)
def profile_print(
    request: Request, session: SessionDep, client: TherapistClient, _ot: CurrentTherapist
) -> Response:
    return views.profile_print(request, session, client, _base(client))


@router.get(f"{CASE}/activities", response_class=HTMLResponse)
def activities(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    return views.ratings_page(request, session, ot, client, _base(client))


@router.post(f"{CASE}/activities", response_class=HTMLResponse)
async def activity_add(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.add_activity(request, session, ot, client, _base(client), values)


@router.post(f"{CASE}/ratings", response_class=HTMLResponse)
async def ratings_save(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.rate(request, session, ot, client, _base(client), values)


@router.get(f"{CASE}/diary", response_class=HTMLResponse)
def diary_page(
    request: Request,
    session: SessionDep,
    client: TherapistClient,
    ot: CurrentTherapist,
    start: date | None = Query(default=None),
) -> Response:
    return views.diary_page(request, session, ot, client, _base(client), start=start)


@router.post(f"{CASE}/diary/start", response_class=HTMLResponse)
def diary_start(session: SessionDep, client: TherapistClient, ot: CurrentTherapist) -> Response:
    diary_service.start_week(session, principal=ot, client=client)
    return see_other(f"{_base(client)}/diary")


@router.get(f"{CASE}/interests", response_class=HTMLResponse)
def interests_page(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    return views.interests_page(request, session, ot, client, _base(client))


@router.post(f"{CASE}/interests", response_class=HTMLResponse)
async def interests_save(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    values = await read_form(request)
    return views.interests_submit(request, session, ot, client, _base(client), values)


@router.post(f"{CASE}/interests/{{interest_id}}/routine", response_class=HTMLResponse)
def interest_to_routine(
    interest: ClientsInterest, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    interests.to_routine(session, therapist=ot, client=client, interest=interest)
    return see_other(f"{_base(client)}?saved=routine#h-interests")


@router.post(f"{CASE}/interests/{{interest_id}}/homework", response_class=HTMLResponse)
def interest_to_homework(
    interest: ClientsInterest, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    interests.to_homework(session, therapist=ot, client=client, interest=interest)
    return see_other(f"{_base(client)}?saved=homework#h-interests")


@router.post(f"{CASE}/plan", response_class=HTMLResponse)
async def plan_goal(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    def save(data: PlanGoalIn) -> Response:
        plan.add_goal(session, therapist=ot, client=client, data=data)
        return see_other(f"{_base(client)}?saved=plan#h-plan")

    return await submit_form(
        request,
        PlanGoalIn,
        save=save,
        show=lambda form, status: _hub(
            request, session, client, plan_form=form, status_code=status
        ),
        otherwise="goal_id",
    )


@router.post(f"{CASE}/plan/{{plan_goal_id}}/supports", response_class=HTMLResponse)
async def plan_support(
    request: Request,
    session: SessionDep,
    client: TherapistClient,
    ot: CurrentTherapist,
    plan_goal: ClientsPlanGoal,
) -> Response:
    values = await read_form(request)
    kind, _, ref = str(values.get("support", "") or "").partition(":")
    form = validate(SupportIn, {"kind": kind, "ref": ref})
    if form.ok and form.data is not None:
        try:
            plan.link_support(
                session, therapist=ot, client=client, plan_goal=plan_goal, data=form.data
            )
            return see_other(f"{_base(client)}?saved=plan#h-plan")
        except AppError as exc:
            return _hub(
                request,
                session,
                client,
                support_error=(plan_goal.id, exc.detail),
                status_code=exc.status,
            )
    return _hub(
        request,
        session,
        client,
        status_code=422,
        support_error=(plan_goal.id, N_("Choose what supports this goal.")),
    )


def _review(
    request: Request,
    session: SessionDep,
    client: User,
    form: FormResult[ReviewIn] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "occupation/review.html",
        {
            "client": client,
            "base": _base(client),
            "data": plan.review_data(session, client, now=clock.now(), since=_recent(client)),
            "form": worded(form)
            or FormResult(values={"outcome": "", "notes": "", "next_review_on": ""}),
            "outcomes": OUTCOME_LABELS,
            "gas_labels": gas.LEVEL_LABELS,
            "support_labels": plan.SUPPORT_LABELS,
            "saved": request.query_params.get("saved", ""),
        },
        status_code=status_code,
    )


@router.get(f"{CASE}/review", response_class=HTMLResponse)
def review(
    request: Request, session: SessionDep, client: TherapistClient, _ot: CurrentTherapist
) -> Response:
    return _review(request, session, client)


@router.post(f"{CASE}/review", response_class=HTMLResponse)
async def review_save(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    def save(data: ReviewIn) -> Response:
        plan.record_review(session, therapist=ot, client=client, data=data)
        return see_other(f"{_base(client)}/review?saved=1#h-outcome")

    return await submit_form(
        request,
        ReviewIn,
        save=save,
        show=lambda form, status: _review(request, session, client, form, status_code=status),
        otherwise="next_review_on",
    )


def _discharge_form(
    request: Request,
    session: SessionDep,
    client: User,
    ot: Any,
    form: FormResult[DischargeIn] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    row = discharge.latest(session, client.id)
    doc = discharge.summary(session, client, prepared_by=ot.user.preferred_name, now=clock.now())
    values = {
        "discharged_on": (row.discharged_on if row else doc.discharged_on).isoformat(),
        "what_helped": row.what_helped if row else "",
        "client_words": row.client_words if row else "",
        "keep_going": row.keep_going if row else "",
    }
    return render(
        request,
        "occupation/discharge.html",
        {
            "client": client,
            "base": _base(client),
            "doc": doc,
            "row": row,
            "form": worded(form) or FormResult(values=values),
            "saved": request.query_params.get("saved", ""),
        },
        status_code=status_code,
    )


@router.get(f"{CASE}/discharge", response_class=HTMLResponse)
def discharge_page(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    return _discharge_form(request, session, client, ot)


@router.post(f"{CASE}/discharge", response_class=HTMLResponse)
async def discharge_save(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    def save(data: DischargeIn) -> Response:
        discharge.save(session, therapist=ot, client=client, data=data)
        return see_other(f"{_base(client)}/discharge?saved=1")

    return await submit_form(
        request,
        DischargeIn,
        save=save,
        show=lambda form, status: _discharge_form(
            request, session, client, ot, form, status_code=status
        ),
        otherwise="discharged_on",
    )


def _download(body: bytes | str, media_type: str, name: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _stem(client: User) -> str:
    return "".join(ch for ch in client.preferred_name if ch.isalnum()) or "client"


@router.get(f"{CASE}/discharge/print", response_class=HTMLResponse)
def discharge_print(
    request: Request, session: SessionDep, client: TherapistClient, ot: CurrentTherapist
) -> Response:
    doc = discharge.summary(session, client, prepared_by=ot.user.preferred_name, now=clock.now())
    language = request_language(request)  # the therapist's: they print it
    with use_language(language):
        body = discharge.render_html(env, doc, embed_css=False)
    return HTMLResponse(body, headers={"Cache-Control": "no-store", "Content-Language": language})


@router.get(f"{CASE}/discharge.pdf")
def discharge_pdf(session: SessionDep, client: TherapistClient, ot: CurrentTherapist) -> Response:
    doc = discharge.summary(session, client, prepared_by=ot.user.preferred_name, now=clock.now())
    body = discharge.pdf(env, doc)
    audit.record_now(session, actor=ot.user, client_id=client.id, action="export.discharge_pdf")
    return _download(body, "application/pdf", f"discharge-{_stem(client)}.pdf")


@router.get(f"{CASE}/discharge.fhir.json")
def discharge_fhir(session: SessionDep, client: TherapistClient, ot: CurrentTherapist) -> Response:
    doc = discharge.summary(session, client, prepared_by=ot.user.preferred_name, now=clock.now())
    bundle = discharge.fhir_bundle(doc)
    audit.record_now(session, actor=ot.user, client_id=client.id, action="export.discharge_fhir")
    return _download(
        json.dumps(bundle, indent=1),
        "application/fhir+json",
        f"discharge-{_stem(client)}.fhir.json",
    )
