"""Routines' part of the client's record (app/records.py): each active routine's steps planned and
done per day, by the same rule as the client's own heat map (`history.steps_by_day`: a recorded
run's planned count wins; otherwise a planned, unpaused day expects the current step count).

Three statements for all routines whatever the range or the number of routines."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import BindParameter, bindparam, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import RecordKind, User
from app.records import Activity, DayRow, Fact, HeatFigure, RecordPart
from app.routines import history, recurrence
from app.routines.models import Routine, RoutinePause, RoutineRun

_IDS: BindParameter[list[uuid.UUID]] = bindparam("ids", expanding=True)
# Built once (app/prebuilt.py); only the columns the record uses.
_ROUTINES = (
    select(
        col(Routine.id),
        col(Routine.title),
        col(Routine.rrule),
        col(Routine.starts_on),
        col(Routine.step_count),
    )
    .where(col(Routine.client_id) == bindparam("client_id"), col(Routine.archived_at).is_(None))
    .order_by(col(Routine.at_time), col(Routine.title))
)
_RUNS = select(
    col(RoutineRun.routine_id),
    col(RoutineRun.local_day),
    col(RoutineRun.planned_count),
    col(RoutineRun.done_count),
).where(
    col(RoutineRun.routine_id).in_(_IDS),
    col(RoutineRun.local_day) >= bindparam("start"),
    col(RoutineRun.local_day) <= bindparam("end"),
)
_PAUSES = select(
    col(RoutinePause.routine_id), col(RoutinePause.starts_on), col(RoutinePause.ends_on)
).where(col(RoutinePause.routine_id).in_(_IDS))


def record_part(
    *,
    session: Session,
    client: User,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> RecordPart | None:
    del hidden  # no kind of record here can be kept private
    routines = prebuilt.rows(session, _ROUTINES, client_id=client.id)
    if not routines:
        return None
    ids = [r.id for r in routines]
    runs: dict[uuid.UUID, dict[date, history.DayRecord]] = defaultdict(dict)
    for rid, day, planned, done in prebuilt.rows(session, _RUNS, ids=ids, start=start, end=end):
        runs[rid][day] = history.DayRecord(day, planned, done)
    pauses: dict[uuid.UUID, list[recurrence.Pause]] = defaultdict(list)
    for rid, p_start, p_end in prebuilt.rows(session, _PAUSES, ids=ids):
        pauses[rid].append(recurrence.Pause(p_start, p_end))
    rows, facts, activities = [], [], []
    for r in routines:
        planned = set(recurrence.due_days(r.rrule, r.starts_on, start, end, pauses[r.id]))
        counts = history.steps_by_day(
            planned_days=planned, steps_planned=r.step_count, records=runs[r.id]
        )
        # As the heat map's cells: days planned, and runs that planned some steps.
        cells = {d: v for d, v in sorted(counts.items()) if v[0] or d in planned}
        rows.append(DayRow(r.id, r.title, cells))
        facts += [
            Fact("routine_day", day, r.title, int(done), f"{int(done)} of {int(planned)} steps")
            for day, (planned, done) in sorted(cells.items())
        ]
        activities.append(Activity(r.id, "routine", r.title, r.rrule))
    heat = HeatFigure(
        key="routines-heat",
        title="Routines by day (steps done of steps planned)",
        unit="planned steps",
        rows=rows,
    )
    return RecordPart("routines", [heat], facts, activities)
