"""The caseload dashboard: every active client with every domain's signals, merged and flagged.

Query count is fixed: one for the caseload with each client's time zone and data version, then
each domain's signals (each a fixed number of set-based queries for all clients at once, seam 3),
so 60 clients cost what 6 do. Signals that depend only on the client's data and local day come
from `row_cache` when the client's data version and day still match, so a request recomputes
only the clients whose data changed, and a client's row is derived again only when their signals
or days without activity changed (`row_memo`). Design and numbers: docs/progress.md.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import BindParameter, bindparam
from sqlmodel import Session, col, select

from app import prebuilt
from app.accounts.models import CareLink, User
from app.accounts.zones import shared_zones
from app.data_version import ClientDataVersion, versions
from app.domains import plugins
from app.progress import flags, row_cache, row_memo
from app.progress.row_cache import CaseClient
from app.signals import ClientSignals

log = logging.getLogger(__name__)


# Built once (app/prebuilt.py): every dashboard view runs it, and through the ORM it cost a
# 200-client dashboard more than the database's work.
_THERAPIST: BindParameter[uuid.UUID] = bindparam("therapist_id")
_CASELOAD = (
    select(
        col(User.id), col(User.preferred_name), col(User.time_zone), col(ClientDataVersion.version)
    )
    .join(CareLink, col(CareLink.client_id) == col(User.id))
    .outerjoin(ClientDataVersion, col(ClientDataVersion.client_id) == col(User.id))
    .where(col(CareLink.therapist_id) == _THERAPIST, col(CareLink.ended_at).is_(None))
    .order_by(col(User.preferred_name))
)


def caseload(session: Session, therapist_id: uuid.UUID) -> list[CaseClient]:
    """The active caseload by name, each with the time zone and data version the cache checks."""
    rows = prebuilt.rows(session, _CASELOAD, therapist_id=therapist_id)
    return [CaseClient(cid, name, tz, version) for cid, name, tz, version in rows]


def collect(
    session: Session, client_ids: list[uuid.UUID], now: datetime
) -> list[dict[uuid.UUID, ClientSignals]]:
    """Every domain's signals computed afresh (no cache): the reference `row_cache` must equal."""
    parts: list[dict[uuid.UUID, ClientSignals]] = []
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
    clients = caseload(session, therapist_id)
    signals = row_cache.signals_by_client(session, clients, now)
    return row_memo.rows(clients, signals, now=now)


def client_row(session: Session, client: User, *, now: datetime) -> flags.Row:
    """The same merged signals and flags for one client (the client's progress page)."""
    version = versions(session, [client.id]).get(client.id)
    case = CaseClient(client.id, client.preferred_name, client.time_zone, version)
    merged = flags.merge(row_cache.collect(session, [case], now))
    return flags.build_rows([(client.id, client.preferred_name)], merged, now=now)[0]
