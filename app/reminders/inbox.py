"""The in-app inbox: every reminder that came due, with its delivery state; snooze and done."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import BindParameter, ColumnElement, or_, update
from sqlmodel import Session, col, select

from app import clock
from app.i18n import N_, gettext, ngettext
from app.reminders import planner, sources
from app.reminders.models import INBOX_STATUSES, ItemStatus, ReminderItem

SNOOZABLE = (*INBOX_STATUSES, ItemStatus.pending)

# What the client reads about each reminder. Kind words: an occurrence the app could not send
# (downtime, every channel refused) is "Not done yet" — still open for them, never "missed" or
# "failed"; the delivery note beside it says plainly what happened on our side.
STATE_LABELS: dict[str, str] = {
    ItemStatus.sent: N_("Delivered"),
    ItemStatus.missed: N_("Not done yet"),
    ItemStatus.held: N_("Quiet hours"),
    ItemStatus.failed: N_("Not done yet"),
    ItemStatus.pending: N_("Snoozed"),
}


def visible(client_id: uuid.UUID | BindParameter[uuid.UUID]) -> ColumnElement[bool]:
    """The inbox's rule: what came due (or was snoozed) for this client. Takes a bound parameter
    too, so statements built once (Today) share the rule. Statuses are OR'd equalities: an IN
    list is re-rendered into the SQL on every execution."""
    return (col(ReminderItem.client_id) == client_id) & (
        or_(*(col(ReminderItem.status) == status for status in INBOX_STATUSES))
        | ((col(ReminderItem.status) == ItemStatus.pending) & col(ReminderItem.snoozed))
    )


def entries(session: Session, client_id: uuid.UUID, *, limit: int = 50) -> list[ReminderItem]:
    """Newest first."""
    return list(
        session.exec(
            select(ReminderItem)
            .where(visible(client_id))
            .order_by(col(ReminderItem.planned_at).desc())
            .limit(limit)
        )
    )


def mark_all_read(*, session: Session, client_id: uuid.UUID) -> None:
    session.exec(
        update(ReminderItem)
        .where(visible(client_id), col(ReminderItem.read_at).is_(None))
        .values(read_at=clock.now())
    )
    session.commit()


def owned(session: Session, client_id: uuid.UUID, item_id: uuid.UUID) -> ReminderItem | None:
    item = session.get(ReminderItem, item_id)
    return item if item is not None and item.client_id == client_id else None


def snooze(*, session: Session, item: ReminderItem, choice: str) -> ReminderItem:
    """Bring the reminder back in 10 minutes or 1 hour (through the same dispatcher, so quiet
    hours and "only if not done" still apply). ValueError for an unknown choice or a state that
    cannot be snoozed. Commits."""
    now = clock.now()
    until = planner.snooze_until(choice, now)
    if item.status not in SNOOZABLE or item.acknowledged_at is not None:
        raise ValueError(N_("This reminder can no longer be snoozed."))
    if item.status == ItemStatus.pending and not item.snoozed:
        raise ValueError(N_("This reminder is not due yet."))
    item.status, item.due_at, item.snoozed = ItemStatus.pending, until, True
    item.attempts, item.finished_at, item.read_at = 0, None, now
    item.delivery_note = N_("Snoozed")
    session.add(item)
    session.commit()
    return item


def done(*, session: Session, item: ReminderItem) -> bool:
    """The client says they did it. Completes the source item when its domain supports that;
    returns whether it did (otherwise the caller opens the item so they can tick it there).
    A snoozed reminder is cancelled. Commits."""
    now = clock.now()
    completed = sources.mark_done(
        session=session, kind=item.kind, source_id=item.source_id, local_day=item.local_day
    )
    item.acknowledged_at = item.acknowledged_at or now
    item.read_at = item.read_at or now
    if item.status == ItemStatus.pending and item.snoozed:
        item.status, item.finished_at = ItemStatus.sent, now
        item.delivery_note = N_("Marked done")
    session.add(item)
    session.commit()
    return completed


def state_label(item: ReminderItem) -> str:
    """The entry's state in words, in the current language (call it while rendering)."""
    if item.acknowledged_at is not None:
        return gettext("Done")
    return gettext(STATE_LABELS.get(item.status, item.status))


# Delivery notes are kept in English (app/reminders/record.py) and said in the reader's language
# here: the fixed ones are catalog messages, the counted ones are matched.
SENT_BY_EMAIL = N_("Sent to email")
_SENT_TO_DEVICES = re.compile(r"^Sent to (\d+) devices?( and email)?$")


def note_words(note: str) -> str:
    """A delivery note in the current language (call it while rendering)."""
    counted = _SENT_TO_DEVICES.match(note)
    if counted is None:
        return gettext(note) if note else note
    n = int(counted.group(1))
    if counted.group(2):
        return ngettext("Sent to %(num)s device and email", "Sent to %(num)s devices and email", n)
    return ngettext("Sent to %(num)s device", "Sent to %(num)s devices", n)
