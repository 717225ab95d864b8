"""A client's toolbox: favourites, hidden ("doesn't help me", restorable) and therapist suggestions
with a note. Writes commit once, before returning."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.coping import catalog
from app.coping.models import ToolboxEntry
from app.errors import NotFound
from app.i18n import N_


def toolbox_entries(session: Session, client_id: uuid.UUID) -> list[ToolboxEntry]:
    stmt = select(ToolboxEntry).where(ToolboxEntry.client_id == client_id)
    return list(session.exec(stmt))


def set_preference(
    *,
    session: Session,
    client: User,
    strategy_key: str,
    favourite: bool | None = None,
    hidden: bool | None = None,
) -> ToolboxEntry:
    """Favourite, hide ("doesn't help me") or restore a strategy for oneself."""
    if catalog.find(session, client, strategy_key) is None:
        raise NotFound(N_("That strategy is not available."))
    entry = _entry(session, client.id, strategy_key)
    if favourite is not None:
        entry.favourite = favourite
    if hidden is not None:
        entry.hidden = hidden
        if hidden:
            entry.favourite = False
    entry.updated_at = clock.now()
    session.commit()
    return entry


def recommend(
    *, session: Session, therapist: User, client: User, strategy_key: str, note: str, on: bool
) -> ToolboxEntry:
    """A therapist pins (or unpins) a strategy in the client's toolbox, with a note."""
    if catalog.find(session, client, strategy_key) is None:
        raise NotFound(N_("That strategy is not available."))
    entry = _entry(session, client.id, strategy_key)
    entry.recommended = on
    entry.note = note if on else ""
    entry.recommended_by_id = therapist.id if on else None
    entry.updated_at = clock.now()
    audit.add(
        session,
        actor=therapist,
        client_id=client.id,
        action="coping.recommend" if on else "coping.unrecommend",
        detail=strategy_key,
    )
    session.commit()
    return entry


def _entry(session: Session, client_id: uuid.UUID, key: str) -> ToolboxEntry:
    stmt = select(ToolboxEntry).where(
        ToolboxEntry.client_id == client_id, ToolboxEntry.strategy_key == key
    )
    entry = session.exec(stmt).first()
    if entry is None:
        entry = ToolboxEntry(client_id=client_id, strategy_key=key)
        session.add(entry)
    return entry
