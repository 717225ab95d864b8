"""The Routines part of the therapist's client page: this week at a glance, linking to the details.

Five queries for all of a client's routines (not four per routine): the same week summary and
most-skipped step as `queries.routine_history(..., days=7)` computes one routine at a time.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, not_, or_
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.home.sections import OverviewSection, Section
from app.routines import history, recurrence, service
from app.routines.models import Routine, RoutinePause, RoutineRun, RoutineStep, StepOutcome

DAYS = 7


def _first_day(routine: Routine, today: date) -> date:
    """As `queries.routine_history`: from the routine's first week at most."""
    return history.week_start(max(today - timedelta(days=DAYS - 1), min(routine.starts_on, today)))


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    today = recurrence.local_day(now, client.time_zone)
    routines = service.list_routines(session, client.id)
    items = []
    if routines:
        ids = [r.id for r in routines]
        firsts = {r.id: _first_day(r, today) for r in routines}
        since = min(firsts.values())
        runs: dict[uuid.UUID, dict[date, history.DayRecord]] = defaultdict(dict)
        for rid, day, planned, done in session.exec(
            select(RoutineRun.routine_id, RoutineRun.local_day, RoutineRun.planned_count,
                   RoutineRun.done_count)
            .where(RoutineRun.client_id == client.id, col(RoutineRun.routine_id).in_(ids),
                   col(RoutineRun.local_day) >= since, col(RoutineRun.local_day) <= today)
        ):  # fmt: skip
            if day >= firsts[rid]:
                runs[rid][day] = history.DayRecord(day, planned, done)
        pauses: dict[uuid.UUID, list[recurrence.Pause]] = defaultdict(list)
        for rid, starts_on, ends_on in session.exec(
            select(RoutinePause.routine_id, RoutinePause.starts_on, RoutinePause.ends_on).where(
                col(RoutinePause.routine_id).in_(ids)
            )
        ):
            pauses[rid].append(recurrence.Pause(starts_on, ends_on))
        # Counted in SQL: one row per (routine, step, status), each routine from its own first
        # day. The range on (client_id, local_day) keeps SQLite on its index; a routine that
        # started inside the window drops its earlier days with a plain extra condition.
        late = [and_(RoutineRun.routine_id == rid, col(RoutineRun.local_day) < first)
                for rid, first in firsts.items() if first > since]  # fmt: skip
        window = [not_(or_(*late))] if late else []
        outcomes: dict[uuid.UUID, list[history.OutcomeRow]] = defaultdict(list)
        for rid, step_id, title, status, times in session.exec(
            select(RoutineRun.routine_id, StepOutcome.step_id, RoutineStep.title,
                   StepOutcome.status, func.count())
            .join(RoutineStep, col(RoutineStep.id) == StepOutcome.step_id)
            .join(RoutineRun, col(RoutineRun.id) == StepOutcome.run_id)
            .where(RoutineRun.client_id == client.id, col(RoutineRun.local_day) >= since,
                   col(RoutineRun.local_day) <= today, *window)
            .group_by(col(RoutineRun.routine_id), col(StepOutcome.step_id), col(RoutineStep.title),
                      col(StepOutcome.status))
        ):  # fmt: skip
            outcomes[rid] += [history.OutcomeRow(step_id, title, status)] * int(times)
        order: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for rid, step_id in session.exec(
            select(RoutineStep.routine_id, RoutineStep.id)
            .where(col(RoutineStep.routine_id).in_(ids))
            .order_by(col(RoutineStep.removed_at).is_not(None), col(RoutineStep.position))
        ):  # fmt: skip
            order[rid].append(step_id)
        this_monday = history.week_start(today)
        for routine in routines:
            first = firsts[routine.id]
            planned = recurrence.due_days(
                routine.rrule, routine.starts_on, first, today, pauses.get(routine.id, [])
            )
            cells = history.heat_map(
                first=first, last=today, planned_days=planned,
                steps_planned=routine.step_count, records=runs.get(routine.id, {}),
            )  # fmt: skip
            stats = history.step_stats(
                outcomes.get(routine.id, []), order=order.get(routine.id, [])
            )
            items.append({
                "routine": routine, "week": history.weekly_summary(cells, this_monday),
                "most_skipped": history.most_skipped(stats),
            })  # fmt: skip
    return Section(
        key="routines",
        title="Routines",
        template="routines/_overview.html",
        context={"entries": items, "client": client, "base": f"/caseload/{client.id}/routines"},
        order=10,
    )
