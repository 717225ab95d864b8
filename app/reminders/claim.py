"""Atomic claim of due outbox rows, so several processes send each occurrence once.

PostgreSQL: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`` — concurrent
claimers skip each other's locked rows instead of waiting or taking them twice.
SQLite: the same ``UPDATE … RETURNING`` inside ``BEGIN IMMEDIATE`` — the database write lock
serialises claimers across processes on the machine; the second one sees the rows already taken.

A claim is a lease: if the process dies while sending, the row becomes claimable again when
``lease_until`` passes (at-least-once after a crash, exactly-once otherwise).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Table, and_, or_, select, text, update
from sqlmodel import Session

from app.reminders.models import ItemStatus, ReminderItem

LEASE = timedelta(minutes=5)


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


_T: Table = ReminderItem.__table__  # type: ignore[attr-defined]
_COLUMNS = [_T.c[name] for name in Claimed.__dataclass_fields__]


def claim_due(*, session: Session, now: datetime, worker: str, limit: int = 500) -> list[Claimed]:
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
        .values(status=ItemStatus.sending, lease_until=now + LEASE, claimed_by=worker[:64])
        .returning(*_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    rows = session.exec(stmt).all()
    session.commit()
    return [Claimed(*row) for row in rows]
