"""Reminder seam: is a habit reminder still due on a local day? Paused or done means silent."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, or_, select

from app.self_care.history import CHECK_IN_FOLD, to_target
from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitPause
from app.self_care.targets import CheckIn, Outcome, day_values

KIND = "habit"


def still_due(*, session: Session, source_id: uuid.UUID, local_day: date) -> bool:
    habit = session.get(Habit, source_id)
    if habit is None or habit.archived_at is not None:
        return False
    paused = session.exec(
        select(HabitPause.id).where(
            HabitPause.client_id == habit.client_id,
            or_(col(HabitPause.habit_id).is_(None), HabitPause.habit_id == habit.id),
            HabitPause.starts_on <= local_day,
            or_(col(HabitPause.ends_on).is_(None), col(HabitPause.ends_on) >= local_day),
        )
    ).first()
    if paused is not None:
        return False
    level = session.exec(
        select(HabitLevel).where(HabitLevel.habit_id == habit.id, HabitLevel.number == habit.level)
    ).one()
    target = to_target(level)
    if not target.is_planned(local_day) and target.kind.value != "weekly":
        return False
    rows = session.execute(  # folded per day like every read (history.CHECK_IN_FOLD)
        core_select(*CHECK_IN_FOLD, func.count())
        .where(col(HabitCheckIn.habit_id) == habit.id, col(HabitCheckIn.done_on) == local_day)
        .group_by(*CHECK_IN_FOLD)
    ).all()
    if any(outcome == Outcome.NOT_TODAY.value for _, outcome, _, _ in rows):
        return False  # they already said "not today": a reminder would only nag
    checks = [CheckIn(on, Outcome(o), None, a, n) for on, o, a, n in rows]
    return day_values(target, checks).get(local_day, 0.0) < 1.0
