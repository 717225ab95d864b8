"""Shared helpers for occupation tests: a principal for a user, and a goal through progress."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.accounts.sessions import lookup
from app.progress.models import Goal
from app.web_security import Principal
from tests import factories


def principal(session: Session, person: User) -> Principal:
    token, _csrf = factories.login_token(session, person)
    found = lookup(session, token)
    assert found is not None
    return Principal(user=person, session=found[0])


def goal(session: Session, client: User, therapist: User, title: str = "Cook a meal") -> Goal:
    row = Goal(
        client_id=client.id,
        created_by_id=therapist.id,
        title=title,
        level_m2="Not at all",
        level_m1="Once a month",
        level_0="Once a week",
        level_p1="Twice a week",
        level_p2="Most days",
    )
    session.add(row)
    session.flush()
    return row
