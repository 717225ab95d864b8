"""What routines tell the caseload dashboard: this and last local week's routine adherence.

Four queries whatever the number of clients (time zones, routines, pauses, runs); a partly done
day counts as the share of its steps done, so partial days are partial, never zero.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.routines import recurrence
from app.routines.history import week_start
from app.routines.models import Routine, RoutinePause, RoutineRun
from app.signals import Adherence, ClientSignals, Flag

LABEL = "Routines"


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    if not client_ids:
        return {}
    ids = list(client_ids)
    zones = dict(session.exec(select(User.id, User.time_zone).where(col(User.id).in_(ids))).all())
    todays = {cid: recurrence.local_day(now, tz) for cid, tz in zones.items()}
    earliest = min((week_start(d) - timedelta(days=7) for d in todays.values()), default=now.date())
    routines = session.exec(
        select(
            Routine.id, Routine.client_id, Routine.rrule, Routine.starts_on, Routine.step_count
        ).where(col(Routine.client_id).in_(ids), col(Routine.archived_at).is_(None))
    ).all()
    pauses: dict[uuid.UUID, list[recurrence.Pause]] = defaultdict(list)
    for routine_id, starts_on, ends_on in session.exec(
        select(RoutinePause.routine_id, RoutinePause.starts_on, RoutinePause.ends_on)
        .join(Routine, col(Routine.id) == RoutinePause.routine_id)
        .where(col(Routine.client_id).in_(ids))
    ).all():
        pauses[routine_id].append(recurrence.Pause(starts_on, ends_on))
    runs: dict[tuple[uuid.UUID, date], tuple[int, int]] = {}
    last_activity: dict[uuid.UUID, datetime] = {}
    for routine_id, client_id, day, planned, done, updated in session.exec(
        select(
            RoutineRun.routine_id,
            RoutineRun.client_id,
            RoutineRun.local_day,
            RoutineRun.planned_count,
            RoutineRun.done_count,
            RoutineRun.updated_at,
        ).where(col(RoutineRun.client_id).in_(ids), RoutineRun.local_day >= earliest)
    ).all():
        runs[(routine_id, day)] = (planned, done)
        if done and (client_id not in last_activity or updated > last_activity[client_id]):
            last_activity[client_id] = updated
    totals: dict[uuid.UUID, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for routine_id, client_id, rule, starts_on, step_count in routines:
        today = todays.get(client_id)
        if today is None or step_count == 0:
            continue
        this_monday = week_start(today)
        for index, monday in enumerate((this_monday, this_monday - timedelta(days=7))):
            last = min(today, monday + timedelta(days=6))
            for day in recurrence.due_days(
                rule, starts_on, monday, last, pauses.get(routine_id, ())
            ):
                planned, done = runs.get((routine_id, day), (step_count, 0))
                totals[client_id][2 * index] += 1
                totals[client_id][2 * index + 1] += done / planned if planned else 0.0
    result: dict[uuid.UUID, ClientSignals] = {}
    for cid in ids:
        planned, done, planned_prev, done_prev = totals.get(cid, [0.0] * 4)
        signals = ClientSignals(last_activity_at=last_activity.get(cid))
        if planned or planned_prev:
            signals.adherence[LABEL] = Adherence(
                planned=planned,
                done=round(done, 2),
                planned_prev=planned_prev,
                done_prev=round(done_prev, 2),
            )
        if planned_prev >= 3 and done_prev == 0:
            signals.flags.append(
                Flag(
                    code="routines_quiet",
                    reason="No routine steps recorded last week.",
                    severity="info",
                )
            )
        result[cid] = signals
    return result
