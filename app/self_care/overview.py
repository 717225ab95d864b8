"""The self-care part of the therapist's client page: habits at a glance, waiting suggestions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, and_, col, select

from app.accounts.models import User
from app.home.sections import OverviewSection
from app.self_care.models import Habit, HabitLevel, HabitSuggestion, MoodLog


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    del now
    habits = session.exec(
        select(
            col(Habit.title),
            col(Habit.level),
            col(Habit.highest_level),
            col(HabitLevel.description),
        )
        .join(
            HabitLevel,
            and_(col(HabitLevel.habit_id) == Habit.id, col(HabitLevel.number) == Habit.level),
        )
        .where(Habit.client_id == client.id, col(Habit.archived_at).is_(None))
        .order_by(col(Habit.created_at))
    ).all()
    waiting = session.exec(
        select(func.count(col(HabitSuggestion.id)))
        .join(Habit, col(Habit.id) == HabitSuggestion.habit_id)
        .where(Habit.client_id == client.id, HabitSuggestion.state == "pending")
    ).one()
    last_mood = session.exec(
        select(col(MoodLog.logged_on), col(MoodLog.mood))
        .where(MoodLog.client_id == client.id)
        .order_by(col(MoodLog.logged_on).desc())
    ).first()
    return OverviewSection(
        key="self_care",
        title="Self-care",
        template="self_care/_overview.html",
        context={"client": client, "habits": habits, "waiting": waiting, "last_mood": last_mood},
        order=30,
    )
