"""The caseload dashboard: every active client with every domain's signals, merged and flagged.

Query count is fixed: one for the caseload, one for the clients' time zones (shared by every
domain), then each domain's signals (each a fixed number of set-based queries for all clients at
once, seam 3), so 60 clients cost what 6 do. Design and numbers: docs/progress.md.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from app.accounts.models import CareLink, User
from app.domains import plugins
from app.progress import flags
from app.signals import ClientSignals, shared_zones

log = logging.getLogger(__name__)


def caseload_clients(session: Session, therapist_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    rows = session.exec(
        select(User.id, User.preferred_name)
        .join(CareLink, col(CareLink.client_id) == col(User.id))
        .where(CareLink.therapist_id == therapist_id, col(CareLink.ended_at).is_(None))
        .order_by(col(User.preferred_name))
    ).all()
    return [(cid, name) for cid, name in rows]


def collect(
    session: Session, client_ids: list[uuid.UUID], now: datetime
) -> list[dict[uuid.UUID, ClientSignals]]:
    parts = []
    if not client_ids:
        return parts
    with shared_zones(session, client_ids):
        for domain, module in plugins("signals"):
            provider = getattr(module, "caseload_signals", None)
            if provider is None:
                continue
            try:
                parts.append(provider(session=session, client_ids=client_ids, now=now))
            except Exception:  # one domain's bug must not hide every other flag from the therapist
                log.exception("caseload signals failed", extra={"domain": domain})
                session.rollback()
    return parts


def rows(session: Session, *, therapist_id: uuid.UUID, now: datetime) -> list[flags.Row]:
    clients = caseload_clients(session, therapist_id)
    merged = flags.merge(collect(session, [cid for cid, _ in clients], now))
    return flags.build_rows(clients, merged, now=now)


def client_row(session: Session, client: User, *, now: datetime) -> flags.Row:
    """The same merged signals and flags for one client (the client's progress page)."""
    merged = flags.merge(collect(session, [client.id], now))
    return flags.build_rows([(client.id, client.preferred_name)], merged, now=now)[0]
