"""Tells the reminders domain whether a routine's "only if not done yet" reminder should still go."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlmodel import Session, col

from app.routines import recurrence
from app.routines.models import Routine, RoutinePause, RoutineRun

KIND = "routine"


def still_due(*, session: Session, source_id: uuid.UUID, local_day: date) -> bool:
    """False when the routine is archived, paused, not planned that day, or every step is answered."""
    paused = exists().where(
        col(RoutinePause.routine_id) == Routine.id,
        col(RoutinePause.starts_on) <= local_day,
        or_(col(RoutinePause.ends_on).is_(None), col(RoutinePause.ends_on) >= local_day),
    )
    row = session.execute(
        select(
            col(Routine.rrule),
            col(Routine.starts_on),
            col(Routine.archived_at),
            col(RoutineRun.completed_at),
            paused.label("paused"),
        )
        .select_from(Routine)
        .outerjoin(
            RoutineRun,
            and_(col(RoutineRun.routine_id) == Routine.id, col(RoutineRun.local_day) == local_day),
        )
        .where(col(Routine.id) == source_id)
    ).first()
    if row is None:
        return False
    rrule, starts_on, archived_at, completed_at, is_paused = row
    if archived_at is not None or is_paused or completed_at is not None:
        return False
    return recurrence.occurs_on(rrule, starts_on, local_day)
