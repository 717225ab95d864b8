"""Loaders for homework routes: the assignment, if the principal may see its client (else 404)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.dependencies import AccessibleClient, CurrentPrincipal, action_name
from app.accounts.models import Role
from app.accounts.policy import authorize_client
from app.db import SessionDep
from app.errors import Forbidden, NotFound
from app.homework.models import HomeworkAssignment
from app.homework.service import get_assignment


def owned_assignment(
    assignment_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> HomeworkAssignment:
    a = session.get(HomeworkAssignment, assignment_id)
    if a is None:
        raise NotFound()
    authorize_client(session, principal, a.client_id, action=action_name(request))
    return a


OwnedAssignment = Annotated[HomeworkAssignment, Depends(owned_assignment)]


def clients_assignment(
    assignment_id: uuid.UUID, client: AccessibleClient, session: SessionDep
) -> HomeworkAssignment:
    """An assignment named under /caseload/{client_id}/…: it must belong to that client."""
    a = get_assignment(session, assignment_id)
    if a.client_id != client.id:
        raise NotFound()
    return a


ClientsAssignment = Annotated[HomeworkAssignment, Depends(clients_assignment)]


def require_role_of(principal: CurrentPrincipal, role: Role) -> None:
    if principal.role != role:
        raise Forbidden("This is for a different kind of account.")


def therapist_assignment(
    assignment: OwnedAssignment, principal: CurrentPrincipal
) -> HomeworkAssignment:
    """Revising and cancelling are the therapist's; the client gets 403 on their own homework."""
    require_role_of(principal, Role.therapist)
    return assignment


def client_assignment(
    assignment: OwnedAssignment, principal: CurrentPrincipal
) -> HomeworkAssignment:
    """Accepting, declining and completing are the client's own decisions."""
    require_role_of(principal, Role.client)
    return assignment


TherapistAssignment = Annotated[HomeworkAssignment, Depends(therapist_assignment)]
ClientAssignment = Annotated[HomeworkAssignment, Depends(client_assignment)]
