"""Today section: new reminders and, when no device gets notifications, a nudge to turn them on."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.home.sections import Section
from app.reminders import inbox
from app.reminders.models import PushSubscription

UNREAD_CAP = 10


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    del day, now
    unread = inbox.unread_count(session, client.id, cap=UNREAD_CAP)
    recent = [
        e
        for e in inbox.entries(session, client.id, limit=3)
        if e.read_at is None and e.acknowledged_at is None
    ]
    has_device = (
        session.exec(
            select(PushSubscription.id)
            .where(
                col(PushSubscription.client_id) == client.id,
                col(PushSubscription.gone_at).is_(None),
            )
            .limit(1)
        ).first()
        is not None
    )
    if not unread and has_device:
        return None
    return Section(
        key="reminders",
        title="Reminders",
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
