"""Humane progress: habit strength, weekly targets and the calendar heat map.

Strength follows the idea behind Loop Habit Tracker's score (an exponential moving average whose
half-life grows as the habit is planned less often): every completion nudges it up, a missed day
nudges it down a little, and nothing ever resets to zero. Paused days are simply left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.i18n import N_, format_date, gettext
from app.self_care.targets import Target, TargetKind

# Loop's constant: a daily habit's score halves in weight every 13 days.
HALF_LIFE_DAYS = 13.0
TargetOn = Callable[[date], Target]


def multiplier(per_week: int) -> float:
    """How much of yesterday's score survives a day: closer to 1 (slower) for rarer habits."""
    frequency = max(per_week, 1) / 7
    return float(0.5 ** (math.sqrt(frequency) / HALF_LIFE_DAYS))


def _window(target: Target) -> tuple[float, int]:
    """Completions expected in a rolling window of days; doubled for less-than-daily habits
    so that doing a weekly habit on a different weekday is not punished."""
    per_week = target.per_week
    if per_week >= 7:
        return 1.0, 1
    return 2.0 * per_week, 14


@dataclass(frozen=True, slots=True)
class StrengthPoint:
    on: date
    score: float  # 0..1
    recent: tuple[float, ...] = ()  # the window after this day, to carry the state on

    @property
    def state(self) -> StrengthState:
        return StrengthState(self.score, self.recent)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True, slots=True)
class StrengthState:
    """Everything the score needs to carry from one day to the next: the score itself and the
    values of the last 14 active days (the rolling window of less-than-daily habits). Stored per
    habit (`habit_summary`), so a read only steps over the days since the last write."""

    score: float = 0.0
    recent: tuple[float, ...] = ()


def advance(state: StrengthState, target: Target, value: float) -> StrengthState:
    """One active (non-paused) day: the same arithmetic, in the same order, from scratch or not."""
    expected, width = _window(target)
    recent = (*state.recent, min(1.0, value))[-14:]
    completed = min(1.0, sum(recent[-width:]) / expected)
    m = multiplier(target.per_week)
    return StrengthState(state.score * m + completed * (1 - m), recent)


def strength_end(values: Mapping[date, float], today: date) -> date:
    """Today counts only once something is logged, because the day is not over yet."""
    return today if values.get(today, 0.0) > 0 else today - timedelta(days=1)


def strength_series(
    *,
    target_on: TargetOn,
    values: Mapping[date, float],
    start: date,
    today: date,
    paused: Collection[date] = frozenset(),
    state: StrengthState | None = None,
    end: date | None = None,
) -> list[StrengthPoint]:
    """One point per non-paused day from `start` (continuing from `state`, the score at the end
    of the day before `start`) to `end`, by default `strength_end(values, today)`."""
    last = strength_end(values, today) if end is None else end
    current = state or StrengthState()
    points: list[StrengthPoint] = []
    day = start
    while day <= last:
        if day not in paused:
            current = advance(current, target_on(day), values.get(day, 0.0))
            points.append(StrengthPoint(day, current.score, current.recent))
        day += timedelta(days=1)
    return points


def current_strength(points: list[StrengthPoint]) -> StrengthPoint | None:
    return points[-1] if points else None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeekResult:
    """A local Monday-to-Sunday week judged against the target in force at its end."""

    start: date
    planned: int  # completions asked for, after leaving out paused days
    done: float  # partly counts half, amounts pro rata
    active_days: int
    complete: bool  # the week is over
    met: bool | None  # None: nothing planned (all paused) or not decided yet

    @property
    def ratio(self) -> float:
        return min(1.0, self.done / self.planned) if self.planned else 0.0


def evaluate_week(
    *,
    start: date,
    target: Target,
    values: Mapping[date, float],
    today: date,
    paused: Collection[date] = frozenset(),
    active_from: date | None = None,
    active_until: date | None = None,
) -> WeekResult:
    """Paused days (and days before `active_from` or after `active_until`) shrink what the week
    asks for; `active_until` gives "so far this week" for a week still running."""
    days = [start + timedelta(days=i) for i in range(7)]
    active = [
        d
        for d in days
        if d not in paused
        and (active_from is None or d >= active_from)
        and (active_until is None or d <= active_until)
    ]
    if target.kind is TargetKind.WEEKLY:
        planned = math.ceil((target.times_per_week or 0) * len(active) / 7)
        done = sum(min(1.0, values.get(d, 0.0)) for d in active)
    else:
        planned_days = [d for d in active if target.is_planned(d)]
        planned = len(planned_days)
        done = sum(min(1.0, values.get(d, 0.0)) for d in planned_days)
    complete = days[-1] < today
    met: bool | None
    if planned == 0:
        met = None
    elif done >= planned:
        met = True
    else:
        met = False if complete else None
    return WeekResult(start, planned, min(done, float(planned)), len(active), complete, met)


class DayState(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    MISSED = "missed"
    OPEN = "open"
    NOT_PLANNED = "not_planned"
    PAUSED = "paused"
    FUTURE = "future"
    BEFORE_START = "before_start"


STATE_TEXT = {
    DayState.DONE: N_("done"),
    DayState.PARTLY: N_("partly done"),
    DayState.MISSED: N_("not done"),
    DayState.OPEN: N_("nothing logged"),
    DayState.NOT_PLANNED: N_("rest day"),
    DayState.PAUSED: N_("paused"),
    DayState.FUTURE: N_("still to come"),
    DayState.BEFORE_START: N_("before this habit started"),
}


@dataclass(frozen=True, slots=True)
class HeatDay:
    on: date
    value: float
    state: DayState

    @property
    def text(self) -> str:
        """The text equivalent a screen reader hears for the coloured cell."""
        return gettext(
            "%(day)s: %(state)s",
            day=format_date(self.on, "EEE d MMM"),
            state=gettext(STATE_TEXT[self.state]),
        )


def heat_map(
    *,
    target_on: TargetOn,
    values: Mapping[date, float],
    start: date,
    today: date,
    weeks: int = 6,
    paused: Collection[date] = frozenset(),
) -> list[list[HeatDay]]:
    """Rows of Monday-first weeks ending with this week; a missed day is shown, never scolded."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    rows: list[list[HeatDay]] = []
    for w in range(weeks):
        row = []
        for i in range(7):
            day = first + timedelta(weeks=w, days=i)
            value = min(1.0, values.get(day, 0.0))
            row.append(HeatDay(day, value, _state(day, value, target_on, start, today, paused)))
        rows.append(row)
    return rows


def _state(
    day: date, value: float, target_on: TargetOn, start: date, today: date, paused: Collection[date]
) -> DayState:
    if day < start:
        return DayState.BEFORE_START
    if day > today:
        return DayState.FUTURE
    if day in paused:
        return DayState.PAUSED
    if value >= 1.0:
        return DayState.DONE
    if value > 0:
        return DayState.PARTLY
    target = target_on(day)
    if day == today or target.kind is TargetKind.WEEKLY:
        return DayState.OPEN
    return DayState.MISSED if target.is_planned(day) else DayState.NOT_PLANNED
