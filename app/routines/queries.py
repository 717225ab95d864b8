"""Read paths that must stay fast: Today (one narrow query) and a routine's history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import BindParameter, and_, bindparam, exists, or_
from sqlalchemy import select as core_select  # typed for any number of columns (sqlmodel's: 4)
from sqlmodel import Session, col, select

from app import prebuilt
from app.routines import history, recurrence
from app.routines.models import Routine, RoutinePause, RoutineRun, RoutineStep, StepOutcome

PART_ORDER: dict[str, time] = {
    "morning": time(8, 0),
    "afternoon": time(13, 0),
    "evening": time(19, 0),
    "anytime": time(23, 59),
}


@dataclass(frozen=True, slots=True)
class TodayRow:
    id: uuid.UUID
    title: str
    icon: str
    part_of_day: str
    at_time: time | None
    step_count: int
    bad_day: bool
    planned: int
    done: int
    due: bool

    @property
    def sort_key(self) -> tuple[time, str]:
        return (self.at_time or PART_ORDER.get(self.part_of_day, time(23, 59)), self.title.lower())

    @property
    def complete(self) -> bool:
        return self.planned > 0 and self.done >= self.planned


_DAY: BindParameter[date] = bindparam("day")
_PAUSED = exists().where(
    col(RoutinePause.routine_id) == Routine.id,
    col(RoutinePause.starts_on) <= _DAY,
    or_(col(RoutinePause.ends_on).is_(None), col(RoutinePause.ends_on) >= _DAY),
)
# Built once (app/prebuilt.py): building the statement cost more than running it.
_TODAY = (
    core_select(
        col(Routine.id),
        col(Routine.title),
        col(Routine.icon),
        col(Routine.part_of_day),
        col(Routine.at_time),
        col(Routine.rrule),
        col(Routine.starts_on),
        col(Routine.step_count),
        col(Routine.bad_day_count),
        col(RoutineRun.bad_day),
        col(RoutineRun.planned_count),
        col(RoutineRun.done_count),
        _PAUSED.label("paused"),
    )
    .select_from(Routine)
    .outerjoin(
        RoutineRun,
        and_(col(RoutineRun.routine_id) == Routine.id, col(RoutineRun.local_day) == _DAY),
    )
    .where(col(Routine.client_id) == bindparam("client_id"), col(Routine.archived_at).is_(None))
)


def today_rows(session: Session, client_id: uuid.UUID, day: date) -> list[TodayRow]:
    """Routines due on the client's local day (plus any done anyway), in time order.

    Only the columns Today shows are selected, the day's run is joined, and pauses are an EXISTS,
    so this is one query whatever the number of routines or the length of the history.
    """
    rows: list[TodayRow] = []
    for r in prebuilt.rows(session, _TODAY, client_id=client_id, day=day):
        due = not r.paused and recurrence.occurs_on(r.rrule, r.starts_on, day)
        has_run = r.planned_count is not None
        if not due and not (has_run and r.done_count):
            continue
        planned = r.planned_count if has_run else r.step_count
        rows.append(
            TodayRow(
                id=r.id,
                title=r.title,
                icon=r.icon,
                part_of_day=r.part_of_day,
                at_time=r.at_time,
                step_count=r.step_count,
                bad_day=bool(r.bad_day),
                planned=planned,
                done=r.done_count or 0,
                due=due,
            )
        )
    rows.sort(key=lambda row: row.sort_key)
    return rows


@dataclass(frozen=True)
class RoutineHistory:
    cells: list[history.HeatCell]
    weeks: list[list[history.HeatCell | None]]
    stats: list[history.StepStat]
    most_skipped: history.StepStat | None
    this_week: history.WeekSummary
    last_week: history.WeekSummary


def routine_history(
    session: Session, routine: Routine, today: date, *, days: int = 84
) -> RoutineHistory:
    """The last ``days`` days (12 weeks by default) ending today: heat map, skips, weekly summaries."""
    # From the routine's first week at most: weeks before it existed would only be empty cells.
    first = history.week_start(max(today - timedelta(days=days - 1), min(routine.starts_on, today)))
    runs = session.exec(
        select(col(RoutineRun.local_day), RoutineRun.planned_count, RoutineRun.done_count).where(
            RoutineRun.routine_id == routine.id,
            RoutineRun.local_day >= first,
            RoutineRun.local_day <= today,
        )
    ).all()
    records = {d: history.DayRecord(d, p, n) for d, p, n in runs}
    pauses = [
        recurrence.Pause(p.starts_on, p.ends_on)
        for p in session.exec(select(RoutinePause).where(RoutinePause.routine_id == routine.id))
    ]
    planned = recurrence.due_days(routine.rrule, routine.starts_on, first, today, pauses)
    cells = history.heat_map(
        first=first,
        last=today,
        planned_days=planned,
        steps_planned=routine.step_count,
        records=records,
    )
    stats = step_stats(session, routine.id, since=first)
    this_monday = history.week_start(today)
    return RoutineHistory(
        cells=cells,
        weeks=history.weeks(cells),
        stats=stats,
        most_skipped=history.most_skipped(stats),
        this_week=history.weekly_summary(cells, this_monday),
        last_week=history.weekly_summary(cells, this_monday - timedelta(days=7)),
    )


def step_stats(session: Session, routine_id: uuid.UUID, *, since: date) -> list[history.StepStat]:
    """Per-step done / needed help / skipped counts since a day, in the routine's step order."""
    rows = session.exec(
        select(StepOutcome.step_id, RoutineStep.title, StepOutcome.status)
        .join(RoutineStep, col(RoutineStep.id) == StepOutcome.step_id)
        .join(RoutineRun, col(RoutineRun.id) == StepOutcome.run_id)
        .where(RoutineRun.routine_id == routine_id, RoutineRun.local_day >= since)
    ).all()
    order = session.exec(
        select(RoutineStep.id)
        .where(RoutineStep.routine_id == routine_id)
        .order_by(col(RoutineStep.removed_at).is_not(None), col(RoutineStep.position))
    ).all()
    return history.step_stats(
        (history.OutcomeRow(s, t, st) for s, t, st in rows), order=list(order)
    )
