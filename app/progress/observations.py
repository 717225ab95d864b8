"""FHIR Observations for what a client logs day to day: each domain's `observations()` in its
`record.py` (self-care: the mood log and habit check-ins; calm: distress ratings), assembled.

Shared by the therapist's FHIR export and the client's own download (app/my_data), so both carry
the same Observations. Ids are derived from the source row's id (uuid5), so two exports of one
record name the same Observation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import cache

from sqlmodel import Session

from app.accounts.models import RecordKind
from app.domains import plugins
from app.records import ObservationData

ObservationSource = Callable[..., list[ObservationData]]


@cache
def _sources() -> tuple[ObservationSource, ...]:
    """Each domain's `record.observations`, found once (the set of domains is fixed)."""
    return tuple(m.observations for _d, m in plugins("record") if hasattr(m, "observations"))


def for_client(
    session: Session,
    client_id: uuid.UUID,
    *,
    start: date,
    end: date,
    time_zone: str,
    hidden: frozenset[RecordKind] = frozenset(),
) -> list[ObservationData]:
    """Every logged day and rating in [start, end] (local days), domain by domain, each oldest
    first. `hidden`: kinds the client keeps private from this reader (`policy.private_kinds`);
    each domain leaves out its own."""
    out: list[ObservationData] = []
    for source in _sources():
        out += source(
            session=session,
            client_id=client_id,
            start=start,
            end=end,
            time_zone=time_zone,
            hidden=hidden,
        )
    return out
