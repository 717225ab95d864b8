"""The self-care part of the therapist's client page: habits at a glance, waiting suggestions.

One statement, built once at import (building it cost more than running it) and run through
Core (`session.connection()`, no ORM loading context for plain columns): one row holding the
waiting suggestions' count and the latest mood log, outer-joined to the active habits with their
current level's description."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from babel.support import LazyProxy
from sqlalchemy import BindParameter, bindparam, func, select, true
from sqlmodel import Session, and_, col

from app.accounts import policy
from app.accounts.models import RecordKind, User
from app.i18n import N_
from app.sections import OverviewSection
from app.self_care import words
from app.self_care.models import Habit, HabitLevel, HabitSuggestion, MoodLog

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")

_HABITS = (
    select(
        col(Habit.title),
        col(Habit.source),
        col(Habit.level),
        col(Habit.highest_level),
        col(HabitLevel.description),
        col(Habit.created_at),
    )
    .join(
        HabitLevel,
        and_(col(HabitLevel.habit_id) == Habit.id, col(HabitLevel.number) == Habit.level),
    )
    .where(col(Habit.client_id) == _CLIENT, col(Habit.archived_at).is_(None))
    .subquery()
)


def _latest_mood(column: Any) -> Any:
    return (
        select(column)
        .where(col(MoodLog.client_id) == _CLIENT)
        .order_by(col(MoodLog.logged_on).desc())
        .limit(1)
        .scalar_subquery()
    )


_WAITING_AND_MOOD = select(
    select(func.count(col(HabitSuggestion.id)))
    .join(Habit, col(Habit.id) == HabitSuggestion.habit_id)
    .where(col(Habit.client_id) == _CLIENT, col(HabitSuggestion.state) == "pending")
    .scalar_subquery()
    .label("waiting"),
    _latest_mood(col(MoodLog.logged_on)).label("mood_on"),
    _latest_mood(col(MoodLog.mood)).label("mood"),
).subquery()
# One statement: the counts' row outer-joined to the active habits (a row of NULLs when none).
_PAGE = (
    select(
        _WAITING_AND_MOOD,
        _HABITS.c.title,
        _HABITS.c.source,
        _HABITS.c.level,
        _HABITS.c.highest_level,
        _HABITS.c.description,
    )
    .select_from(_WAITING_AND_MOOD)
    .outerjoin(_HABITS, true())
    .order_by(_HABITS.c.created_at)
)


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    del now
    rows = session.connection().execute(_PAGE, {"client_id": client.id}).all()
    waiting, mood_on, mood = rows[0][:3]
    # (title, level, highest, description, authored): built-in words in the reader's language.
    habits = [
        (
            LazyProxy(words.habit_title, source, title, enable_cache=False),
            level,
            highest,
            LazyProxy(words.habit_level, source, level, description, enable_cache=False),
            not words.is_builtin(source, title),  # the client's own words: shown as written
        )
        for title, source, level, highest, description in (row[3:] for row in rows)
        if title is not None
    ]
    if RecordKind.mood in policy.private_kinds(session, client.id):
        mood_on = None  # kept private: as if nothing were logged
    return OverviewSection(
        key="self_care",
        title=N_("Self-care"),
        template="self_care/_overview.html",
        context={
            "client": client,
            "habits": habits,
            "waiting": waiting,
            "last_mood": (mood_on, mood) if mood_on is not None else None,
        },
        order=30,
    )
