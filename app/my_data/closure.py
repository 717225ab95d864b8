"""Closing an account: stop everything at once, keep it restorable for a grace period, then erase.

Closing (by the client, or by the clinic admin for a request received by post) ends every care
link, logs out every device, stops reminders and push, revokes calendar feeds and deactivates the
login, in one transaction. Until `erase_after` the account can be restored exactly as it was.
After that, `erase` deletes every exported kind of record (app/my_data/inventory.py) except the
RETAINED ones, which the clinic keeps locked (no one has access: the care links are ended and the
login is gone) until `retain_until`, set from the clinic's retention period.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, delete, update
from sqlmodel import Session, SQLModel, col, select

from app import clock
from app.accounts import service as accounts
from app.accounts import sessions
from app.accounts.models import User
from app.audit import service as audit
from app.db import open_session
from app.errors import Conflict
from app.i18n import N_
from app.my_data import inventory
from app.my_data.models import (
    AccountClosure,
    ClinicRetention,
    ClosureStatus,
    DataExport,
)
from app.reminders import account as reminders
from app.routines import feeds

GRACE = timedelta(days=14)
DEFAULT_RETENTION_YEARS = 8
ANONYMOUS_NAME = "Former client"


def retention_years(session: Session, organisation_id: uuid.UUID | None) -> int:
    row = session.get(ClinicRetention, organisation_id) if organisation_id else None
    return row.years if row else DEFAULT_RETENTION_YEARS


def set_retention(
    session: Session, *, admin: User, organisation_id: uuid.UUID, years: int
) -> ClinicRetention:
    row = session.get(ClinicRetention, organisation_id) or ClinicRetention(
        organisation_id=organisation_id
    )
    row.years, row.updated_by_id, row.updated_at = years, admin.id, clock.now()
    session.add(row)
    audit.add(session, actor=admin, action="clinic.retention", detail=f"{years} years")
    session.commit()
    return row


def current(session: Session, client_id: uuid.UUID) -> AccountClosure | None:
    """The account's closing, while it can still be restored."""
    return session.exec(
        select(AccountClosure).where(
            AccountClosure.client_id == client_id, AccountClosure.status == ClosureStatus.closing
        )
    ).first()


def latest(session: Session, client_id: uuid.UUID) -> AccountClosure | None:
    return session.exec(
        select(AccountClosure)
        .where(AccountClosure.client_id == client_id)
        .order_by(col(AccountClosure.requested_at).desc())
    ).first()


def closings(session: Session, organisation_id: uuid.UUID) -> list[AccountClosure]:
    """The clinic's accounts that are closing or erased (the newest record per client wins)."""
    rows = session.exec(
        select(AccountClosure)
        .join(User, col(User.id) == AccountClosure.client_id)
        .where(User.organisation_id == organisation_id)
        .order_by(col(AccountClosure.requested_at))
    ).all()
    return [r for r in rows if r.status != ClosureStatus.restored]


@dataclass(frozen=True)
class Closed:
    closure: AccountClosure
    therapists: list[User]


def close(
    session: Session,
    *,
    client: User,
    requested_by: User,
    source: str = "client",
    received_on: date | None = None,
) -> Closed:
    """Stop everything now; erase after the grace period. Commits once."""
    if current(session, client.id) is not None:
        raise Conflict(N_("This account is already closing."))
    now = clock.now()
    therapist_ids = accounts.end_all_care(session, client_id=client.id)
    therapists = [t for t in (session.get(User, i) for i in therapist_ids) if t is not None]
    sessions.revoke_all(session, user_id=client.id)
    schedule_ids = reminders.stop_for_client(session=session, client_id=client.id, now=now)
    client.is_active = False
    session.add(client)
    closure = AccountClosure(
        client_id=client.id,
        source=source,
        requested_by_id=requested_by.id,
        received_on=received_on,
        requested_at=now,
        erase_after=now + GRACE,
        therapist_ids=[str(i) for i in therapist_ids],
        schedule_ids=[str(i) for i in schedule_ids],
    )
    session.add(closure)
    audit.add(
        session,
        actor=requested_by,
        client_id=client.id,
        action="account.close",
        detail=source,
        organisation_id=client.organisation_id,
    )
    # Last: the routines service commits its feed revocation, and with it this whole closure.
    feeds.revoke_feed(session=session, client_id=client.id)
    return Closed(closure, therapists)


def restore(session: Session, *, closure: AccountClosure, actor: User) -> User:
    """Everything back as it was: login, therapists, reminders. Devices subscribe again."""
    client = session.get(User, closure.client_id)
    if client is None or closure.status != ClosureStatus.closing:
        raise Conflict(N_("This account can no longer be restored."))
    now = clock.now()
    client.is_active = True
    session.add(client)
    accounts.start_care(
        session, therapist_ids=[uuid.UUID(i) for i in closure.therapist_ids], client_id=client.id
    )
    reminders.resume_for_client(
        session=session,
        client_id=client.id,
        schedule_ids=[uuid.UUID(i) for i in closure.schedule_ids],
        now=now,
    )
    closure.status, closure.restored_at = ClosureStatus.restored, now
    session.add(closure)
    audit.add(
        session,
        actor=actor,
        client_id=client.id,
        action="account.restore",
        organisation_id=client.organisation_id,
    )
    session.commit()
    return client


def _erasable() -> list[inventory.Kind]:
    """Children before parents (the reverse of the foreign-key order), retained kinds left out."""
    kinds = {k.table: k for k in inventory.KINDS if k.table not in inventory.RETAINED}
    return [kinds[t.name] for t in reversed(SQLModel.metadata.sorted_tables) if t.name in kinds]


def _forget_cache_version(session: Session, client_id: uuid.UUID) -> None:
    """Last, after the deletes: deleting watched rows bumps the dashboard cache's version
    (app/data_version.py), which would otherwise leave a row keyed by the client's id."""
    versions = SQLModel.metadata.tables["client_data_version"]
    session.exec(delete(versions).where(versions.c.client_id == client_id))


def erase(session: Session, *, closure: AccountClosure) -> None:
    """Delete the client's personal data except the retained records; anonymise the account row.
    Commits once."""
    client = session.get(User, closure.client_id)
    if client is None or closure.status != ClosureStatus.closing:
        raise Conflict(N_("This account is not waiting to be erased."))
    now = clock.now()
    for kind in _erasable():
        session.exec(delete(inventory.table(kind)).where(inventory.owner_clause(kind, client.id)))
    session.exec(delete(DataExport).where(col(DataExport.client_id) == client.id))
    _forget_cache_version(session, client.id)
    session.exec(
        update(User)
        .where(col(User.id) == client.id)
        .values(
            email=None,
            password_hash=None,
            preferred_name=ANONYMOUS_NAME,
            totp_secret=None,
            totp_enabled=False,
            is_active=False,
            last_seen_at=None,
            archived_at=now,
        )
    )
    years = retention_years(session, client.organisation_id)
    today = now.date()
    closure.status, closure.erased_at = ClosureStatus.erased, now
    closure.retain_until = _add_years(today, years)
    session.add(closure)
    audit.add(
        session,
        actor=None,
        client_id=client.id,
        action="account.erase",
        detail=f"kept until {closure.retain_until.isoformat()}",
        organisation_id=client.organisation_id,
    )
    session.commit()


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# At the end of the retention period the clinical records go too. The anonymous account stub, the
# audit log (append-only: database triggers refuse deletes) and the closure record stay.
KEPT_FOR_EVER = frozenset({"user_account", "audit_event", "account_closure"})


def delete_retained(session: Session, *, closure: AccountClosure) -> None:
    """The retention period has passed: delete the records the clinic kept. Commits once."""
    if closure.status != ClosureStatus.erased or closure.retained_deleted_at is not None:
        raise Conflict(N_("These records are not waiting to be deleted."))
    names = set(inventory.RETAINED) - KEPT_FOR_EVER
    kinds = {k.table: k for k in inventory.KINDS if k.table in names}
    for t in reversed(SQLModel.metadata.sorted_tables):
        if t.name in kinds:
            kind = kinds[t.name]
            session.exec(delete(t).where(inventory.owner_clause(kind, closure.client_id)))
    _forget_cache_version(session, closure.client_id)
    closure.retained_deleted_at = clock.now()
    session.add(closure)
    client = session.get(User, closure.client_id)
    audit.add(
        session,
        actor=None,
        client_id=closure.client_id,
        action="account.retained_deleted",
        organisation_id=client.organisation_id if client else None,
    )
    session.commit()


def erase_due(*, now: datetime, engine: Engine | None = None) -> int:
    """The ticker's part: erase every account whose grace period has passed, one at a time."""
    with open_session(engine=engine) as session:
        due = list(
            session.exec(
                select(AccountClosure.id).where(
                    AccountClosure.status == ClosureStatus.closing,
                    col(AccountClosure.erase_after) <= now,
                )
            )
        )
    for closure_id in due:
        with open_session(write=True, engine=engine) as session:
            closure = session.get(AccountClosure, closure_id)
            if closure is not None and closure.status == ClosureStatus.closing:
                erase(session, closure=closure)
    return len(due)


def delete_retained_due(*, now: datetime, engine: Engine | None = None) -> int:
    """The ticker's part: delete retained records whose retention period has ended."""
    with open_session(engine=engine) as session:
        due = list(
            session.exec(
                select(AccountClosure.id).where(
                    AccountClosure.status == ClosureStatus.erased,
                    col(AccountClosure.retained_deleted_at).is_(None),
                    col(AccountClosure.retain_until) <= now.date(),
                )
            )
        )
    for closure_id in due:
        with open_session(write=True, engine=engine) as session:
            closure = session.get(AccountClosure, closure_id)
            if closure is not None and closure.retained_deleted_at is None:
                delete_retained(session, closure=closure)
    return len(due)
