"""The private calendar feed: a random token in the URL, only its hash stored, revocable."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.i18n import use_language
from app.routines import ical, recurrence
from app.routines.models import CalendarFeed, Routine, RoutinePause


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(session: Session, client_id: uuid.UUID) -> CalendarFeed | None:
    return session.exec(
        select(CalendarFeed).where(
            CalendarFeed.client_id == client_id, col(CalendarFeed.revoked_at).is_(None)
        )
    ).first()


def create_feed(*, session: Session, client_id: uuid.UUID) -> str:
    """A new feed token (shown once); any older link stops working at the same moment."""
    _revoke_all(session, client_id)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(client_id=client_id, token_hash=_hash(token)))
    session.commit()
    return token


def revoke_feed(*, session: Session, client_id: uuid.UUID) -> None:
    _revoke_all(session, client_id)
    session.commit()


def _revoke_all(session: Session, client_id: uuid.UUID) -> None:
    now = clock.now()
    for feed in session.exec(
        select(CalendarFeed).where(
            CalendarFeed.client_id == client_id, col(CalendarFeed.revoked_at).is_(None)
        )
    ):
        feed.revoked_at = now
        session.add(feed)


def client_for_token(session: Session, token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    client_id = session.exec(
        select(CalendarFeed.client_id).where(
            CalendarFeed.token_hash == _hash(token), col(CalendarFeed.revoked_at).is_(None)
        )
    ).first()
    if client_id is None:
        return None
    user = session.get(User, client_id)
    return user if user is not None and user.is_active and user.archived_at is None else None


def build(session: Session, client: User, *, base_url: str) -> bytes:
    routines = session.exec(
        select(Routine).where(Routine.client_id == client.id, col(Routine.archived_at).is_(None))
    ).all()
    ids = [r.id for r in routines]
    pauses: dict[uuid.UUID, list[recurrence.Pause]] = {}
    if ids:
        for p in session.exec(select(RoutinePause).where(col(RoutinePause.routine_id).in_(ids))):
            pauses.setdefault(p.routine_id, []).append(recurrence.Pause(p.starts_on, p.ends_on))
    items = [
        ical.FeedRoutine(
            id=r.id,
            title=r.title,
            icon=r.icon,
            rrule=r.rrule,
            starts_on=r.starts_on,
            part_of_day=r.part_of_day,
            at=r.at_time,
            minutes=r.total_minutes or None,
            url=f"{base_url.rstrip('/')}/routines/{r.id}/play",
            pauses=tuple(pauses.get(r.id, ())),
        )
        for r in routines
    ]
    # Read by a calendar app, not in a page: the words follow the client's own language.
    with use_language(client.language):
        return ical.build_feed(routines=items, tz=client.time_zone, now=clock.now())
