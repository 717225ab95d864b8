"""The clinic side: a copy of a client's data (audited), an erasure request received by post, the
retention period, and a leaving therapist's caseload handed to a colleague."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from app import clock
from app.accounts import service as accounts
from app.accounts.dependencies import ClinicManager
from app.accounts.models import Organisation, Role, User
from app.accounts.policy import caseload_client_ids
from app.accounts.web import see_other
from app.db import SessionDep
from app.errors import Unprocessable
from app.forms import FormResult, finish_form_awaiting, read_form, submit_form, validate, worded
from app.i18n import N_
from app.my_data import build, closure, handover, notify, service
from app.my_data.dependencies import ClinicClient, ClinicExport, Colleague
from app.my_data.models import ClosureStatus
from app.my_data.schemas import ExportPublic
from app.schema_types import ApiModel
from app.templates import render

router = APIRouter()


class RetentionForm(ApiModel):
    years: Annotated[int, Field(ge=1, le=50)]


class PostalErasureForm(ApiModel):
    received_on: date
    confirm: bool = False


class HandoverForm(ApiModel):
    colleague_id: str = Field(min_length=36, max_length=36)


def _clients_page(
    request: Request,
    session: SessionDep,
    manager: ClinicManager,
    form: FormResult[RetentionForm] | None = None,
    status_code: int = 200,
) -> Response:
    org = manager.organisation_id
    assert org is not None  # a clinic manager always has a clinic
    years = closure.retention_years(session, org)
    return render(
        request,
        "my_data/admin_clients.html",
        {
            "clients": accounts.clinic_clients(session, org),
            "closings": {c.client_id: c for c in closure.closings(session, org)},
            "therapists": [
                u for u in accounts.clinic_users(session, org) if u.role == Role.therapist
            ],
            "form": worded(form or FormResult(values={"years": years})),
        },
        status_code=status_code,
    )


@router.get("/admin/clients", response_class=HTMLResponse)
def clients_page(request: Request, session: SessionDep, manager: ClinicManager) -> Response:
    return _clients_page(request, session, manager)


@router.post("/admin/retention", response_class=HTMLResponse)
async def retention_save(request: Request, session: SessionDep, manager: ClinicManager) -> Response:
    def save(data: RetentionForm) -> Response:
        assert manager.organisation_id is not None
        closure.set_retention(
            session, admin=manager.user, organisation_id=manager.organisation_id, years=data.years
        )
        return see_other("/admin/clients?saved=1")

    def show(form: FormResult[RetentionForm], status: int) -> Response:
        # One plain sentence for any wrong number, rather than pydantic's bound-by-bound wording.
        form.errors = {"years": N_("Enter a whole number of years, from 1 to 50.")}
        return _clients_page(request, session, manager, form, status_code=status)

    return await submit_form(request, RetentionForm, save=save, show=show)


def _client_page(
    request: Request,
    session: SessionDep,
    client: User,
    form: FormResult[PostalErasureForm] | None = None,
    status_code: int = 200,
) -> Response:
    row = service.latest_for_clinic(session, client.id)
    return render(
        request,
        "my_data/admin_client.html",
        {
            "client": client,
            "export": ExportPublic.of(row) if row else None,
            "closing": closure.current(session, client.id),
            "last": closure.latest(session, client.id),
            "form": worded(form or FormResult(values={})),
            "grace_days": closure.GRACE.days,
            "step_words": build.step_words,
        },
        status_code=status_code,
    )


@router.get("/admin/clients/{client_id}", response_class=HTMLResponse)
def client_page(request: Request, session: SessionDep, client: ClinicClient) -> Response:
    return _client_page(request, session, client)


@router.post("/admin/clients/{client_id}/export", response_class=HTMLResponse)
def client_export(session: SessionDep, client: ClinicClient, manager: ClinicManager) -> Response:
    service.request_export(session, client=client, requested_by=manager.user)
    return see_other(f"/admin/clients/{client.id}#h-copy")


@router.get("/admin/exports/{clinic_export_id}/download")
def clinic_download(export: ClinicExport, session: SessionDep, manager: ClinicManager) -> Response:
    body = service.downloadable(export, now=clock.now())
    service.record_download(session, export=export, actor=manager.user)
    return Response(
        body,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="groundwork-client-{export.created_at:%Y%m%d}.zip"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/admin/clients/{client_id}/close", response_class=HTMLResponse)
async def postal_erasure(
    request: Request, session: SessionDep, client: ClinicClient, manager: ClinicManager
) -> Response:
    async def save(data: PostalErasureForm) -> Response:
        if data.received_on > clock.local_today(manager.user.time_zone):
            raise Unprocessable(
                N_("The letter can't have arrived after today."), field="received_on"
            )
        if not data.confirm:
            raise Unprocessable(
                N_("Tick to confirm the clinic has checked who sent the letter."), field="confirm"
            )
        closed = closure.close(  # refuses an account already closing (shown on the form)
            session,
            client=client,
            requested_by=manager.user,
            source="post",
            received_on=data.received_on,
        )
        await run_in_threadpool(notify.tell_everyone, closed, client)
        return see_other(f"/admin/clients/{client.id}#h-erasure")

    return await finish_form_awaiting(
        validate(PostalErasureForm, await read_form(request)),
        save=save,
        show=lambda form, status: _client_page(request, session, client, form, status),
    )


@router.post("/admin/clients/{client_id}/restore", response_class=HTMLResponse)
def clinic_restore(session: SessionDep, client: ClinicClient, manager: ClinicManager) -> Response:
    row = closure.current(session, client.id)
    if row is None or row.status != ClosureStatus.closing:
        raise Unprocessable(N_("This account is not closing, so there is nothing to restore."))
    closure.restore(session, closure=row, actor=manager.user)
    return see_other(f"/admin/clients/{client.id}#h-erasure")


def _handover_page(
    request: Request,
    session: SessionDep,
    leaving: User,
    manager: ClinicManager,
    form: FormResult[HandoverForm] | None = None,
    done: handover.Handover | None = None,
    status_code: int = 200,
) -> Response:
    assert manager.organisation_id is not None
    colleagues = [
        u
        for u in accounts.clinic_users(session, manager.organisation_id)
        if u.role == Role.therapist and u.is_active and u.id != leaving.id
    ]
    return render(
        request,
        "my_data/admin_handover.html",
        {
            "leaving": leaving,
            "colleagues": [(str(u.id), u.preferred_name) for u in colleagues],
            "caseload": len(caseload_client_ids(session, leaving.id)),
            "form": worded(form or FormResult(values={})),
            "done": done,
        },
        status_code=status_code,
    )


@router.get("/admin/therapists/{therapist_id}/handover", response_class=HTMLResponse)
def handover_page(
    request: Request, session: SessionDep, leaving: Colleague, manager: ClinicManager
) -> Response:
    return _handover_page(request, session, leaving, manager)


@router.post("/admin/therapists/{therapist_id}/handover", response_class=HTMLResponse)
async def handover_save(
    request: Request, session: SessionDep, leaving: Colleague, manager: ClinicManager
) -> Response:
    org = manager.organisation_id
    assert org is not None  # a clinic manager always has a clinic

    async def save(data: HandoverForm) -> Response:
        target = next(
            (u for u in accounts.clinic_users(session, org) if str(u.id) == data.colleague_id),
            None,
        )
        if target is None or target.id == leaving.id or target.role != Role.therapist:
            raise Unprocessable(N_("Choose a colleague from the list."), field="colleague_id")
        done = handover.hand_over(session, manager=manager.user, leaving=leaving, colleague=target)
        clinic = session.get(Organisation, org)
        done = await run_in_threadpool(handover.tell_clients, done, clinic.name if clinic else "")
        return _handover_page(request, session, leaving, manager, done=done)

    return await finish_form_awaiting(
        validate(HandoverForm, await read_form(request)),
        save=save,
        show=lambda form, status: _handover_page(
            request, session, leaving, manager, form, status_code=status
        ),
        otherwise="colleague_id",
    )
