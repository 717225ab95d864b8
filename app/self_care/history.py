"""Loading one habit's history into the plain values the pure modules work on."""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import BindParameter, bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, or_

from app import prebuilt
from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitLevelChange, HabitPause
from app.self_care.targets import CheckIn, Outcome, Target, TargetKind, day_values

HISTORY_DAYS = 400  # strength is an average that forgets; a year is ample


class LevelColumns(Protocol):
    """What a level is read for: an ORM `HabitLevel` or the habit page's plain `Level`."""

    @property
    def number(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def target_kind(self) -> str: ...
    @property
    def days(self) -> str: ...
    @property
    def times_per_week(self) -> int | None: ...
    @property
    def amount(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...


class ChangeColumns(Protocol):
    """What `target_on` reads of a level change (an ORM row or a prebuilt statement's row)."""

    @property
    def changed_on(self) -> date: ...
    @property
    def to_level(self) -> int: ...


class PauseSpan(Protocol):
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date | None: ...


@dataclass(frozen=True)
class Level:
    """A level's columns without an ORM object: the habit page reads a few per request."""

    number: int
    description: str
    target_kind: str
    days: str
    times_per_week: int | None
    amount: float | None
    unit: str | None


def to_target(level: LevelColumns) -> Target:
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


def paused_days(pauses: Iterable[PauseSpan], start: date, end: date) -> set[date]:
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
    levels: dict[int, LevelColumns]  # plain `Level`s from `load`; ORM rows are accepted too
    changes: Sequence[ChangeColumns]  # by day, then time of the change
    check_ins: list[CheckIn]  # folded per day, outcome and amount (`CHECK_IN_FOLD`), no confidence
    paused: set[date]
    start: date
    today: date
    _targets: dict[int, Target] = field(init=False, repr=False)
    _change_days: list[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Built once: target_on runs for every day of a year-long history.
        self._targets = {number: to_target(level) for number, level in self.levels.items()}
        self._change_days = [c.changed_on for c in self.changes]

    def level_on(self, day: date) -> int:
        """The level in force that day (the level history decides)."""
        i = bisect_right(self._change_days, day) - 1
        return self.changes[max(i, 0)].to_level if self.changes else self.habit.level

    def target_on(self, day: date) -> Target:
        """The target of the level in force that day."""
        return self._targets[self.level_on(day)]

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


def _start(habit: Habit, today: date, since: date | None) -> date:
    """The first day of check-ins read: `since`, else a bounded history back; never before start."""
    if since is not None:
        return max(habit.started_on, since)
    return max(habit.started_on, today - timedelta(days=HISTORY_DAYS))


# Built once (see app/prebuilt.py): the habit page reads these on every view and building ORM
# selects cost more than running them. Every per-request value is a bound parameter, and only the
# columns used are selected.
TARGET_COLUMNS = (
    col(HabitLevel.target_kind),
    col(HabitLevel.days),
    col(HabitLevel.times_per_week),
    col(HabitLevel.amount),
    col(HabitLevel.unit),
)
"""A level's columns that make its target: `target_of`'s arguments, in order."""
_HABIT: BindParameter[uuid.UUID] = bindparam("habit_id")
_LEVELS = core_select(col(HabitLevel.number), col(HabitLevel.description), *TARGET_COLUMNS).where(
    col(HabitLevel.habit_id) == _HABIT
)
_CHANGES = (
    core_select(col(HabitLevelChange.changed_on), col(HabitLevelChange.to_level))
    .where(col(HabitLevelChange.habit_id) == _HABIT)
    .order_by(col(HabitLevelChange.changed_on), col(HabitLevelChange.changed_at))
)
CHECK_IN_FOLD = (
    col(HabitCheckIn.done_on),
    col(HabitCheckIn.outcome),
    col(HabitCheckIn.amount),
)
"""What a day's value depends on: check-ins grouped by these (with a count) give exactly the
values the single rows give (`targets.amount_total`), so reads fold in SQL and their cost does
not follow a day's taps into Python. The index `ix_habit_check_in_fold` covers the grouping."""
_CHECK_INS = (
    core_select(*CHECK_IN_FOLD, func.count())
    .where(col(HabitCheckIn.habit_id) == _HABIT, col(HabitCheckIn.done_on) >= bindparam("start"))
    .group_by(*CHECK_IN_FOLD)
)
_PAUSES = core_select(col(HabitPause.starts_on), col(HabitPause.ends_on)).where(
    col(HabitPause.client_id) == bindparam("client_id"),
    or_(col(HabitPause.habit_id).is_(None), col(HabitPause.habit_id) == _HABIT),
)


def load(session: Session, habit: Habit, today: date, since: date | None = None) -> HabitHistory:
    """Levels, level changes and pauses in full (a few rows); check-ins from `since` (default: a
    bounded history back), so a caller holding a stored summary reads only the recent days.
    Levels come back as plain `Level`s and changes as rows: all `HabitHistory` reads of them.
    """
    start = _start(habit, today, since)
    levels: dict[int, LevelColumns] = {
        r.number: Level(*r) for r in prebuilt.rows(session, _LEVELS, habit_id=habit.id)
    }
    changes = prebuilt.rows(session, _CHANGES, habit_id=habit.id)
    rows = prebuilt.rows(session, _CHECK_INS, habit_id=habit.id, start=start)
    check_ins = [CheckIn(on, Outcome(o), None, a, n) for on, o, a, n in rows]
    spans = prebuilt.rows(session, _PAUSES, client_id=habit.client_id, habit_id=habit.id)
    paused = paused_days(spans, start, today)
    return HabitHistory(habit, levels, changes, check_ins, paused, start, today)


_IDS: BindParameter[list[uuid.UUID]] = bindparam("ids", expanding=True)
_MANY_LEVELS = core_select(
    col(HabitLevel.habit_id), col(HabitLevel.number), col(HabitLevel.description), *TARGET_COLUMNS
).where(col(HabitLevel.habit_id).in_(_IDS))
_MANY_CHANGES = (
    core_select(
        col(HabitLevelChange.habit_id),
        col(HabitLevelChange.changed_on),
        col(HabitLevelChange.to_level),
    )
    .where(col(HabitLevelChange.habit_id).in_(_IDS))
    .order_by(col(HabitLevelChange.changed_on), col(HabitLevelChange.changed_at))
)
_MANY_CHECK_INS = (
    core_select(col(HabitCheckIn.habit_id), *CHECK_IN_FOLD, func.count())
    .where(
        col(HabitCheckIn.habit_id).in_(_IDS),
        col(HabitCheckIn.done_on) >= bindparam("start"),
        col(HabitCheckIn.done_on) <= bindparam("end"),
    )
    .group_by(col(HabitCheckIn.habit_id), *CHECK_IN_FOLD)
)
_CLIENT_PAUSES = core_select(
    col(HabitPause.habit_id), col(HabitPause.starts_on), col(HabitPause.ends_on)
).where(col(HabitPause.client_id) == bindparam("client_id"))


def load_many(
    session: Session, client_id: uuid.UUID, habits: Sequence[Habit], *, start: date, end: date
) -> dict[uuid.UUID, HabitHistory]:
    """`load` for several habits of one client, check-ins from `start` to `end` (which stands for
    "today"): four statements however many habits, for the therapist's record of a date range."""
    if not habits:
        return {}
    ids = [h.id for h in habits]
    levels: dict[uuid.UUID, dict[int, LevelColumns]] = {h: {} for h in ids}
    for habit_id, *columns in prebuilt.rows(session, _MANY_LEVELS, ids=ids):
        levels[habit_id][columns[0]] = Level(*columns)
    changes: dict[uuid.UUID, list[ChangeColumns]] = {h: [] for h in ids}
    for row in prebuilt.rows(session, _MANY_CHANGES, ids=ids):
        changes[row.habit_id].append(row)
    folded: dict[uuid.UUID, list[CheckIn]] = {h: [] for h in ids}
    for habit_id, on, o, a, n in prebuilt.rows(
        session, _MANY_CHECK_INS, ids=ids, start=start, end=end
    ):
        folded[habit_id].append(CheckIn(on, Outcome(o), None, a, n))
    spans = prebuilt.rows(session, _CLIENT_PAUSES, client_id=client_id)
    out = {}
    for habit in habits:
        first = max(habit.started_on, start)
        own = [p for p in spans if p.habit_id in (None, habit.id)]
        paused = paused_days(own, first, end)
        out[habit.id] = HabitHistory(
            habit, levels[habit.id], changes[habit.id], folded[habit.id], paused, first, end
        )
    return out
