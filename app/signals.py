"""What each domain tells the caseload dashboard about a client (see docs/CONVENTIONS.md, signals)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select

Severity = Literal["info", "attention", "urgent"]


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str
    severity: Severity = "attention"


@dataclass(frozen=True)
class Adherence:
    """Planned and done this local week and last; partial completion counts fractionally."""

    planned: float = 0
    done: float = 0
    planned_prev: float = 0
    done_prev: float = 0

    @property
    def share(self) -> float | None:
        return self.done / self.planned if self.planned else None

    @property
    def share_prev(self) -> float | None:
        return self.done_prev / self.planned_prev if self.planned_prev else None


@dataclass(frozen=True)
class DistressSummary:
    episodes: int = 0
    episodes_prev: int = 0
    mean_before: float | None = None
    mean_before_prev: float | None = None
    max_before: int | None = None


@dataclass
class ClientSignals:
    last_activity_at: datetime | None = None
    adherence: dict[str, Adherence] = field(default_factory=dict)
    distress: DistressSummary | None = None
    flags: list[Flag] = field(default_factory=list)


_ZONES_KEY = "signals.zones"


def client_zones(session: Session, client_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each client's IANA time zone. Every domain needs it to find the client's local week; the
    dashboard reads it once (see `shared_zones`) instead of once per domain."""
    shared: dict[uuid.UUID, str] | None = session.info.get(_ZONES_KEY)
    if shared is not None and all(cid in shared for cid in client_ids):
        return {cid: shared[cid] for cid in client_ids}
    from app.accounts.models import User  # a model import at module level would be circular

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
