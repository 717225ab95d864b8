"""Tells the reminders domain whether a routine's "only if not done yet" reminder should still go."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select

from app.routines import recurrence
from app.routines.models import Routine, RoutinePause, RoutineRun

KIND = "routine"


def still_due(*, session: Session, source_id: uuid.UUID, local_day: date) -> bool:
    """False when the routine is archived, paused, not planned that day, or every step is answered."""
    paused = exists().where(
        RoutinePause.routine_id == Routine.id,
        RoutinePause.starts_on <= local_day,
        or_(col(RoutinePause.ends_on).is_(None), col(RoutinePause.ends_on) >= local_day),
    )
    row = session.exec(
        select(
            Routine.rrule,
            Routine.starts_on,
            Routine.archived_at,
            RoutineRun.completed_at,
            paused.label("paused"),
        )
        .select_from(Routine)
        .outerjoin(
            RoutineRun, and_(RoutineRun.routine_id == Routine.id, RoutineRun.local_day == local_day)
        )
        .where(Routine.id == source_id)
    ).first()
    if row is None or row.archived_at is not None or row.paused or row.completed_at is not None:
        return False
    return recurrence.occurs_on(row.rrule, row.starts_on, local_day)
