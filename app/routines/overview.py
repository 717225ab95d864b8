"""The Routines part of the therapist's client page: this week at a glance, linking to the details.

Three queries for all of a client's routines (not four per routine), giving the same week summary
and most-skipped step as `queries.routine_history(..., days=7)` computes one routine at a time
(`tests/routines/test_overview.py` checks that on seeded data):

- the routines' display and schedule columns with their pauses (no ORM objects);
- this week's runs only: the summary covers Monday to today, so earlier days are never read;
- skipped steps counted in SQL, only each routine's most-skipped candidates (steps tied on the
  highest skip count), instead of one row per outcome.

No heat-map cells (and their labels) are built: the page shows only the week's totals. The
statements are built once at import (building one cost more than running it) and
run through Core (`session.connection()`, no ORM loading context for plain columns).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Select, and_, bindparam, case, func, not_, or_, select
from sqlmodel import Session, col

from app.accounts.models import User
from app.i18n import N_
from app.routines import history, recurrence
from app.routines.models import Routine, RoutinePause, RoutineRun, RoutineStep, StepOutcome
from app.sections import OverviewSection, Section

DAYS = 7

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
# The active routines with their pauses (a routine's row repeats per pause; none: NULLs).
_ROUTINES = (
    select(
        col(Routine.id),
        col(Routine.title),
        col(Routine.icon),
        col(Routine.rrule),
        col(Routine.starts_on),
        col(Routine.step_count),
        col(Routine.at_time),
        col(RoutinePause.starts_on),
        col(RoutinePause.ends_on),
    )
    .outerjoin(RoutinePause, col(RoutinePause.routine_id) == Routine.id)
    .where(col(Routine.client_id) == _CLIENT, col(Routine.archived_at).is_(None))
    .order_by(col(Routine.at_time), col(Routine.title))
)  # as service.list_routines
_RUNS = select(
    col(RoutineRun.routine_id),
    col(RoutineRun.local_day),
    col(RoutineRun.planned_count),
    col(RoutineRun.done_count),
).where(
    col(RoutineRun.client_id) == _CLIENT,
    col(RoutineRun.local_day) >= bindparam("since"),
    col(RoutineRun.local_day) <= bindparam("today"),
)
_STATUS = col(StepOutcome.status)
_SKIPPED = func.sum(case((_STATUS == "skipped", 1), else_=0))
# Counted per (routine, step) over runs and outcomes only; the 40-odd steps left get their titles
# afterwards (joining the step to every outcome cost as much again).
_COUNTS: Select[uuid.UUID, uuid.UUID, int, int, int] = (
    select(
        col(RoutineRun.routine_id).label("routine_id"),
        col(StepOutcome.step_id).label("step_id"),
        func.sum(case((_STATUS == "done", 1), else_=0)).label("done"),
        func.sum(case((_STATUS == "helped", 1), else_=0)).label("helped"),
        _SKIPPED.label("skipped"),
    )
    .join(RoutineRun, col(RoutineRun.id) == StepOutcome.run_id)
    .where(
        col(RoutineRun.client_id) == _CLIENT,
        col(RoutineRun.local_day) >= bindparam("since"),
        col(RoutineRun.local_day) <= bindparam("today"),
    )
    .group_by(col(RoutineRun.routine_id), col(StepOutcome.step_id))
    .having(_SKIPPED > 0)
)


def _skipped_statement(counts: Any) -> Any:
    """Only each routine's most-skipped candidates (every step tied on the highest skip count):
    `history.most_skipped` then breaks ties by skip rate and title, as before."""
    c = counts.subquery()
    ranked = select(
        c, func.max(c.c.skipped).over(partition_by=c.c.routine_id).label("top")
    ).subquery()
    return (
        select(
            ranked.c.routine_id,
            ranked.c.step_id,
            col(RoutineStep.title),
            ranked.c.done,
            ranked.c.helped,
            ranked.c.skipped,
        )
        .join(RoutineStep, col(RoutineStep.id) == ranked.c.step_id)
        .where(ranked.c.skipped == ranked.c.top)
        .order_by(col(RoutineStep.title))
    )


_SKIPPED_STEPS = _skipped_statement(_COUNTS)


class RoutineLine(NamedTuple):
    """What the overview shows of a routine and needs to plan its week."""

    id: uuid.UUID
    title: str
    icon: str | None
    rrule: str
    starts_on: date
    step_count: int
    at_time: time | None


def _first_day(starts_on: date, today: date) -> date:
    """As `queries.routine_history`: from the routine's first week at most."""
    return history.week_start(max(today - timedelta(days=DAYS - 1), min(starts_on, today)))


def week_summary(
    *,
    monday: date,
    today: date,
    planned_days: set[date],
    steps_planned: int,
    records: dict[date, tuple[int, int]],
) -> history.WeekSummary:
    """`history.weekly_summary(history.heat_map(...), monday)` for one week without building the
    cells: a recorded run's own planned count wins, else a planned day expects `steps_planned`."""
    days_planned = days_started = days_complete = steps_done = steps_total = 0
    for offset in range((today - monday).days + 1):
        day = monday + timedelta(days=offset)
        record = records.get(day)
        planned = day in planned_days
        total = record[0] if record else (steps_planned if planned else 0)
        if total <= 0:
            continue
        done = min(record[1], total) if record else 0
        steps_done += done
        if planned:
            days_planned += 1
            days_started += done > 0
            days_complete += done >= total
            steps_total += total
    return history.WeekSummary(
        starts_on=monday,
        ends_on=monday + timedelta(days=6),
        days_planned=days_planned,
        days_started=days_started,
        days_complete=days_complete,
        steps_done=steps_done,
        steps_planned=steps_total,
    )


def _routines(
    session: Session, client_id: uuid.UUID
) -> tuple[list[RoutineLine], dict[uuid.UUID, list[recurrence.Pause]]]:
    """`service.list_routines` (active, same order) as columns, with each routine's pauses."""
    lines: dict[uuid.UUID, RoutineLine] = {}
    pauses: dict[uuid.UUID, list[recurrence.Pause]] = defaultdict(list)
    rows = session.connection().execute(_ROUTINES, {"client_id": client_id})
    for rid, title, icon, rrule, starts_on, step_count, at_time, pause_from, pause_to in rows:
        if rid not in lines:
            lines[rid] = RoutineLine(rid, title, icon, rrule, starts_on, step_count, at_time)
        if pause_from is not None:
            pauses[rid].append(recurrence.Pause(pause_from, pause_to))
    return list(lines.values()), pauses


def _skipped_steps(
    session: Session, client_id: uuid.UUID, firsts: dict[uuid.UUID, date], today: date
) -> dict[uuid.UUID, list[history.StepStat]]:
    """Per routine, every step skipped at least once since the routine's first day, with its
    done / helped / skipped counts (counted in SQL). The range on (client_id, local_day) keeps
    the database on that index; a routine whose window starts later drops its earlier days."""
    since = min(firsts.values())
    late = [
        and_(col(RoutineRun.routine_id) == rid, col(RoutineRun.local_day) < first)
        for rid, first in firsts.items()
        if first > since
    ]
    stmt = _skipped_statement(_COUNTS.where(not_(or_(*late)))) if late else _SKIPPED_STEPS
    rows = session.connection().execute(
        stmt, {"client_id": client_id, "since": since, "today": today}
    )
    out: dict[uuid.UUID, list[history.StepStat]] = defaultdict(list)
    for rid, step_id, title, done, helped, skips in rows:
        out[rid].append(history.StepStat(step_id, title, int(done), int(helped), int(skips)))
    return out


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    today = recurrence.local_day(now, client.time_zone)
    routines, pauses = _routines(session, client.id)
    items = []
    if routines:
        monday = history.week_start(today)
        runs: dict[uuid.UUID, dict[date, tuple[int, int]]] = defaultdict(dict)
        params = {"client_id": client.id, "since": monday, "today": today}
        for rid, day, planned_steps, done in session.connection().execute(_RUNS, params):
            runs[rid][day] = (planned_steps, done)
        skips = _skipped_steps(
            session, client.id, {r.id: _first_day(r.starts_on, today) for r in routines}, today
        )
        for routine in routines:
            planned = recurrence.due_days(
                routine.rrule, routine.starts_on, monday, today, pauses.get(routine.id, [])
            )
            week = week_summary(
                monday=monday,
                today=today,
                planned_days=set(planned),
                steps_planned=routine.step_count,
                records=runs.get(routine.id, {}),
            )
            items.append(
                {
                    "routine": routine,
                    "week": week,
                    "most_skipped": history.most_skipped(skips.get(routine.id, [])),
                }
            )
    return Section(
        key="routines",
        title=N_("Routines"),
        template="routines/_overview.html",
        context={"entries": items, "client": client, "base": f"/caseload/{client.id}/routines"},
        order=10,
    )
