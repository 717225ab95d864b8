"""Loading one habit's history into the plain values the pure modules work on."""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, or_, select

from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitLevelChange, HabitPause
from app.self_care.targets import CheckIn, Outcome, Target, TargetKind, day_values

HISTORY_DAYS = 400  # strength is an average that forgets; a year is ample


def to_target(level: HabitLevel) -> Target:
    return target_of(level.target_kind, level.days, level.times_per_week, level.amount, level.unit)


def target_of(
    kind: str, days: str, times_per_week: int | None, amount: float | None, unit: str | None
) -> Target:
    """A level's Target from its columns, for readers that select columns, not ORM objects."""
    return Target(
        kind=TargetKind(kind),
        days=frozenset(int(d) for d in days),
        times_per_week=times_per_week,
        amount=amount,
        unit=unit,
    )


def paused_days(pauses: Iterable[HabitPause], start: date, end: date) -> set[date]:
    """Every day in [start, end] covered by a pause; an open pause runs to `end`."""
    days: set[date] = set()
    for p in pauses:
        day = max(p.starts_on, start)
        last = min(p.ends_on or end, end)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


@dataclass
class HabitHistory:
    habit: Habit
    levels: dict[int, HabitLevel]
    changes: list[HabitLevelChange]
    check_ins: list[CheckIn]  # plain values: a year of ORM objects would dominate the page
    paused: set[date]
    start: date
    today: date
    _targets: dict[int, Target] = field(init=False, repr=False)
    _change_days: list[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Built once: target_on runs for every day of a year-long history.
        self._targets = {number: to_target(level) for number, level in self.levels.items()}
        self._change_days = [c.changed_on for c in self.changes]

    def target_on(self, day: date) -> Target:
        """The target of the level in force that day (the level history decides)."""
        i = bisect_right(self._change_days, day) - 1
        number = self.changes[max(i, 0)].to_level if self.changes else self.habit.level
        return self._targets[number]

    @property
    def target(self) -> Target:
        return self._targets[self.habit.level]

    def pure_check_ins(self, since: date | None = None) -> list[CheckIn]:
        return [c for c in self.check_ins if since is None or c.on >= since]

    def values(self) -> dict[date, float]:
        """Each day's completion, judged by the level in force on that day; paused days dropped."""
        by_day: dict[date, list[CheckIn]] = {}
        for c in self.pure_check_ins():
            if c.on not in self.paused:
                by_day.setdefault(c.on, []).append(c)
        out: dict[date, float] = {}
        for day, items in by_day.items():
            out.update(day_values(self.target_on(day), items))
        return out


def pauses_for(session: Session, client_id: uuid.UUID, habit_id: uuid.UUID) -> list[HabitPause]:
    return list(
        session.exec(
            select(HabitPause).where(
                HabitPause.client_id == client_id,
                or_(col(HabitPause.habit_id).is_(None), HabitPause.habit_id == habit_id),
            )
        )
    )


def load(session: Session, habit: Habit, today: date, since: date | None = None) -> HabitHistory:
    """Levels, level changes and pauses in full (a few rows); check-ins from `since` (default: a
    bounded history back), so a caller holding a stored summary reads only the recent days."""
    start = max(habit.started_on, today - timedelta(days=HISTORY_DAYS))
    if since is not None:
        start = max(habit.started_on, since)
    levels = {
        lv.number: lv
        for lv in session.exec(select(HabitLevel).where(HabitLevel.habit_id == habit.id))
    }
    changes = list(
        session.exec(
            select(HabitLevelChange)
            .where(HabitLevelChange.habit_id == habit.id)
            .order_by(col(HabitLevelChange.changed_on), col(HabitLevelChange.changed_at))
        )
    )
    rows = session.exec(
        select(
            col(HabitCheckIn.done_on),
            col(HabitCheckIn.outcome),
            col(HabitCheckIn.confidence),
            col(HabitCheckIn.amount),
        ).where(HabitCheckIn.habit_id == habit.id, HabitCheckIn.done_on >= start)
    ).all()
    check_ins = [CheckIn(on, Outcome(o), c, a) for on, o, c, a in rows]
    paused = paused_days(pauses_for(session, habit.client_id, habit.id), start, today)
    return HabitHistory(habit, levels, changes, check_ins, paused, start, today)
