"""The background build: claim one queued download, build it outside any request, record progress.

The row is the queue (app/my_data/models.py). A claim is a lease, renewed at each progress step:
a process that dies mid-build leaves the row claimable again once the lease passes, so a restart
resumes the work instead of losing it. Claiming follows the reminders' outbox (app/reminders/claim.py):
PostgreSQL `FOR UPDATE SKIP LOCKED`, SQLite `BEGIN IMMEDIATE` + `UPDATE … RETURNING`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, Select, Table, and_, or_, select, update
from sqlmodel import Session

from app.accounts.models import User
from app.db import open_session
from app.i18n import N_
from app.my_data import build
from app.my_data.models import DataExport, ExportStatus

log = logging.getLogger("groundwork.my_data")

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
LINK_LIFETIME = timedelta(days=7)
_T: Table = DataExport.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it


def _waiting(now: datetime) -> Select[uuid.UUID]:
    return (
        select(_T.c.id)
        .where(
            or_(
                _T.c.status == ExportStatus.queued,
                and_(_T.c.status == ExportStatus.building, _T.c.lease_until < now),
            )
        )
        .order_by(_T.c.created_at)
        .limit(1)
    )


def claim_next(session: Session, *, now: datetime, worker: str) -> uuid.UUID | None:
    """Take the oldest queued (or abandoned) download and commit the claim."""
    waiting = _waiting(now)
    if session.get_bind().dialect.name == "postgresql":
        waiting = waiting.with_for_update(skip_locked=True)
    claimed = session.exec(
        update(_T)
        .where(_T.c.id.in_(waiting.scalar_subquery()))
        .values(
            status=ExportStatus.building,
            claimed_by=worker[:64],
            lease_until=now + LEASE,
            attempts=_T.c.attempts + 1,
        )
        .returning(_T.c.id)
        .execution_options(synchronize_session=False)
    ).first()
    session.commit()
    return claimed[0] if claimed else None


def _write(engine: Engine | None, export_id: uuid.UUID, worker: str, **values: object) -> None:
    """One short write transaction, only while this worker still holds the claim."""
    with open_session(write=True, engine=engine) as session:
        session.exec(
            update(_T)
            .where(_T.c.id == export_id, _T.c.claimed_by == worker[:64])
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.commit()


def run_once(
    *, now: Callable[[], datetime], worker: str, engine: Engine | None = None
) -> uuid.UUID | None:
    """Claim and build one download; returns its id, or None when nothing waits."""
    # A read first: the ticker runs every few seconds in every process, and on SQLite even an
    # UPDATE that matches nothing would take the database's write lock.
    with open_session(engine=engine) as session:
        if session.connection().execute(_waiting(now())).first() is None:
            return None
    with open_session(write=True, engine=engine) as session:
        export_id = claim_next(session, now=now(), worker=worker)
    if export_id is None:
        return None

    def report(percent: int, step: str) -> None:
        _write(
            engine, export_id, worker, percent=percent, step=step[:120], lease_until=now() + LEASE
        )

    try:
        with open_session(engine=engine) as session:
            export = session.get(DataExport, export_id)
            if export is None:
                raise LookupError(export_id)
            client = session.get(User, export.client_id)
            requested_by = session.get(User, export.requested_by_id)
            if client is None or requested_by is None:
                raise LookupError(export_id)
            zipped = build.build(
                session, client, now=now(), report=report, requested_by=requested_by
            )
            attempts = export.attempts
            session.rollback()
    except Exception:
        log.exception("building download %s failed", export_id)
        with open_session(engine=engine) as session:
            row = session.get(DataExport, export_id)
            attempts = row.attempts if row else MAX_ATTEMPTS
        retry = attempts < MAX_ATTEMPTS
        _write(
            engine,
            export_id,
            worker,
            status=ExportStatus.queued if retry else ExportStatus.failed,
            step="" if retry else N_("Something went wrong"),
            lease_until=None,
        )
        return export_id
    done = now()
    _write(
        engine,
        export_id,
        worker,
        status=ExportStatus.ready,
        percent=100,
        step=N_("Ready"),
        content=zipped,
        size=len(zipped),
        finished_at=done,
        expires_at=done + LINK_LIFETIME,
        lease_until=None,
    )
    log.info("download %s ready (%d bytes, attempt %d)", export_id, len(zipped), attempts)
    return export_id


def purge_expired(*, now: datetime, engine: Engine | None = None) -> int:
    """Expired links: drop the file, keep the row (the page says the link has expired)."""
    expired = and_(_T.c.status == ExportStatus.ready, _T.c.expires_at < now)
    with open_session(engine=engine) as session:  # read first, as in run_once
        if session.connection().execute(select(_T.c.id).where(expired).limit(1)).first() is None:
            return 0
    with open_session(write=True, engine=engine) as session:
        result = session.exec(
            update(_T)
            .where(expired)
            .values(status=ExportStatus.expired, content=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return int(result.rowcount)
