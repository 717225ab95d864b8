"""A daily nudge to log mood (reminder kind "mood_log"; the source id is the client's id)."""

from __future__ import annotations

import uuid
from datetime import date, time

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.self_care import reminders_link
from app.self_care.models import MoodLog, MoodReminder

KIND = "mood_log"


def current(session: Session, client_id: uuid.UUID) -> MoodReminder | None:
    return session.get(MoodReminder, client_id)


def set_time(*, session: Session, client: User, at: time | None) -> MoodReminder | None:
    """Turn the daily reminder on at `at`, or off with None. Commits once."""
    row = session.get(MoodReminder, client.id)
    service = reminders_link.service()
    if at is None:
        if row is not None:
            session.delete(row)
        service.remove_schedule(session=session, kind=KIND, source_id=client.id)
        session.commit()
        return None
    if row is None:
        row = MoodReminder(client_id=client.id, local_time=at)
    row.local_time = at
    row.updated_at = clock.now()
    session.add(row)
    session.flush()
    service.sync_schedule(
        session=session,
        client_id=client.id,
        kind=KIND,
        source_id=client.id,
        title="Mood check-in",
        body="How are you today? It takes about 10 seconds.",
        url="/self-care/mood",
        local_times=[at],
        rrule=None,
        only_if_not_done=True,
        active=True,
    )
    session.commit()
    return row


def still_due(*, session: Session, source_id: uuid.UUID, local_day: date) -> bool:
    """Silent once today's mood is logged."""
    logged = session.exec(
        select(MoodLog.id).where(MoodLog.client_id == source_id, MoodLog.logged_on == local_day)
    ).first()
    return logged is None
