"""Stopping and resuming all of one client's reminders when their account closes or is restored.

Called by app/my_data (closing an account); no commit here: the caller's closure commits once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select, update

from app.reminders.models import ItemStatus, PushSubscription, ReminderItem, ReminderSchedule

CLOSED_REASON = "The account was closed"


def stop_for_client(*, session: Session, client_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """Nothing more is sent, at once: schedules off, unsent occurrences cancelled, devices gone.

    Returns the schedules that were on, so a restored account gets exactly those back."""
    active = list(
        session.exec(
            select(ReminderSchedule.id).where(
                ReminderSchedule.client_id == client_id, col(ReminderSchedule.active).is_(True)
            )
        )
    )
    session.exec(
        update(ReminderSchedule)
        .where(col(ReminderSchedule.client_id) == client_id)
        .values(active=False, planned_until_at=None, updated_at=now)
    )
    # "sending" too: a claimed row's sender re-checks nothing, but its lease ends the claim and the
    # status we set here is final, so a retry never goes out.
    session.exec(
        update(ReminderItem)
        .where(
            col(ReminderItem.client_id) == client_id,
            col(ReminderItem.status).in_([ItemStatus.pending, ItemStatus.sending]),
        )
        .values(status=ItemStatus.cancelled, finished_at=now, delivery_note=CLOSED_REASON)
    )
    session.exec(
        update(PushSubscription)
        .where(
            col(PushSubscription.client_id) == client_id, col(PushSubscription.gone_at).is_(None)
        )
        .values(gone_at=now, gone_reason=CLOSED_REASON)
    )
    session.flush()
    return active


def resume_for_client(
    *, session: Session, client_id: uuid.UUID, schedule_ids: list[uuid.UUID], now: datetime
) -> None:
    """The schedules that were on come back; the refill job plans their next occurrences.
    Devices must subscribe again (their push keys may have changed while the account was closed)."""
    if schedule_ids:
        session.exec(
            update(ReminderSchedule)
            .where(
                col(ReminderSchedule.client_id) == client_id,
                col(ReminderSchedule.id).in_(schedule_ids),
            )
            .values(active=True, planned_until_at=None, updated_at=now)
        )
    session.flush()
