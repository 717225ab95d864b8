"""Caseload signals from homework: overdue items, this week's adherence, last activity.

Four queries whatever the number of clients (time zones, recent assignments, recent completions,
last completion), reading only the columns needed: the dashboard runs this for a whole caseload.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case
from sqlmodel import Session, col, func, select

from app import clock
from app.accounts.zones import client_zones
from app.homework.models import HomeworkAssignment, HomeworkCompletion
from app.homework.schedule import Recurrence, is_overdue, occurrences, week_bounds
from app.i18n import lazy_ntext
from app.signals import Adherence, ClientSignals, Flag

COUNTED = frozenset({"requested", "accepted", "change_requested", "in_progress", "completed"})
OPEN = frozenset({"requested", "accepted", "change_requested", "in_progress"})
A = HomeworkAssignment
C = HomeworkCompletion


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    if not client_ids:
        return {}
    ids = list(client_ids)
    zones = client_zones(session, ids)
    # The day as of `now` (the moment asked about), not the process clock.
    today = {cid: now.astimezone(clock.zone(zones.get(cid, "UTC"))).date() for cid in ids}
    horizon = (now - timedelta(days=15)).date()
    columns = (A.client_id, A.title, A.state, A.frequency, A.weekdays, A.start_on, A.due_on)
    assignments = session.execute(
        # The state is checked here, not in SQL: given `state IN (…)`, SQLite walks the state
        # index over every client's homework instead of this caseload's recent rows.
        # Ordered so the overdue reason names the same (oldest) items on both databases.
        select(*(col(c) for c in columns))
        .where(col(A.client_id).in_(ids), col(A.due_on) >= horizon)
        .order_by(col(A.due_on), col(A.title))
    ).all()
    done_counts = _done_counts(session, today)
    last = dict(
        session.exec(
            select(C.client_id, func.max(C.created_at))
            .where(col(C.client_id).in_(ids))
            .group_by(col(C.client_id))
        ).all()
    )
    counts: dict[uuid.UUID, list[float]] = {cid: [0, 0, 0, 0] for cid in ids}
    overdue: dict[uuid.UUID, list[str]] = {}
    for cid, title, state, frequency, weekdays, start_on, due_on in assignments:
        if state not in COUNTED:
            continue
        day = today[cid]
        monday, _ = week_bounds(day)
        rec = Recurrence(
            frequency, start_on, due_on, tuple(int(d) for d in weekdays.split(",") if d)
        )
        counts[cid][0] += len(occurrences(rec, monday, day))
        counts[cid][2] += len(
            occurrences(rec, monday - timedelta(days=7), monday - timedelta(days=1))
        )
        if is_overdue(rec, open_=state in OPEN, today=day):
            overdue.setdefault(cid, []).append(title)
    for cid, (done_now, done_before) in done_counts.items():
        counts[cid][1], counts[cid][3] = done_now, done_before
    out: dict[uuid.UUID, ClientSignals] = {}
    for cid in ids:
        planned, done, planned_prev, done_prev = counts[cid]
        signals = ClientSignals(last_activity_at=last.get(cid))
        if planned or planned_prev or done or done_prev:
            signals.adherence["homework"] = Adherence(
                planned=planned,
                done=min(done, planned),
                planned_prev=planned_prev,
                done_prev=min(done_prev, planned_prev),
            )
        if cid in overdue:
            titles = overdue[cid]
            first_two = ", ".join(f"“{t}”" for t in titles[:2])
            reason = lazy_ntext(
                "%(num)s homework task overdue: %(titles)s",
                "%(num)s homework tasks overdue: %(titles)s",
                len(titles),
                titles=first_two,
            )
            signals.flags.append(Flag("homework_overdue", reason, "attention"))
        out[cid] = signals
    return out


def _done_counts(
    session: Session, today: dict[uuid.UUID, date]
) -> dict[uuid.UUID, tuple[int, int]]:
    """Completions this local week and last, counted in SQL: one query per distinct local date
    among the clients (time zones span 26 hours, so at most three), never one per client."""
    by_day: dict[date, list[uuid.UUID]] = {}
    for cid, day in today.items():
        by_day.setdefault(day, []).append(cid)
    out: dict[uuid.UUID, tuple[int, int]] = {}
    for day, ids in by_day.items():
        monday, _ = week_bounds(day)
        prev = monday - timedelta(days=7)
        this_week = func.sum(
            case((and_(col(C.done_on) >= monday, col(C.done_on) <= day), 1), else_=0)
        )
        last_week = func.sum(case((col(C.done_on) < monday, 1), else_=0))
        rows = session.exec(
            select(C.client_id, this_week, last_week)
            .where(col(C.client_id).in_(ids), col(C.done_on) >= prev)
            .group_by(col(C.client_id))
        ).all()
        out.update({cid: (int(a or 0), int(b or 0)) for cid, a, b in rows})
    return out
