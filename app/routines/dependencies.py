"""Loaders and guards for routines: every load goes through the access policy (404 for others)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.accounts.dependencies import (
    AccessibleClient,
    CurrentClient,
    CurrentPrincipal,
    CurrentTherapist,
    action_name,
)
from app.accounts.models import Role, User
from app.accounts.policy import authorize_client
from app.db import SessionDep
from app.errors import NotFound
from app.routines.models import Routine, RoutinePhoto
from app.web_security import Principal


@dataclass(frozen=True)
class RoutineAccess:
    """A routine, its client and who is asking; only made once the policy said yes."""

    routine: Routine
    client: User
    principal: Principal

    @property
    def is_client(self) -> bool:
        return self.principal.role == Role.client


def load_routine(
    routine_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> RoutineAccess:
    routine = session.get(Routine, routine_id)
    if routine is None:
        raise NotFound()
    client = authorize_client(session, principal, routine.client_id, action=action_name(request))
    return RoutineAccess(routine=routine, client=client, principal=principal)


AccessibleRoutine = Annotated[RoutineAccess, Depends(load_routine)]


def load_own_routine(access: AccessibleRoutine) -> RoutineAccess:
    """Doing a routine (the player, check-offs) is the client's own act; others get 404."""
    if not access.is_client:
        raise NotFound()
    return access


OwnRoutine = Annotated[RoutineAccess, Depends(load_own_routine)]


def load_photo(
    photo_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> RoutinePhoto:
    photo = session.get(RoutinePhoto, photo_id)
    if photo is None:
        raise NotFound()
    authorize_client(session, principal, photo.client_id, action=action_name(request))
    return photo


AccessiblePhoto = Annotated[RoutinePhoto, Depends(load_photo)]


@dataclass(frozen=True)
class Scope:
    """Whose routines a builder page works on, and where its links point.

    The client builds their own under /routines; a therapist uses the same pages for a client on
    their caseload under /caseload/{client_id}/routines (the policy audit-logs that access)."""

    client: User
    principal: Principal
    base: str

    @property
    def is_therapist(self) -> bool:
        return self.principal.role == Role.therapist


def client_scope(principal: CurrentClient) -> Scope:
    return Scope(client=principal.user, principal=principal, base="/routines")


def therapist_scope(client: AccessibleClient, principal: CurrentTherapist) -> Scope:
    return Scope(client=client, principal=principal, base=f"/caseload/{client.id}/routines")


ClientScope = Annotated[Scope, Depends(client_scope)]
TherapistScope = Annotated[Scope, Depends(therapist_scope)]


def routine_in_scope(session: Session, scope: Scope, routine_id: uuid.UUID) -> Routine:
    """The routine if it belongs to the scope's (already authorised) client; otherwise 404."""
    routine = session.get(Routine, routine_id)
    if routine is None or routine.client_id != scope.client.id:
        raise NotFound()
    return routine
