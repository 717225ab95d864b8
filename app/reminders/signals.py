"""Caseload signal: reminders that keep failing to reach a client (SEAMS.md, seam 3).

Reminders that silently stop arriving are the most common complaint about apps like this one, and
the client cannot see what never arrived: their therapist's dashboard says so instead.
Two queries whatever the number of clients. Only clients with a flag are in the answer: the
dashboard's row memo compares each client's signals on every view, and a missing entry (None)
compares by identity, where a fresh empty `ClientSignals` would be compared field by field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, bindparam, func, select
from sqlmodel import Session, col

from app import prebuilt
from app.i18n import lazy_ntext
from app.id_lists import in_ids
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem
from app.signals import ClientSignals, Flag

WINDOW = timedelta(days=7)
FAILED_THRESHOLD = 3

# Built once (app/prebuilt.py): asked for the whole caseload on every dashboard view (these signals
# change with time alone, so they are not in the row cache), and building a select with a
# 200-element IN list (coercing each id) cost more than running it; the ids go in as one
# parameter (app/id_lists.py) for the same reason (issue #19).
_SINCE: BindParameter[datetime] = bindparam("since")
_FAILED = (
    select(col(ReminderItem.client_id), func.count())
    .where(
        in_ids(col(ReminderItem.client_id), "client_ids"),
        col(ReminderItem.status) == ItemStatus.failed,
        col(ReminderItem.planned_at) >= _SINCE,
    )
    .group_by(col(ReminderItem.client_id))
)
_DEVICES = (
    select(
        col(PushSubscription.client_id),
        func.count().filter(col(PushSubscription.gone_at).is_(None)),
        func.count().filter(col(PushSubscription.gone_at) >= _SINCE),
    )
    .where(in_ids(col(PushSubscription.client_id), "client_ids"))
    .group_by(col(PushSubscription.client_id))
)


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    if not client_ids:
        return {}
    ids, since = list(client_ids), now - WINDOW
    failed = {
        cid: int(n) for cid, n in prebuilt.rows(session, _FAILED, client_ids=ids, since=since)
    }
    devices = {
        cid: (int(live), int(gone))
        for cid, live, gone in prebuilt.rows(session, _DEVICES, client_ids=ids, since=since)
    }
    out: dict[uuid.UUID, ClientSignals] = {}
    for client_id in client_ids:
        flags: list[Flag] = []
        live, gone = devices.get(client_id, (0, 0))
        if gone and not live:
            flags.append(
                Flag(
                    code="reminders_device_gone",
                    reason="Phone notifications stopped reaching this client this week: "
                    "their device no longer accepts them. They can turn them on again in Reminders.",
                )
            )
        n = failed.get(client_id, 0)
        if n >= FAILED_THRESHOLD:
            flags.append(
                Flag(
                    code="reminders_failing",
                    reason=lazy_ntext(
                        "%(num)s reminder could not be delivered in the last 7 days.",
                        "%(num)s reminders could not be delivered in the last 7 days.",
                        n,
                    ),
                )
            )
        if flags:  # a client with nothing to say is left out (as a domain with no rows)
            out[client_id] = ClientSignals(flags=flags)
    return out
