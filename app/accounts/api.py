"""Accounts over JSON: me, my devices, the caseload, adding a client, the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from app import clock
from app.accounts import auth, service, sessions
from app.accounts.dependencies import (
    AccessibleClient,
    ClinicManager,
    CurrentPrincipal,
    CurrentTherapist,
)
from app.accounts.models import User
from app.accounts.schemas import (
    ClientCreate,
    ClientPublic,
    InvitePublic,
    ProfileUpdate,
    SessionPublic,
    UserPublic,
)
from app.audit import service as audit
from app.config import get_settings
from app.db import SessionDep

router = APIRouter(tags=["accounts"])


def _client_public(user: User) -> ClientPublic:
    return ClientPublic(
        id=user.id,
        preferred_name=user.preferred_name,
        time_zone=user.time_zone,
        country=user.country,
        invite_pending=user.activated_at is None,
        last_seen_at=user.last_seen_at,
    )


@router.get("/me", response_model=UserPublic)
async def me(principal: CurrentPrincipal) -> UserPublic:
    """`async`: the principal is already loaded (its secrets aside, which this never shows), so
    there is nothing to wait for and no reason to pay a thread hop."""
    return UserPublic.model_validate(principal.user)


@router.patch("/me", response_model=UserPublic)
def update_me(body: ProfileUpdate, session: SessionDep, principal: CurrentPrincipal) -> UserPublic:
    user = service.update_profile(
        session,
        user=principal.user,
        name=body.name,
        time_zone=body.time_zone,
        country=body.country,
        language=body.language,
    )
    return UserPublic.model_validate(user)


@router.get("/me/sessions", response_model=list[SessionPublic])
def my_sessions(session: SessionDep, principal: CurrentPrincipal) -> list[SessionPublic]:
    return [
        SessionPublic.model_validate(s).model_copy(update={"current": s.id == principal.session.id})
        for s in sessions.active_for(session, principal.id)
    ]


class Ended(BaseModel):
    ended: int


@router.delete("/me/sessions/others", response_model=Ended)
def end_other_sessions(session: SessionDep, principal: CurrentPrincipal) -> Ended:
    return Ended(ended=auth.logout_other_devices(session, principal=principal))


@router.get("/caseload", response_model=list[ClientPublic])
def caseload(session: SessionDep, therapist: CurrentTherapist) -> list[ClientPublic]:
    return [_client_public(row.client) for row in service.caseload(session, therapist.id)]


@router.post(
    "/clients",
    response_model=InvitePublic,
    status_code=201,
    responses={409: {"description": "Email already in use"}},
)
def add_client(
    body: ClientCreate, session: SessionDep, therapist: CurrentTherapist
) -> InvitePublic:
    """Add a client to the caseload; the answer holds their single-use invite link and code."""
    client, issued = service.create_client(
        session,
        therapist=therapist,
        name=body.name,
        email=body.email,
        time_zone=body.time_zone,
        country=body.country,
    )
    return InvitePublic(
        client=_client_public(client),
        link=get_settings().base_url + issued.path,
        code=issued.code,
        expires_at=issued.invite.expires_at,
    )


@router.get("/clients/{client_id}", response_model=ClientPublic)
def get_client(client: AccessibleClient) -> ClientPublic:
    return _client_public(client)


@router.delete("/clients/{client_id}/care-link", status_code=204)
def end_care(
    client: AccessibleClient, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    service.end_care_link(
        session, principal=therapist, therapist_id=therapist.id, client_id=client.id
    )
    return Response(status_code=204)


class AuditEventPublic(BaseModel):
    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_role: str
    client_id: uuid.UUID | None
    action: str
    detail: str
    request_id: str
    ip_address: str


@router.get("/admin/audit", response_model=list[AuditEventPublic])
def audit_log(
    session: SessionDep,
    manager: ClinicManager,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    client_id: uuid.UUID | None = None,
) -> list[AuditEventPublic]:
    assert manager.organisation_id is not None
    events = audit.search(
        session,
        organisation_id=manager.organisation_id,
        client_id=client_id,
        since=clock.now() - timedelta(days=days),
        limit=1000,
    )
    return [AuditEventPublic.model_validate(e, from_attributes=True) for e in events]
