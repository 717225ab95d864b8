"""What progress reads from other domains, aggregated in SQL over the chosen date range.

Progress reads every domain and is read by none (ARCHITECTURE.md). Each reader runs a fixed number
of queries for one client whatever the number of routines, habits or days (no per-row queries), and
loads only the columns a chart needs, so a year-long range costs the same statements as a week.
Each returns plain values; the `*_chart` functions turn them into charts with text equivalents.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from app import clock
from app.progress import charts

_CLIENT = bindparam("client_id")
_START = bindparam("start")
_END = bindparam("end")
_IDS = bindparam("ids", expanding=True)


# The statements are built once, on first use (the other domains' models are imported there, not
# at import time), with bind parameters, and run through Core (`session.connection()`: plain
# columns need no ORM loading context): building a SQLAlchemy statement cost more than running
# these small, indexed reads.
class _RoutineStatements(NamedTuple):
    routines: Any
    runs: Any
    pauses: Any


@cache
def _routine_statements() -> _RoutineStatements:
    from app.routines.models import Routine, RoutinePause, RoutineRun

    return _RoutineStatements(
        routines=select(Routine.id, Routine.title, Routine.rrule, Routine.starts_on,
                        Routine.step_count)
        .where(Routine.client_id == _CLIENT, col(Routine.archived_at).is_(None))
        .order_by(col(Routine.at_time), col(Routine.title)),
        runs=select(RoutineRun.routine_id, RoutineRun.local_day, RoutineRun.planned_count,
                    RoutineRun.done_count)
        .where(RoutineRun.client_id == _CLIENT, col(RoutineRun.routine_id).in_(_IDS),
               col(RoutineRun.local_day) >= _START, col(RoutineRun.local_day) <= _END),
        pauses=select(RoutinePause.routine_id, RoutinePause.starts_on, RoutinePause.ends_on)
        .where(col(RoutinePause.routine_id).in_(_IDS)),
    )  # fmt: skip


class _HabitStatements(NamedTuple):
    habits: Any
    levels: Any
    changes: Any
    done: Any


@cache
def _habit_statements() -> _HabitStatements:
    from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitLevelChange

    return _HabitStatements(
        habits=select(Habit.id, Habit.title, Habit.level, Habit.started_on)
        .where(Habit.client_id == _CLIENT, col(Habit.archived_at).is_(None),
               col(Habit.started_on) <= _END)
        .order_by(col(Habit.created_at)),
        levels=select(HabitLevel.habit_id, HabitLevel.number, HabitLevel.target_kind,
                      HabitLevel.days)
        .where(col(HabitLevel.habit_id).in_(_IDS)),
        changes=select(HabitLevelChange.habit_id, HabitLevelChange.changed_on,
                       HabitLevelChange.to_level)
        .where(col(HabitLevelChange.habit_id).in_(_IDS), col(HabitLevelChange.changed_on) <= _END)
        .order_by(col(HabitLevelChange.changed_on), col(HabitLevelChange.changed_at)),
        done=select(HabitCheckIn.habit_id, HabitCheckIn.done_on)
        .where(HabitCheckIn.client_id == _CLIENT, col(HabitCheckIn.habit_id).in_(_IDS),
               col(HabitCheckIn.done_on) >= _START, col(HabitCheckIn.done_on) <= _END,
               HabitCheckIn.outcome == "done")
        .group_by(col(HabitCheckIn.habit_id), col(HabitCheckIn.done_on)),
    )  # fmt: skip


@cache
def _mood_statement() -> Any:
    from app.self_care.models import MoodLog

    return (
        select(MoodLog.logged_on, MoodLog.mood, MoodLog.energy)
        .where(MoodLog.client_id == _CLIENT, col(MoodLog.logged_on) >= _START,
               col(MoodLog.logged_on) <= _END)
        .order_by(col(MoodLog.logged_on))
    )  # fmt: skip


@cache
def _distress_statement() -> Any:
    from app.coping.models import DistressEpisode

    uses = func.count()
    return (
        select(DistressEpisode.strategy_key, func.max(DistressEpisode.strategy_title), uses,
               func.avg(DistressEpisode.before), func.avg(DistressEpisode.after))
        .where(DistressEpisode.client_id == _CLIENT,
               col(DistressEpisode.started_at) >= bindparam("since"),
               col(DistressEpisode.started_at) < bindparam("until"))
        .group_by(col(DistressEpisode.strategy_key))
        .order_by(uses.desc(), func.max(DistressEpisode.strategy_title))
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RoutineDays:
    id: uuid.UUID
    title: str
    schedule: str
    cells: dict[date, tuple[int, int]]  # day -> (steps planned, steps done)


def routine_days(
    session: Session, client_id: uuid.UUID, start: date, end: date
) -> list[RoutineDays]:
    """Each active routine's planned and done steps per day: three queries for all routines.

    Same rule as the routines domain's own heat map (`history.heat_map`): a recorded run's planned
    count wins; otherwise a planned, unpaused day expects the routine's current step count."""
    from app.routines import recurrence

    q = _routine_statements()
    params = {"client_id": client_id, "start": start, "end": end}
    routines = session.connection().execute(q.routines, params).all()
    if not routines:
        return []
    ids = [r[0] for r in routines]
    runs: dict[uuid.UUID, dict[date, tuple[int, int]]] = defaultdict(dict)
    for rid, day, planned, done in session.connection().execute(q.runs, {**params, "ids": ids}):
        runs[rid][day] = (planned, min(done, planned))
    pauses: dict[uuid.UUID, list[recurrence.Pause]] = defaultdict(list)
    for rid, p_start, p_end in session.connection().execute(q.pauses, {"ids": ids}):
        pauses[rid].append(recurrence.Pause(p_start, p_end))
    out = []
    for rid, title, rule, starts_on, step_count in routines:
        cells: dict[date, tuple[int, int]] = {}
        for day in recurrence.due_days(rule, starts_on, start, end, pauses.get(rid, [])):
            cells[day] = (step_count, 0)
        cells.update({d: v for d, v in runs.get(rid, {}).items() if v[0] or d in cells})
        out.append(RoutineDays(rid, title, rule, cells))
    return out


def routine_chart(rows: list[RoutineDays], days: list[date]) -> charts.Chart:
    return charts.heat_map(
        key="routines-heat", title="Routines by day (steps done of steps planned)", days=days,
        rows=[charts.HeatRow(r.title, r.cells) for r in rows], unit="planned steps",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HabitDays:
    id: uuid.UUID
    title: str
    cells: dict[date, tuple[int, int]]  # day -> (planned, done): 1 each for a planned day done
    levels: list[tuple[date, int]] = field(default_factory=list)  # level in force, by day


def habit_days(session: Session, client_id: uuid.UUID, start: date, end: date) -> list[HabitDays]:
    """Each active habit's planned days and days done, and its level over the range (4 queries).

    A day is planned when its weekday is among the days of the level in force that day (a "times
    a week" level plans no particular day); it counts as done when a check-in that day says done.
    A check-in on an unplanned day still shows as done (planned 0)."""
    q = _habit_statements()
    params = {"client_id": client_id, "start": start, "end": end}
    habits = session.connection().execute(q.habits, params).all()
    if not habits:
        return []
    ids = [h[0] for h in habits]
    plan: dict[tuple[uuid.UUID, int], frozenset[int]] = {}
    for hid, number, kind, days in session.connection().execute(q.levels, {"ids": ids}):
        plan[(hid, number)] = frozenset() if kind == "weekly" else frozenset(int(d) for d in days)
    changes: dict[uuid.UUID, list[tuple[date, int]]] = defaultdict(list)
    for hid, on, level in session.connection().execute(q.changes, {**params, "ids": ids}):
        changes[hid].append((on, level))
    done: dict[uuid.UUID, set[date]] = defaultdict(set)
    for hid, on in session.connection().execute(q.done, {**params, "ids": ids}):
        done[hid].add(on)
    out = []
    for hid, title, current, started_on in habits:
        history = changes.get(hid, [])
        change_days = [d for d, _ in history]

        def level_on(day: date, history: list[tuple[date, int]] = history,
                     change_days: list[date] = change_days, current: int = current) -> int:  # fmt: skip
            i = bisect_right(change_days, day) - 1
            return history[max(i, 0)][1] if history else current

        cells: dict[date, tuple[int, int]] = {}
        levels: list[tuple[date, int]] = []
        day = max(start, started_on)
        while day <= end:
            level = level_on(day)
            if not levels or levels[-1][1] != level:
                levels.append((day, level))
            planned = int(day.weekday() in plan.get((hid, level), frozenset()))
            is_done = int(day in done.get(hid, ()))
            if planned or is_done:
                cells[day] = (planned, is_done)
            day += timedelta(days=1)
        if levels and levels[-1][0] != end:
            levels.append((end, levels[-1][1]))
        out.append(HabitDays(hid, title, cells, levels))
    return out


def habit_heat_chart(rows: list[HabitDays], days: list[date]) -> charts.Chart:
    return charts.heat_map(
        key="habits-heat", title="Self-care habits by day (days done of days planned)", days=days,
        rows=[charts.HeatRow(r.title, r.cells) for r in rows], unit="planned days",
    )  # fmt: skip


def habit_level_chart(rows: list[HabitDays]) -> charts.Chart:
    top = max((lv for r in rows for _, lv in r.levels), default=5)
    return charts.line_chart(
        key="habit-levels", title="Habit levels over time", y_min=1, y_max=max(top, 2),
        series=[charts.Series(r.title, r.levels) for r in rows if r.levels],
        empty="No habits in this period.", step=True, noun="point",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class MoodDay:
    on: date
    mood: int
    energy: int | None


def mood_days(session: Session, client_id: uuid.UUID, start: date, end: date) -> list[MoodDay]:
    """The client's mood log (1–5) and energy (1–5) per local day, one query."""
    rows = (
        session.connection()
        .execute(_mood_statement(), {"client_id": client_id, "start": start, "end": end})
        .all()
    )
    return [MoodDay(on, mood, energy) for on, mood, energy in rows]


def mood_chart(rows: list[MoodDay]) -> charts.Chart:
    return charts.line_chart(
        key="mood-energy", title="Mood and energy (1 to 5)", y_min=1, y_max=5,
        series=[charts.Series("Mood", [(r.on, float(r.mood)) for r in rows]),
                charts.Series("Energy", [(r.on, float(r.energy)) for r in rows
                                         if r.energy is not None])],
        empty="No mood logged in this period.",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class StrategyDistress:
    title: str
    uses: int
    mean_before: float
    mean_after: float


def distress_by_strategy(
    session: Session, client_id: uuid.UUID, start: date, end: date, tz: str
) -> list[StrategyDistress]:
    """Mean distress before and after per strategy over the range's local days: one GROUP BY."""
    zone = clock.zone(tz)
    since = datetime.combine(start, time(0), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    rows = (
        session.connection()
        .execute(_distress_statement(), {"client_id": client_id, "since": since, "until": until})
        .all()
    )
    return [StrategyDistress(t, int(n), float(b), float(a)) for _k, t, n, b, a in rows]


def distress_chart(rows: list[StrategyDistress]) -> charts.Chart:
    return charts.paired_bars(
        key="distress", title="Distress before and after, per strategy (0 to 10)",
        items=[(r.title, r.mean_before, r.mean_after, r.uses) for r in rows],
    )  # fmt: skip
