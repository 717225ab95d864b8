"""Sensory profile (kept as versions) and the home kit with its calm corner; the calm-ranking fit.

Diet items and check-offs live in `app.sensory.diet_service`. Writes commit once, before returning.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.sensory import fit_cache
from app.sensory.catalog import checklist
from app.sensory.models import SensoryKit, SensoryProfileVersion
from app.sensory.profile import ProfileAnswers, fit_from_profile
from app.sensory.vocabulary import KIT_ITEMS, SensoryFit
from app.web_security import Principal


def answers_of(row: SensoryProfileVersion | None) -> ProfileAnswers | None:
    """Stored rows back into the pure value the scoring works on (ids no longer in the checklist
    are dropped, so old versions still read cleanly after the content changes)."""
    if row is None:
        return None
    cl = checklist()
    return ProfileAnswers(
        responses={k: str(v) for k, v in row.responses.items()},
        triggers=frozenset(row.triggers) & cl.choices("triggers").keys(),
        calming=frozenset(row.calming) & cl.choices("calming").keys(),
        alerting=frozenset(row.alerting) & cl.choices("alerting").keys(),
        notes=row.notes,
    )


def latest_profile(session: Session, client_id: uuid.UUID) -> SensoryProfileVersion | None:
    return session.exec(
        select(SensoryProfileVersion)
        .where(SensoryProfileVersion.client_id == client_id)
        .order_by(col(SensoryProfileVersion.version).desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: datetime
    author: str
    author_role: str


def profile_history(
    session: Session, *, client_id: uuid.UUID, limit: int = 20
) -> list[VersionInfo]:
    """Who changed the profile and when, newest first (one query)."""
    rows = session.exec(
        select(
            SensoryProfileVersion.version,
            SensoryProfileVersion.created_at,
            User.preferred_name,
            User.role,
        )
        .join(User, col(User.id) == col(SensoryProfileVersion.created_by_id))
        .where(SensoryProfileVersion.client_id == client_id)
        .order_by(col(SensoryProfileVersion.version).desc())
        .limit(limit)
    ).all()
    return [VersionInfo(v, at, name, str(role)) for v, at, name, role in rows]


def _same(row: SensoryProfileVersion, answers: ProfileAnswers) -> bool:
    return (
        dict(row.responses) == dict(answers.responses)
        and set(row.triggers) == answers.triggers
        and set(row.calming) == answers.calming
        and set(row.alerting) == answers.alerting
        and row.notes == answers.notes
    )


def save_profile(
    session: Session, *, principal: Principal, client_id: uuid.UUID, answers: ProfileAnswers
) -> SensoryProfileVersion:
    """Store the answers as the next version; saving the same answers again adds no version."""
    latest = latest_profile(session, client_id)
    if latest is not None and _same(latest, answers):
        return latest
    cl = checklist()

    def ordered(kind: str, chosen: frozenset[str]) -> list[str]:
        return [i for i in cl.choices(kind) if i in chosen]

    row = SensoryProfileVersion(
        client_id=client_id,
        version=(latest.version + 1) if latest else 1,
        checklist_version=cl.version,
        responses=dict(answers.responses),
        triggers=ordered("triggers", answers.triggers),
        calming=ordered("calming", answers.calming),
        alerting=ordered("alerting", answers.alerting),
        notes=answers.notes,
        created_by_id=principal.id,
        created_at=clock.now(),
    )
    session.add(row)
    audit.add(
        session,
        actor=principal.user,
        client_id=client_id,
        action="sensory.profile.save",
        detail=f"version {row.version}",
    )
    _refresh_calm_fit(session, client_id)
    session.commit()
    return row


def get_kit(session: Session, client_id: uuid.UUID) -> SensoryKit | None:
    return session.get(SensoryKit, client_id)


def save_kit(
    session: Session,
    *,
    principal: Principal,
    client_id: uuid.UUID,
    items: Iterable[str],
    corner_items: Iterable[str],
    corner_location: str,
    corner_notes: str,
) -> SensoryKit:
    """Replace the kit checklist and calm corner. Calm-corner items are also kit the client owns."""
    chosen = set(items) | set(corner_items)
    unknown = chosen - KIT_ITEMS.keys()
    if unknown:
        raise ValueError("unknown kit items")
    kit = session.get(SensoryKit, client_id)
    if kit is None:
        kit = SensoryKit(client_id=client_id, updated_by_id=principal.id)
    kit.items = [k for k in KIT_ITEMS if k in chosen]
    kit.corner_items = [k for k in KIT_ITEMS if k in set(corner_items)]
    kit.corner_location = corner_location.strip()
    kit.corner_notes = corner_notes.strip()
    kit.updated_by_id = principal.id
    kit.updated_at = clock.now()
    session.add(kit)
    audit.add(session, actor=principal.user, client_id=client_id, action="sensory.kit.save")
    _refresh_calm_fit(session, client_id)
    session.commit()
    return kit


def ranking_fit(*, session: Session, client_id: uuid.UUID) -> SensoryFit:
    """Seam 6: what coping's calm ranking needs (latest profile and kit), in two small queries."""
    latest = latest_profile(session, client_id)
    kit_items = session.exec(
        select(SensoryKit.items).where(SensoryKit.client_id == client_id)
    ).first()
    return fit_from_profile(answers_of(latest), kit_items or [])


def _refresh_calm_fit(session: Session, client_id: uuid.UUID) -> None:
    """Hook for coping: its ranked list reads a cached copy of this fit, kept current here in the
    same transaction as the profile or kit change (so it can never be seen out of date)."""
    session.flush()
    fit_cache.store(session, client_id, ranking_fit(session=session, client_id=client_id))
