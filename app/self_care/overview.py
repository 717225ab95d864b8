"""The self-care part of the therapist's client page: habits at a glance, waiting suggestions.

Two statements, built once at import (building them cost more than running them) and
run through Core (`session.connection()`, no ORM loading context for plain columns): the active
habits with their current level's description, and one row holding the waiting suggestions'
count and the latest mood log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func
from sqlmodel import Session, and_, col, select

from app.accounts.models import User
from app.home.sections import OverviewSection
from app.self_care.models import Habit, HabitLevel, HabitSuggestion, MoodLog

_CLIENT = bindparam("client_id")

_HABITS = (
    select(col(Habit.title), col(Habit.level), col(Habit.highest_level),
           col(HabitLevel.description))
    .join(HabitLevel, and_(col(HabitLevel.habit_id) == Habit.id,
                           col(HabitLevel.number) == Habit.level))
    .where(Habit.client_id == _CLIENT, col(Habit.archived_at).is_(None))
    .order_by(col(Habit.created_at))
)  # fmt: skip


def _latest_mood(column: object) -> object:
    return (
        select(column).where(MoodLog.client_id == _CLIENT)
        .order_by(col(MoodLog.logged_on).desc()).limit(1).scalar_subquery()
    )  # fmt: skip


_WAITING_AND_MOOD = select(
    select(func.count(col(HabitSuggestion.id)))
    .join(Habit, col(Habit.id) == HabitSuggestion.habit_id)
    .where(Habit.client_id == _CLIENT, HabitSuggestion.state == "pending")
    .scalar_subquery(),
    _latest_mood(col(MoodLog.logged_on)),
    _latest_mood(col(MoodLog.mood)),
)  # fmt: skip


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    del now
    params = {"client_id": client.id}
    habits = session.connection().execute(_HABITS, params).all()
    waiting, mood_on, mood = session.connection().execute(_WAITING_AND_MOOD, params).one()
    return OverviewSection(
        key="self_care",
        title="Self-care",
        template="self_care/_overview.html",
        context={
            "client": client,
            "habits": habits,
            "waiting": waiting,
            "last_mood": (mood_on, mood) if mood_on is not None else None,
        },
        order=30,
    )
