"""Clinic administration: colleagues, their invites, and the audit log (accounts, not clinical data)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import clock, csv_safe
from app.accounts import service
from app.accounts.dependencies import ClinicManager
from app.accounts.models import User
from app.accounts.policy import may_manage_user
from app.accounts.schemas import TherapistInvite
from app.accounts.web import see_other
from app.audit import service as audit
from app.config import get_settings
from app.db import SessionDep
from app.errors import NotFound
from app.forms import FormResult, read_form, submit_form
from app.templates import render

router = APIRouter()


def _admin_context(session: SessionDep, manager: ClinicManager) -> dict[str, object]:
    assert manager.organisation_id is not None
    return {"colleagues": service.clinic_users(session, manager.organisation_id)}


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, session: SessionDep, manager: ClinicManager) -> Response:
    return render(
        request,
        "accounts/admin.html",
        {"form": FormResult(values={}), **_admin_context(session, manager)},
    )


@router.post("/admin/invite", response_class=HTMLResponse)
async def invite_colleague(
    request: Request, session: SessionDep, manager: ClinicManager
) -> Response:
    context = _admin_context(session, manager)

    def save(data: TherapistInvite) -> Response:
        issued = service.invite_therapist(session, admin=manager, email=data.email)
        return render(
            request,
            "accounts/admin.html",
            {
                "form": FormResult(values={}),
                "issued": issued,
                "invited_email": data.email,
                "link": get_settings().base_url + issued.path,
                **_admin_context(session, manager),
            },
            status_code=201,
        )

    return await submit_form(
        request,
        TherapistInvite,
        save=save,
        show=lambda form, status: render(
            request, "accounts/admin.html", {"form": form, **context}, status_code=status
        ),
        refusal_status=None,
    )


@router.post("/admin/users/{user_id}/active", response_class=HTMLResponse)
async def set_active(
    user_id: uuid.UUID, request: Request, session: SessionDep, manager: ClinicManager
) -> Response:
    target = session.get(User, user_id)
    if target is None or not may_manage_user(manager, target) or target.id == manager.id:
        raise NotFound()
    values = await read_form(request)
    service.set_active(session, admin=manager, user=target, active=values.get("active") == "1")
    return see_other("/admin")


def _events(session: SessionDep, manager: ClinicManager, days: int) -> list[object]:
    assert manager.organisation_id is not None
    since = clock.now() - timedelta(days=days)
    return list(
        audit.search(session, organisation_id=manager.organisation_id, since=since, limit=500)
    )


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: SessionDep,
    manager: ClinicManager,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
) -> Response:
    names = {u.id: u.preferred_name for u in service.clinic_users(session, manager.organisation_id)}  # type: ignore[arg-type]  # require_clinic_manager refuses a principal without an organisation
    return render(
        request,
        "accounts/audit.html",
        {"events": _events(session, manager, days), "days": days, "names": names},
    )


@router.get("/admin/audit.csv")
def audit_csv(
    session: SessionDep, manager: ClinicManager, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> Response:
    body = audit.to_csv(_events(session, manager, days))  # type: ignore[arg-type]  # _events returns audit.search's AuditEvent rows
    return csv_safe.download(body, f"audit-{clock.now():%Y%m%d}.csv")
