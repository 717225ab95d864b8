"""Loaders for occupation routes: the row, or NotFound when the policy says it is someone else's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.accounts.dependencies import (
    AccessibleClient,
    CurrentPrincipal,
    CurrentTherapist,
    action_name,
)
from app.accounts.models import User
from app.accounts.policy import authorize_client
from app.db import SessionDep
from app.errors import NotFound
from app.occupation import interests, plan, service
from app.occupation.models import Interest, PlanGoal, RatingRound


def therapist_client(client: AccessibleClient, therapist: CurrentTherapist) -> User:
    """A client on this therapist's caseload (the policy dependency audits the access)."""
    del therapist
    return client


TherapistClient = Annotated[User, Depends(therapist_client)]


def visible_round(
    round_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> RatingRound:
    """The client or their therapist (audited by the policy)."""
    row = service.get_round(session, round_id)
    authorize_client(session, principal, row.client_id, action=action_name(request))
    return row


def clients_interest(
    interest_id: uuid.UUID, session: SessionDep, client: TherapistClient
) -> Interest:
    row = interests.get_interest(session, interest_id)
    if row.client_id != client.id:
        raise NotFound()
    return row


def clients_plan_goal(
    plan_goal_id: uuid.UUID, session: SessionDep, client: TherapistClient
) -> PlanGoal:
    row = plan.get_plan_goal(session, plan_goal_id)
    if row.client_id != client.id:
        raise NotFound()
    return row


VisibleRound = Annotated[RatingRound, Depends(visible_round)]
ClientsInterest = Annotated[Interest, Depends(clients_interest)]
ClientsPlanGoal = Annotated[PlanGoal, Depends(clients_plan_goal)]
