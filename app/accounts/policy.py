"""THE access policy: who may read or write which client's data, and who manages which accounts.

Every access check in the app goes through this module. Rules:
- a client sees only themselves;
- a therapist sees the clients on their caseload, only while the care link is active
  (ending it ends access on the next request: nothing is cached);
- an admin manages their clinic's accounts but never reads clinical data;
- another person's object answers 404 (NotFound), so its existence is not confirmed;
- a kind of record the client keeps private (`RecordKind`) is, to their therapist, as if it did
  not exist: its routes answer 404 and its rows reach no dashboard, flag, page or export. Each
  domain asks `private_clients(kind)` / `may_see_kind` for its own rows.
Therapist access to client data is written to the audit log here, so no route can forget it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.accounts.models import CareLink, PrivateRecordKind, RecordKind, Role, User
from app.audit import service as audit
from app.config import get_settings
from app.errors import Forbidden, NotFound, SecondFactorRequired
from app.i18n import N_
from app.web_security import Principal


def has_active_care_link(
    session: Session, *, therapist_id: uuid.UUID, client_id: uuid.UUID
) -> bool:
    return (
        session.exec(
            select(CareLink.id).where(
                CareLink.therapist_id == therapist_id,
                CareLink.client_id == client_id,
                col(CareLink.ended_at).is_(None),
            )
        ).first()
        is not None
    )


def current_client_ids(
    therapist_id: uuid.UUID | ColumnElement[uuid.UUID],
) -> SelectOfScalar[uuid.UUID]:
    """The clients this therapist cares for now, as a subquery: what a therapist hears about
    (notices, digests, dashboards) is filtered by it, so an ended care link ends them all.
    Takes a value or a bind parameter (for statements built once)."""
    return select(CareLink.client_id).where(
        CareLink.therapist_id == therapist_id, col(CareLink.ended_at).is_(None)
    )


def current_therapist_ids(
    client_id: uuid.UUID | ColumnElement[uuid.UUID],
) -> SelectOfScalar[uuid.UUID]:
    """The therapists caring for this client now, as a subquery (see `current_client_ids`)."""
    return select(CareLink.therapist_id).where(
        CareLink.client_id == client_id, col(CareLink.ended_at).is_(None)
    )


def may_reach_therapist(session: Session, principal: Principal, therapist_id: uuid.UUID) -> bool:
    """Whether this client may send something new to this therapist (a homework post, a
    completion, an answer): only while the care link is active. After it ends nothing new of the
    client reaches the former therapist; what was shared before stays in the client's own view."""
    return principal.role == Role.client and has_active_care_link(
        session, therapist_id=therapist_id, client_id=principal.id
    )


def may_access_client(session: Session, principal: Principal, client_id: uuid.UUID) -> bool:
    """Read and write of clinical data follow the same rule today; kept as one question on purpose."""
    if principal.role == Role.client:
        return principal.id == client_id
    if principal.role == Role.therapist:
        return has_active_care_link(session, therapist_id=principal.id, client_id=client_id)
    return False


def authorize_client(
    session: Session, principal: Principal, client_id: uuid.UUID, *, action: str
) -> User:
    """Return the client if the principal may act on their data; otherwise NotFound.

    A therapist's access is audit-logged (who, role, which client, what, when, request, address)."""
    if principal.role == Role.therapist:
        require_second_factor(principal)
    if not may_access_client(session, principal, client_id):
        raise NotFound()
    client = session.get(User, client_id)
    if client is None or client.role != Role.client:
        raise NotFound()
    if principal.role == Role.therapist:
        audit.record_now(
            session,
            actor=principal.user,
            client_id=client_id,
            action=action,
        )
    return client


def private_kinds(session: Session, client_id: uuid.UUID) -> frozenset[RecordKind]:
    """The kinds of record this client keeps private from their therapist."""
    rows = session.exec(
        select(PrivateRecordKind.kind).where(PrivateRecordKind.client_id == client_id)
    )
    return frozenset(RecordKind(kind) for kind in rows)


def private_clients(kind: RecordKind) -> SelectOfScalar[uuid.UUID]:
    """The clients keeping this kind private, as a subquery: a therapist-facing query over the
    kind's rows excludes them (`client_id NOT IN ...`)."""
    return select(PrivateRecordKind.client_id).where(PrivateRecordKind.kind == kind)


def may_see_kind(
    session: Session, principal: Principal, client_id: uuid.UUID, kind: RecordKind
) -> bool:
    """Whether this person may see this client's records of this kind: the client always; a
    therapist only when the client shares it. Safety exceptions (PHQ-9 item 9, assigned
    questionnaires) are not kinds at all, so they are never hidden."""
    if principal.role == Role.client:
        return principal.id == client_id
    return kind not in private_kinds(session, client_id)


def authorize_client_kind(
    session: Session, principal: Principal, client_id: uuid.UUID, kind: RecordKind, *, action: str
) -> User:
    """`authorize_client` for a route that shows one kind of record: a kind the client keeps
    private answers 404 to their therapist, as another person's data does."""
    client = authorize_client(session, principal, client_id, action=action)
    if not may_see_kind(session, principal, client_id, kind):
        raise NotFound()
    return client


def set_private_kinds(session: Session, client: Principal, kinds: frozenset[RecordKind]) -> None:
    """The client's choice, replacing the last one (the caller commits)."""
    require_role(client, Role.client)
    current = private_kinds(session, client.id)
    for kind in current - kinds:
        row = session.get(PrivateRecordKind, (client.id, kind))
        if row is not None:
            session.delete(row)
    for kind in kinds - current:
        session.add(PrivateRecordKind(client_id=client.id, kind=kind))


def require_second_factor(principal: Principal) -> None:
    """Staff open many people's records; where the clinic requires it, only with two-step login."""
    if (
        principal.role in (Role.therapist, Role.admin)
        and get_settings().require_staff_totp
        and not principal.user.totp_enabled
    ):
        raise SecondFactorRequired(N_("Turn on two-step login to open clients' records."))


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise Forbidden(N_("This page is for a different kind of account."))


def may_manage_user(principal: Principal, target: User) -> bool:
    """Clinic admins manage accounts in their own clinic (not clinical data)."""
    return (
        (principal.role == Role.admin or principal.user.is_clinic_admin)
        and target.organisation_id is not None
        and target.organisation_id == principal.organisation_id
    )


def may_manage_clinic(principal: Principal) -> bool:
    return principal.organisation_id is not None and (
        principal.role == Role.admin or principal.user.is_clinic_admin
    )


def caseload_client_ids(session: Session, therapist_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.exec(current_client_ids(therapist_id)))


def therapist_ids_for(session: Session, client_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.exec(current_therapist_ids(client_id)))


def authorize_clinic_client(
    session: Session, principal: Principal, client_id: uuid.UUID, *, action: str
) -> User:
    """A clinic manager acting for the clinic on a client's account (a copy of their data asked
    for, a letter asking for erasure): only clients of their own clinic, and audited like a
    therapist's access. Reading the record itself stays with the client and their therapist."""
    require_second_factor(principal)
    client = session.get(User, client_id)
    if client is None or client.role != Role.client or not may_manage_user(principal, client):
        raise NotFound()
    audit.record_now(session, actor=principal.user, client_id=client_id, action=action)
    return client


def authorize_colleague(session: Session, principal: Principal, therapist_id: uuid.UUID) -> User:
    """A therapist of the manager's own clinic (a caseload handed over)."""
    require_second_factor(principal)
    therapist = session.get(User, therapist_id)
    if therapist is None or therapist.role != Role.therapist:
        raise NotFound()
    if not may_manage_user(principal, therapist):
        raise NotFound()
    return therapist
