"""The 10-second mood, energy and sleep log, its charts, and the careful pattern observation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from babel.support import LazyProxy
from sqlmodel import Session, col, select

from app import clock, taps
from app.accounts.models import User
from app.errors import Conflict, Unprocessable
from app.i18n import N_
from app.i18n import gettext as _
from app.self_care import history, words
from app.self_care.models import Habit, HabitCheckIn, HabitPause, MoodLog
from app.self_care.patterns import Observation, observe, strongest
from app.self_care.schemas import MoodCreate

# Labels are catalog messages, translated where they are shown.
# Five faces (drawn as SVG: emoji fonts are missing on many phones), each with a text label so the
# scale never rests on the picture alone. The path is the mouth, from a deep frown to a wide smile.
MOOD_FACES: dict[int, tuple[str, str]] = {
    1: ("M7 17 Q12 11.5 17 17", N_("Very low")),
    2: ("M7.5 16 Q12 13.5 16.5 16", N_("Low")),
    3: ("M7.5 15 L16.5 15", N_("Okay")),
    4: ("M7.5 14 Q12 17 16.5 14", N_("Good")),
    5: ("M7 13.5 Q12 19.5 17 13.5", N_("Very good")),
}
ENERGY_LABELS = {1: N_("Very low"), 2: N_("Low"), 3: N_("Some"), 4: N_("Good"), 5: N_("Lots")}
PATTERN_DAYS = 56


def log(*, session: Session, client: User, data: MoodCreate) -> MoodLog:
    """One entry per local day: a second log that day updates it; a replayed id changes nothing."""
    existing = session.get(MoodLog, data.id)
    if existing is not None:
        if existing.client_id != client.id:
            raise Conflict(_("This id is already used for something else."))
        return existing
    today = taps.local_day(data.tapped_at, tz=client.time_zone)  # today, unless queued
    on = data.on or today
    if not today - timedelta(days=1) <= on <= today:
        raise Unprocessable(_("You can log today or yesterday."), field="on")
    row = session.exec(
        select(MoodLog).where(MoodLog.client_id == client.id, MoodLog.logged_on == on)
    ).first()
    if row is None:
        row = MoodLog(id=data.id, client_id=client.id, logged_on=on, mood=data.mood)
    row.mood = data.mood
    row.energy = data.energy
    row.hours_slept = float(data.hours_slept) if data.hours_slept is not None else None
    row.note = data.note or None
    row.updated_at = clock.now()
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def recent(session: Session, client_id: uuid.UUID, today: date, days: int = 30) -> list[MoodLog]:
    return list(
        session.exec(
            select(MoodLog)
            .where(
                MoodLog.client_id == client_id,
                MoodLog.logged_on > today - timedelta(days=days),
                MoodLog.logged_on <= today,
            )
            .order_by(col(MoodLog.logged_on))
        )
    )


def logged_today(session: Session, client_id: uuid.UUID, today: date) -> MoodLog | None:
    return session.exec(
        select(MoodLog).where(MoodLog.client_id == client_id, MoodLog.logged_on == today)
    ).first()


@dataclass(frozen=True)
class ChartPoint:
    on: date
    value: float | None
    label: str


def series(logs: list[MoodLog], today: date, days: int, field: str) -> list[ChartPoint]:
    """One point per day (None where nothing was logged), for the chart and its text table."""
    by_day = {row.logged_on: row for row in logs}
    points: list[ChartPoint] = []
    for i in range(days - 1, -1, -1):
        day = today - timedelta(days=i)
        row = by_day.get(day)
        value = getattr(row, field) if row is not None else None
        points.append(ChartPoint(day, value, N_("not logged") if value is None else f"{value:g}"))
    return points


def observation(session: Session, client_id: uuid.UUID, today: date) -> Observation | None:
    """The clearest "on days you did X" pattern across the client's habits, or nothing."""
    start = today - timedelta(days=PATTERN_DAYS)
    ratings = {row.logged_on: row.mood for row in recent(session, client_id, today, PATTERN_DAYS)}
    if len(ratings) < 14:
        return None
    habits = list(session.exec(select(Habit).where(Habit.client_id == client_id)))
    check_ins = session.exec(
        select(col(HabitCheckIn.habit_id), col(HabitCheckIn.done_on)).where(
            HabitCheckIn.client_id == client_id,
            HabitCheckIn.done_on >= start,
            HabitCheckIn.outcome != "not_today",
        )
    ).all()
    pauses = list(session.exec(select(HabitPause).where(HabitPause.client_id == client_id)))
    found = []
    for habit in habits:
        own = [p for p in pauses if p.habit_id in (None, habit.id)]
        paused = history.paused_days(own, start, today)
        eligible = {d for d in ratings if d >= habit.started_on and d not in paused}
        did = {day for habit_id, day in check_ins if habit_id == habit.id}
        # The habit's name as the reader reads it, taken while the page renders.
        activity = cast(
            str, LazyProxy(words.habit_title, habit.source, habit.title, enable_cache=False)
        )
        found.append(observe(activity=activity, ratings=ratings, did=did, eligible=eligible))
    return strongest(found)
