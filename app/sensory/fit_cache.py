"""The cached sensory fit (table `coping_sensory_fit`): written by the sensory service whenever a
profile or kit is saved, read by the calm ranked list with its other inputs in one round trip.

Sensory owns it (it is derived from sensory rows only); calm reads it through this module, so
sensory imports nothing from calm. Imports nothing from app.sensory.service (which imports this)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session

from app import clock
from app.sensory.catalog import checklist
from app.sensory.models import SensoryFitCache
from app.sensory.vocabulary import SensoryFit


def encode(ids: Iterable[str]) -> str:
    return " ".join(sorted(ids))


def decode(text: str) -> frozenset[str]:
    return frozenset(text.split())


def current_version() -> int:
    """The checklist the fit is derived from; a row from another version is recomputed."""
    return checklist().version


def store(session: Session, client_id: uuid.UUID, fit: SensoryFit) -> None:
    """Upsert the client's cached fit. No commit: the caller's transaction carries it."""
    row = session.get(SensoryFitCache, client_id)
    if row is None:
        row = SensoryFitCache(client_id=client_id)
        session.add(row)
    row.seeks = encode(fit.seeks)
    row.avoids = encode(fit.avoids)
    row.overwhelmed = encode(fit.overwhelmed)
    row.kit = encode(fit.kit)
    row.checklist_version = current_version()
    row.updated_at = clock.now()


def from_columns(seeks: str, avoids: str, overwhelmed: str, kit: str) -> SensoryFit:
    return SensoryFit(
        seeks=decode(seeks), avoids=decode(avoids), overwhelmed=decode(overwhelmed), kit=decode(kit)
    )
