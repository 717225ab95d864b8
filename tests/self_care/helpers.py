"""Small builders for self-care tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.self_care import library, service
from app.self_care.models import Habit
from app.self_care.schemas import CheckInCreate
from app.self_care.targets import Outcome

# A Monday; noon UTC is the same calendar day in London.
MONDAY = date(2026, 11, 2)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def start(session: Session, client: User, key: str = "washing", level: int = 1) -> Habit:
    ladder = library.find(session=session, organisation_id=client.organisation_id, key=key)
    assert ladder is not None
    return service.start_from_ladder(
        session=session, actor=client, client=client, ladder=ladder, level=level
    )


def check(
    session: Session,
    client: User,
    habit: Habit,
    outcome: Outcome = Outcome.DONE,
    confidence: int | None = 8,
    **extra: object,
) -> object:
    data = CheckInCreate(id=uuid.uuid4(), outcome=outcome, confidence=confidence, **extra)
    return service.check_in(session=session, client=client, habit=habit, data=data)


def daily_check_ins(
    session: Session, client: User, habit: Habit, first: date, days: int, **kw: object
) -> None:
    """Check in each day at noon, with the clock frozen on that day."""
    for i in range(days):
        with clock.frozen_at(noon(first + timedelta(days=i))):
            check(session, client, habit, **kw)  # type: ignore[arg-type]
