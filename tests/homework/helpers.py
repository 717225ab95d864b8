"""Helpers for homework tests: principals and a ready assignment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from app import clock
from app.accounts.models import AuthSession, User
from app.accounts.sessions import create as create_session
from app.homework import service
from app.homework.models import HomeworkAssignment
from app.homework.schemas import AssignmentCreate
from app.web_security import Principal


def principal(session: Session, user: User) -> Principal:
    issued = create_session(session, user=user, user_agent="pytest", ip_address="127.0.0.1")
    session.flush()
    record = session.get(AuthSession, issued.record.id)
    assert record is not None
    return Principal(user=user, session=record)


def assignment(
    session: Session, therapist: User, client: User, **overrides: Any
) -> HomeworkAssignment:
    due = clock.local_today(client.time_zone) + timedelta(days=3)
    data: dict[str, Any] = {"kind": "task", "title": "Write a shopping list", "due_on": due}
    data.update(overrides)
    return service.assign(
        session,
        therapist=principal(session, therapist),
        client=client,
        data=AssignmentCreate.model_validate(data),
    )


def in_days(client: User, days: int) -> date:
    return clock.local_today(client.time_zone) + timedelta(days=days)
