"""Turning the grading rules into stored suggestions the client and therapist can answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, or_, select

from app import clock, prebuilt
from app.self_care import grading, history
from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitPause, HabitSuggestion
from app.self_care.strength import week_start
from app.self_care.targets import CheckIn, Outcome

# Built once (see app/prebuilt.py): most habits have no pending suggestion, so the page asks for
# an id and loads the ORM object only when there is one.
_PENDING = core_select(col(HabitSuggestion.id)).where(
    col(HabitSuggestion.habit_id) == bindparam("habit_id"),
    col(HabitSuggestion.state) == "pending",
)


def pending(session: Session, habit: Habit) -> HabitSuggestion | None:
    """The same row an ORM `select(...).first()` gives (same WHERE, same first row)."""
    found = prebuilt.scalar(session, _PENDING, habit_id=habit.id)
    return None if found is None else session.get(HabitSuggestion, found)


def supersede_pending(*, session: Session, habit: Habit) -> None:
    """After any level change the old evidence no longer applies."""
    for row in session.exec(
        select(HabitSuggestion).where(
            HabitSuggestion.habit_id == habit.id, HabitSuggestion.state == "pending"
        )
    ):
        row.state = "superseded"
        session.add(row)


def _declined(session: Session, habit: Habit) -> dict[grading.Direction, date]:
    out: dict[grading.Direction, date] = {}
    rows = session.exec(
        select(col(HabitSuggestion.direction), col(HabitSuggestion.decided_on))
        .where(
            HabitSuggestion.habit_id == habit.id,
            col(HabitSuggestion.state).in_(("declined", "overridden")),
            HabitSuggestion.from_level == habit.level,
        )
        .order_by(col(HabitSuggestion.decided_at))
    )
    for direction, decided_on in rows:
        if decided_on is not None:
            out[grading.Direction(direction)] = decided_on
    return out


def refresh(*, session: Session, habit: Habit, today: date) -> HabitSuggestion | None:
    """Add a suggestion when the evidence supports one and none is waiting. No commit: the caller's
    write commits it together with the check-in that triggered it.

    Only complete weeks at the current level are judged, so only their check-ins are loaded: the
    cost stays bounded however long the history or however busy today is."""
    waiting = pending(session, habit)
    if waiting is not None:
        return waiting
    if habit.lowest_level == habit.highest_level:
        return None
    monday = week_start(today)
    since = max(habit.level_started_on, monday - timedelta(weeks=grading.MAX_WEEKS_BACK))
    if since >= monday:
        return None  # not one complete week at this level yet
    level = session.exec(
        select(HabitLevel).where(HabitLevel.habit_id == habit.id, HabitLevel.number == habit.level)
    ).one()
    rows = session.exec(
        select(
            col(HabitCheckIn.done_on),
            col(HabitCheckIn.outcome),
            col(HabitCheckIn.confidence),
            col(HabitCheckIn.amount),
        ).where(
            HabitCheckIn.habit_id == habit.id,
            HabitCheckIn.done_on >= since,
            HabitCheckIn.done_on < monday,
        )
    ).all()
    pauses = session.exec(
        select(HabitPause).where(
            HabitPause.client_id == habit.client_id,
            or_(col(HabitPause.habit_id).is_(None), HabitPause.habit_id == habit.id),
            HabitPause.starts_on < monday,
            or_(col(HabitPause.ends_on).is_(None), col(HabitPause.ends_on) >= since),
        )
    ).all()
    found = grading.suggest(
        target=history.to_target(level),
        check_ins=[CheckIn(on, Outcome(o), c, a) for on, o, c, a in rows],
        bounds=grading.LevelBounds(habit.level, habit.lowest_level, habit.highest_level),
        level_since=habit.level_started_on,
        today=today,
        paused=history.paused_days(pauses, since, monday - timedelta(days=1)),
        settings=grading.GradingSettings.model_validate(habit.grading or {}),
        declined=_declined(session, habit),
    )
    if found is None:
        return None
    row = HabitSuggestion(
        habit_id=habit.id,
        direction=found.direction.value,
        from_level=found.from_level,
        to_level=found.to_level,
        message=found.message,
        created_on=today,
    )
    session.add(row)
    return row


def next_week_starts_at(now: datetime, tz: str) -> datetime:
    """The next local Monday at 00:05, in UTC: when the weeks to judge next change."""
    zone = clock.zone(tz)
    monday = week_start(now.astimezone(zone).date()) + timedelta(weeks=1)
    return datetime.combine(monday, time(0, 5), tzinfo=zone).astimezone(UTC)


def after_check_in(*, session: Session, habit: Habit, day: date, today: date, tz: str) -> None:
    """Re-judge only when the evidence can have changed: the first check-in of a new week (the
    last week is now complete) or a back-fill into a complete week. Other check-ins land in the
    running week, which is never judged, so they cost nothing here."""
    now = clock.now()
    due = habit.next_grade_at is None or habit.next_grade_at <= now
    if not due and day >= week_start(today):
        return
    refresh(session=session, habit=habit, today=today)
    habit.next_grade_at = next_week_starts_at(now, tz)
    session.add(habit)
