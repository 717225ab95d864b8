"""Loaders for progress routes: objects named under /caseload/{client_id}/… must be that client's."""

from __future__ import annotations

import uuid
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from app.accounts.dependencies import AccessibleClient, CurrentPrincipal, action_name
from app.accounts.models import Role, User
from app.accounts.policy import authorize_client
from app.db import SessionDep
from app.errors import Forbidden, NotFound
from app.i18n import N_
from app.progress.models import Goal, MeasureResponse, MeasureSchedule, SessionNote


def therapist_client(client: AccessibleClient, principal: CurrentPrincipal) -> User:
    """A client's progress records are the therapist's working notes: clients get 403."""
    if principal.role != Role.therapist:
        raise Forbidden(N_("This page is for the client's therapist."))
    return client


TherapistClient = Annotated[User, Depends(therapist_client)]


_Owned = TypeVar("_Owned", Goal, MeasureSchedule, MeasureResponse, SessionNote)


def _owned(model: type[_Owned], key: uuid.UUID, client: User, session: SessionDep) -> _Owned:
    row = session.get(model, key)
    if row is None or row.client_id != client.id:
        raise NotFound()
    return row


def client_goal(goal_id: uuid.UUID, client: TherapistClient, session: SessionDep) -> Goal:
    return _owned(Goal, goal_id, client, session)


def client_schedule(
    schedule_id: uuid.UUID, client: TherapistClient, session: SessionDep
) -> MeasureSchedule:
    return _owned(MeasureSchedule, schedule_id, client, session)


def client_response(
    response_id: uuid.UUID, client: TherapistClient, session: SessionDep
) -> MeasureResponse:
    return _owned(MeasureResponse, response_id, client, session)


def client_note(note_id: uuid.UUID, client: TherapistClient, session: SessionDep) -> SessionNote:
    return _owned(SessionNote, note_id, client, session)


def therapist_note(
    note_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> SessionNote:
    """A note by id (API): only the client's therapists; the client gets 404 like anyone else,
    so a client cannot even learn that a note exists."""
    note = session.get(SessionNote, note_id)
    if note is None or principal.role != Role.therapist:
        raise NotFound()
    authorize_client(session, principal, note.client_id, action=action_name(request))
    return note


ClientGoal = Annotated[Goal, Depends(client_goal)]
ClientSchedule = Annotated[MeasureSchedule, Depends(client_schedule)]
ClientResponse = Annotated[MeasureResponse, Depends(client_response)]
ClientNote = Annotated[SessionNote, Depends(client_note)]
TherapistNote = Annotated[SessionNote, Depends(therapist_note)]
