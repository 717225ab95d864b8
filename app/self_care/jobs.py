"""Weekly look at every habit, so repeated hard weeks get a gentle suggestion even when the
client stopped checking in (check-ins trigger the same rules as they arrive)."""

from __future__ import annotations

import logging

from sqlmodel import Session, col, or_, select

from app import clock
from app.accounts.models import User
from app.db import get_engine
from app.scheduler import Job
from app.self_care import suggestions
from app.self_care.models import Habit

log = logging.getLogger("groundwork.self_care")
BATCH = 200


def grade_weekly(*, session: Session, limit: int = BATCH) -> int:
    """Judge the habits whose local week has turned; returns how many. Commits once."""
    now = clock.now()
    rows = session.exec(
        select(Habit, User.time_zone)
        .join(User, col(User.id) == Habit.client_id)
        .where(
            col(Habit.archived_at).is_(None),
            col(Habit.lowest_level) < col(Habit.highest_level),
            or_(col(Habit.next_grade_at).is_(None), col(Habit.next_grade_at) <= now),
        )
        .order_by(col(Habit.next_grade_at))
        .limit(limit)
    ).all()
    for habit, tz in rows:
        today = now.astimezone(clock.zone(tz)).date()
        suggestions.refresh(session=session, habit=habit, today=today)
        habit.next_grade_at = suggestions.next_week_starts_at(now, tz)
        session.add(habit)
    session.commit()
    return len(rows)


def _tick() -> None:
    with Session(get_engine()) as session:
        judged = grade_weekly(session=session)
    if judged:
        log.info("weekly grading looked at %d habits", judged)


JOBS = [Job(name="self_care.grade_weekly", func=_tick, seconds=600)]
