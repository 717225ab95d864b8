"""Writing and reading the audit log. Rows are only ever inserted."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app import clock, csv_safe
from app.audit.models import AuditEvent
from app.request_context import client_address, request_id


class Actor(Protocol):
    """Who acted, as the log records them (an accounts `User` is one). A protocol, not the model:
    accounts writes the log, so the log must not import accounts."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def role(self) -> object: ...

    @property
    def organisation_id(self) -> uuid.UUID | None: ...


def event(
    *,
    actor: Actor | None,
    action: str,
    client_id: uuid.UUID | None = None,
    detail: str = "",
    organisation_id: uuid.UUID | None = None,
) -> AuditEvent:
    return AuditEvent(
        at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_role=str(actor.role) if actor else "",
        organisation_id=organisation_id or (actor.organisation_id if actor else None),
        client_id=client_id,
        action=action[:120],
        detail=detail[:500],
        request_id=request_id.get()[:64],
        ip_address=client_address.get()[:64],
    )


def add(session: Session, **kwargs: object) -> AuditEvent:
    """Add an event to the caller's transaction, so it commits (or not) with the change it records."""
    row = event(**kwargs)  # type: ignore[arg-type]  # keywords passed through to event(); its signature checks them
    session.add(row)
    return row


def record_now(session: Session, **kwargs: object) -> None:
    """Record an access in its own committed write transaction, before any data is read.

    Used for reads: a GET's transaction is read-only, and on SQLite upgrading a read transaction to a
    write can fail at once; so end it, start a write (BEGIN IMMEDIATE), insert, commit."""
    session.commit()
    if isinstance(session.bind, Engine) and session.bind.dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    session.add(event(**kwargs))  # type: ignore[arg-type]  # keywords passed through to event(); its signature checks them
    session.commit()


def search(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    client_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> Sequence[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if client_id:
        stmt = stmt.where(AuditEvent.client_id == client_id)
    if actor_id:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if since:
        stmt = stmt.where(AuditEvent.at >= since)
    return session.exec(stmt.order_by(col(AuditEvent.at).desc()).limit(limit)).all()


def by_others_about(
    session: Session, *, client_id: uuid.UUID, limit: int = 500
) -> Sequence[AuditEvent]:
    """What other people did with a client's record (staff opening it), newest first: the client's
    own download lists it. Actors are ids; the caller names them (the log imports no accounts)."""
    return session.exec(
        select(AuditEvent)
        .where(AuditEvent.client_id == client_id, col(AuditEvent.actor_id) != client_id)
        .order_by(col(AuditEvent.at).desc())
        .limit(limit)
    ).all()


CSV_COLUMNS = (
    "at",
    "actor_id",
    "actor_role",
    "client_id",
    "action",
    "detail",
    "request_id",
    "ip_address",
)


def to_csv(events: Sequence[AuditEvent]) -> str:
    """Through the app's one CSV writer: details hold text people typed (a strategy's title)."""
    return csv_safe.write(
        CSV_COLUMNS,
        (
            (
                e.at,
                e.actor_id,
                e.actor_role,
                e.client_id,
                e.action,
                e.detail,
                e.request_id,
                e.ip_address,
            )
            for e in events
        ),
    )
