"""Today section: new reminders and, when no device gets notifications, a nudge to turn them on."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BindParameter, bindparam, exists, func, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.i18n import N_
from app.reminders import inbox
from app.reminders.models import INBOX_MARK, PushSubscription, ReminderItem
from app.sections import Section, nothing_else

UNREAD_CAP = 10

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
_VISIBLE = inbox.visible(_CLIENT)
_UNREAD = (
    select(col(ReminderItem.id))
    .where(
        col(ReminderItem.read_at).is_(None),
        col(ReminderItem.acknowledged_at).is_(None),
        _VISIBLE,
    )
    .limit(UNREAD_CAP)
)
# Built once (app/prebuilt.py). One statement for the unread count, capped (Today says "10 or
# more", so a long backlog costs no more than ten rows of the partial unread index), and whether
# any device still gets notifications.
_SUMMARY = select(
    select(func.count()).select_from(_UNREAD.subquery()).scalar_subquery(),
    exists()
    .where(col(PushSubscription.client_id) == _CLIENT, col(PushSubscription.gone_at).is_(None))
    .label("has_device"),
)
# The newest three inbox entries (as `inbox.entries`), only the columns shown.
_RECENT = (
    select(
        col(ReminderItem.title),
        col(ReminderItem.url),
        col(ReminderItem.planned_at),
        col(ReminderItem.read_at),
        col(ReminderItem.acknowledged_at),
    )
    .where(_VISIBLE)
    .order_by(col(ReminderItem.planned_at).desc())
    .limit(3)
)


# Kept (app/sections.py) while the client's data and the inbox's write mark are unchanged: the
# section shows what came due, whatever the hour, in the zone the client's row holds.
today_inputs = nothing_else
today_marks = (INBOX_MARK,)


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    del day, now
    summary = prebuilt.first(session, _SUMMARY, client_id=client.id)
    assert summary is not None  # a SELECT without FROM always has its one row
    unread, has_device = int(summary[0]), bool(summary[1])
    if not unread and has_device:
        return None
    recent = [
        e
        for e in prebuilt.rows(session, _RECENT, client_id=client.id)
        if e.read_at is None and e.acknowledged_at is None
    ]
    return Section(
        key="reminders",
        title=N_("Reminders"),
        template="reminders/today.html",
        context={
            "unread": unread,
            "unread_cap": UNREAD_CAP,
            "recent": recent,
            "has_device": has_device,
            "tz": client.time_zone,
        },
        order=90,
    )
