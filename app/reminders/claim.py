"""Atomic claim of due outbox rows, so several processes send each occurrence once.

PostgreSQL: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`` — concurrent
claimers skip each other's locked rows instead of waiting or taking them twice.
SQLite: the same ``UPDATE … RETURNING`` inside ``BEGIN IMMEDIATE`` — the database write lock
serialises claimers across processes on the machine; the second one sees the rows already taken.

A claim is a short lease (LEASE), renewed every RENEW_EVERY while the claiming process is still
sending (``renew``). A live process therefore never loses its rows, however slow a mail relay is,
and a killed one frees them within LEASE: others wait seconds, not minutes. Only what the killed
process had in flight (sent but not yet recorded) can go out twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Table, and_, or_, select, text, update
from sqlmodel import Session

from app.reminders.models import ItemStatus, ReminderItem

LEASE = timedelta(seconds=30)
RENEW_EVERY = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: uuid.UUID
    schedule_id: uuid.UUID | None
    client_id: uuid.UUID
    kind: str
    source_id: uuid.UUID
    occurrence_key: str
    local_day: date
    title: str
    body: str
    url: str
    only_if_not_done: bool
    planned_at: datetime
    due_at: datetime
    attempts: int
    snoozed: bool
    push_result: str | None  # set when an earlier holder of this claim already pushed
    push_delivered: int | None


_T: Table = ReminderItem.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
_COLUMNS = [_T.c[name] for name in Claimed.__dataclass_fields__]


def claim_due(
    *,
    session: Session,
    now: datetime,
    worker: str,
    limit: int = 500,
    lease: timedelta = LEASE,
) -> list[Claimed]:
    """Claim up to ``limit`` due rows for ``worker`` and commit; returns what was claimed.

    The session must have been opened for writing (``BEGIN IMMEDIATE`` on SQLite).
    """
    due = (
        select(_T.c.id)
        .where(
            # Literal, not bound: the planner must see it implies the partial index's predicate.
            text("reminder_item.finished_at IS NULL"),
            _T.c.due_at <= now,
            or_(
                _T.c.status == ItemStatus.pending,
                and_(_T.c.status == ItemStatus.sending, _T.c.lease_until < now),
            ),
        )
        .order_by(_T.c.due_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    stmt = (
        update(_T)
        .where(_T.c.id.in_(due.scalar_subquery()))
        .values(status=ItemStatus.sending, lease_until=now + lease, claimed_by=worker[:64])
        .returning(*_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    rows = session.exec(stmt).all()
    session.commit()
    return [Claimed(*row) for row in rows]


def renew(
    *,
    session: Session,
    ids: list[uuid.UUID],
    now: datetime,
    worker: str,
    lease: timedelta = LEASE,
) -> set[uuid.UUID]:
    """Extend the lease on the rows ``worker`` still holds and commit; returns those ids.

    A row missing from the answer was taken over (our lease ran out, e.g. after a long pause):
    the caller must not send it any more.
    """
    held: set[uuid.UUID] = set()
    for start in range(0, len(ids), 5000):
        rows = session.exec(
            update(_T)
            .where(
                _T.c.id.in_(ids[start : start + 5000]),
                _T.c.claimed_by == worker[:64],
                _T.c.status == ItemStatus.sending,
            )
            .values(lease_until=now + lease)
            .returning(_T.c.id)
            .execution_options(synchronize_session=False)
        ).all()
        held.update(row[0] for row in rows)
    session.commit()
    return held


def release(
    *, session: Session, ids: list[uuid.UUID], worker: str, due_at: datetime, note: str
) -> None:
    """Hand rows ``worker`` still holds back as pending from ``due_at`` and commit.

    For a batch that hit an unexpected error: its rows must not stay "sending" until the lease
    runs out. The push state is kept, so the next attempt does not push again what went out.
    """
    for start in range(0, len(ids), 5000):
        session.exec(
            update(_T)
            .where(
                _T.c.id.in_(ids[start : start + 5000]),
                _T.c.claimed_by == worker[:64],
                _T.c.status == ItemStatus.sending,
            )
            .values(
                status=ItemStatus.pending,
                lease_until=None,
                claimed_by=None,
                due_at=due_at,
                attempts=_T.c.attempts + 1,
                delivery_note=note[:200],
            )
            .execution_options(synchronize_session=False)
        )
    session.commit()
