"""Loaders for self-care routes: the row, or NotFound when the policy says it is someone else's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.dependencies import (
    AccessibleClient,
    CurrentClient,
    CurrentPrincipal,
    CurrentTherapist,
    action_name,
)
from app.accounts.models import User
from app.accounts.policy import authorize_client
from app.db import SessionDep
from app.errors import NotFound
from app.self_care import service
from app.self_care.models import Habit, HabitSuggestion
from app.transactions import brief_loader


def _habit(session: SessionDep, habit_id: uuid.UUID) -> Habit:
    habit = session.get(Habit, habit_id)
    if habit is None:
        raise NotFound()
    return habit


@brief_loader
def own_habit(habit_id: uuid.UUID, session: SessionDep, principal: CurrentClient) -> Habit:
    """A client acting on one of their own habits."""
    return service.get_habit_for(session, client_id=principal.id, habit_id=habit_id)


@brief_loader
def own_habit_to_check_in(
    habit_id: uuid.UUID, session: SessionDep, principal: CurrentClient
) -> service.HabitToCheckIn:
    """`own_habit` for a check-in: the habit read with what the check-in reads of it (its level's
    target, its summary's `settled_on`) in one statement, so the write runs one fewer."""
    return service.habit_to_check_in(session, client_id=principal.id, habit_id=habit_id)


def visible_habit(
    habit_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Habit:
    """The client or their therapist (audited by the policy)."""
    habit = _habit(session, habit_id)
    authorize_client(session, principal, habit.client_id, action=action_name(request))
    return habit


def managed_habit(
    habit_id: uuid.UUID, request: Request, session: SessionDep, therapist: CurrentTherapist
) -> Habit:
    """A therapist acting on a habit of a client on their caseload (audited)."""
    habit = _habit(session, habit_id)
    authorize_client(session, therapist, habit.client_id, action=action_name(request))
    return habit


def _suggestion(session: SessionDep, suggestion_id: uuid.UUID) -> HabitSuggestion:
    suggestion = session.get(HabitSuggestion, suggestion_id)
    if suggestion is None:
        raise NotFound()
    return suggestion


def own_suggestion(
    suggestion_id: uuid.UUID, session: SessionDep, principal: CurrentClient
) -> HabitSuggestion:
    suggestion = _suggestion(session, suggestion_id)
    service.get_habit_for(session, client_id=principal.id, habit_id=suggestion.habit_id)
    return suggestion


def managed_suggestion(
    suggestion_id: uuid.UUID, request: Request, session: SessionDep, therapist: CurrentTherapist
) -> HabitSuggestion:
    suggestion = _suggestion(session, suggestion_id)
    habit = _habit(session, suggestion.habit_id)
    authorize_client(session, therapist, habit.client_id, action=action_name(request))
    return suggestion


def therapist_client(client: AccessibleClient, therapist: CurrentTherapist) -> User:
    """A client on this therapist's caseload (the policy dependency audits the read)."""
    del therapist
    return client


TherapistClient = Annotated[User, Depends(therapist_client)]


def clients_habit(habit_id: uuid.UUID, session: SessionDep, client: TherapistClient) -> Habit:
    return service.get_habit_for(session, client_id=client.id, habit_id=habit_id)


def clients_suggestion(
    suggestion_id: uuid.UUID, session: SessionDep, client: TherapistClient
) -> HabitSuggestion:
    suggestion = _suggestion(session, suggestion_id)
    service.get_habit_for(session, client_id=client.id, habit_id=suggestion.habit_id)
    return suggestion


OwnHabit = Annotated[Habit, Depends(own_habit)]
OwnHabitToCheckIn = Annotated[service.HabitToCheckIn, Depends(own_habit_to_check_in)]
VisibleHabit = Annotated[Habit, Depends(visible_habit)]
ManagedHabit = Annotated[Habit, Depends(managed_habit)]
OwnSuggestion = Annotated[HabitSuggestion, Depends(own_suggestion)]
ManagedSuggestion = Annotated[HabitSuggestion, Depends(managed_suggestion)]
ClientsHabit = Annotated[Habit, Depends(clients_habit)]
ClientsSuggestion = Annotated[HabitSuggestion, Depends(clients_suggestion)]
