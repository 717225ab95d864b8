"""Each client's IANA time zone, read once for the whole caseload dashboard.

Every domain's `signals.py` needs its clients' zones to find their local week; the dashboard
(`app/progress/dashboard.py`) reads them in one query inside `shared_zones` and each domain's
`client_zones` answers from that. Accounts owns it because the zone is a column of the account.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlmodel import Session, col, select

from app.accounts.models import User

_ZONES_KEY = "accounts.zones"


def client_zones(session: Session, client_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each client's IANA time zone. Every domain needs it to find the client's local week; the
    dashboard reads it once (see `shared_zones`) instead of once per domain."""
    shared: dict[uuid.UUID, str] | None = session.info.get(_ZONES_KEY)
    if shared is not None and all(cid in shared for cid in client_ids):
        return {cid: shared[cid] for cid in client_ids}
    return dict(
        session.execute(
            select(User.id, User.time_zone).where(col(User.id).in_(list(client_ids)))
        ).all()
    )


@contextmanager
def shared_zones(
    session: Session,
    client_ids: Sequence[uuid.UUID],
    *,
    zones: Mapping[uuid.UUID, str] | None = None,
) -> Iterator[None]:
    """Within the block, `client_zones` for these clients (or any of them: the dashboard asks only
    for the clients whose cached signals are stale) answers from one query, or from `zones` when
    the caller has already read them."""
    known = dict(zones) if zones is not None else client_zones(session, client_ids)
    session.info[_ZONES_KEY] = known
    try:
        yield
    finally:
        session.info.pop(_ZONES_KEY, None)
