"""What routines tell the caseload dashboard: this and last local week's routine adherence.

Two queries whatever the number of clients: routines with their pauses (one outer join), and the
runs that recorded any step in the fortnight (a run with nothing done adds nothing, so it is not
read), one row per routine with its runs packed as text and its latest update (last activity). Time zones come from the dashboard's shared lookup. Each routine's recurrence is expanded
only over the 14-day window, and that expansion is cached: a weekly rule started a year ago would
otherwise be walked from its first date for every client on every request. A partly done day
counts as the share of its steps done, so partial days are partial, never zero.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import String, cast, select
from sqlmodel import Session, col, func

from app.accounts.zones import client_zones
from app.routines import recurrence
from app.routines.history import week_start
from app.routines.models import Routine, RoutinePause, RoutineRun
from app.signals import Adherence, ClientSignals, Flag

LABEL = "Routines"
_WEEKDAY_CODES: dict[str, int] = {code: i for i, code in enumerate(recurrence.WEEKDAYS)}


@lru_cache(maxsize=8192)
def _window(rule: str, starts_on: date, first: date, last: date) -> tuple[tuple[date, str], ...]:
    """The routine's local days in [first, last] (each with its ISO text, the runs' key): plain
    weekly day lists by arithmetic, anything else through the (cached) parsed rule. Same days as
    `recurrence.occurrences_between`."""
    weekly = _plain_weekly(rule)
    if weekly is not None:
        day, out = max(first, starts_on), []
        while day <= last:
            if day.weekday() in weekly:
                out.append(day)
            day += timedelta(days=1)
    else:
        out = recurrence.occurrences_between(rule, starts_on, first, last)
    return tuple((d, d.isoformat()) for d in out)


@lru_cache(maxsize=1024)
def _plain_weekly(rule: str) -> frozenset[int] | None:
    """Weekdays of a ``FREQ=WEEKLY;BYDAY=MO,TH`` rule (interval 1, nothing else), else None."""
    prefix = "FREQ=WEEKLY;BYDAY="
    if not rule.startswith(prefix):
        return None
    codes = rule[len(prefix) :].split(",")
    if not codes or any(c not in _WEEKDAY_CODES for c in codes):
        return None
    return frozenset(_WEEKDAY_CODES[c] for c in codes)


def _key(column: Any) -> Any:
    """An id column read as plain text, the same on both sides of a lookup."""
    return cast(col(column), String).label(None)


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    if not client_ids:
        return {}
    ids = list(client_ids)
    todays = {cid: recurrence.local_day(now, tz) for cid, tz in client_zones(session, ids).items()}
    earliest = min((week_start(d) - timedelta(days=7) for d in todays.values()), default=now.date())
    # Routine ids are compared as the database's text (`_key`): turning each of a thousand run
    # rows' ids into a UUID object cost more than everything else on the dashboard.
    routines: dict[str, tuple[uuid.UUID, str, date, int]] = {}
    pauses: dict[str, list[recurrence.Pause]] = defaultdict(list)
    for routine_id, client_id, rule, starts_on, step_count, p_start, p_end in session.execute(
        select(
            _key(Routine.id),
            col(Routine.client_id),
            col(Routine.rrule),
            col(Routine.starts_on),
            col(Routine.step_count),
            col(RoutinePause.starts_on),
            col(RoutinePause.ends_on),
        )
        .outerjoin(RoutinePause, col(RoutinePause.routine_id) == col(Routine.id))
        .where(col(Routine.client_id).in_(ids), col(Routine.archived_at).is_(None))
    ).all():
        routines[routine_id] = (client_id, rule, starts_on, step_count)
        if p_start is not None:
            pauses[routine_id].append(recurrence.Pause(p_start, p_end))
    # One row per routine, its runs as "day:done:planned" text: a row per run was most of the cost.
    entry = (
        cast(RoutineRun.local_day, String)
        + ":"
        + cast(RoutineRun.done_count, String)
        + ":"
        + cast(RoutineRun.planned_count, String)
    )
    runs: dict[tuple[str, str], float] = {}
    last_activity: dict[uuid.UUID, datetime] = {}
    for routine_id, client_id, latest, packed in session.execute(
        select(
            _key(RoutineRun.routine_id),
            col(RoutineRun.client_id),
            func.max(RoutineRun.updated_at),
            func.aggregate_strings(entry, ","),
        )
        .where(
            col(RoutineRun.client_id).in_(ids),
            col(RoutineRun.local_day) >= earliest,
            col(RoutineRun.done_count) > 0,
        )
        .group_by(col(RoutineRun.routine_id), col(RoutineRun.client_id))
    ).all():
        if client_id not in last_activity or latest > last_activity[client_id]:
            last_activity[client_id] = latest
        for item in packed.split(","):
            day, done, planned = item.split(":")
            runs[(routine_id, day)] = int(done) / int(planned) if int(planned) else 0.0
    totals: dict[uuid.UUID, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    weeks = {
        cid: (
            (m, min(today, m + timedelta(days=6))),
            (m - timedelta(days=7), m - timedelta(days=1)),
        )
        for cid, today in todays.items()
        for m in (week_start(today),)
    }
    for routine_id, (client_id, rule, starts_on, step_count) in routines.items():
        if client_id not in weeks or step_count == 0:
            continue
        own_pauses = pauses.get(routine_id, ())
        acc = totals[client_id]
        for index, (first, last) in enumerate(weeks[client_id]):
            for day, key in _window(rule, starts_on, first, last):
                if own_pauses and recurrence.is_paused(own_pauses, day):
                    continue
                acc[2 * index] += 1
                acc[2 * index + 1] += runs.get((routine_id, key), 0.0)
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
