"""Account behaviour: sign-up, invites, care links, profile. Each write commits once, before returning."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app import clock
from app.accounts import sessions, throttle
from app.accounts.models import CareLink, Invite, InviteKind, Organisation, Role, User
from app.accounts.policy import caseload_client_ids as policy_caseload
from app.accounts.policy import has_active_care_link
from app.accounts.security import hash_password, new_code, new_token, normalise_code, token_hash
from app.audit import service as audit
from app.config import get_settings
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_
from app.web_security import Principal


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    token: str
    code: str

    @property
    def path(self) -> str:
        return f"/invite/{self.token}"


def email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email.lower())).first() is not None


def _require_free_email(session: Session, email: str | None) -> None:
    if email and email_taken(session, email):
        raise Conflict(
            N_("An account with this email already exists. Try logging in instead."),
            field="email",
        )


def signup_therapist(
    session: Session,
    *,
    clinic_name: str,
    name: str,
    email: str,
    password_hash: str,
    country: str,
    time_zone: str,
    language: str = "en",
) -> User:
    """A therapist creates a clinic and manages it (once their email is confirmed: app.accounts.signup)."""
    _require_free_email(session, email)
    clinic = Organisation(name=clinic_name, country=country)
    session.add(clinic)
    session.flush()
    user = User(
        email=email.lower(),
        password_hash=password_hash,
        role=Role.therapist,
        organisation_id=clinic.id,
        preferred_name=name,
        country=country,
        time_zone=time_zone,
        language=language,
        is_clinic_admin=True,
        activated_at=clock.now(),
    )
    session.add(user)
    audit.add(session, actor=user, action="account.signup", organisation_id=clinic.id)
    session.commit()
    return user


def signup_client(
    session: Session,
    *,
    name: str,
    email: str,
    password_hash: str,
    country: str,
    time_zone: str,
    language: str = "en",
) -> User:
    """Self-management with no therapist; a therapist can be linked later with a code."""
    _require_free_email(session, email)
    user = User(
        email=email.lower(),
        password_hash=password_hash,
        role=Role.client,
        preferred_name=name,
        country=country,
        time_zone=time_zone,
        language=language,
        activated_at=clock.now(),
    )
    session.add(user)
    audit.add(session, actor=user, action="account.signup")
    session.commit()
    return user


def _issue(session: Session, **fields: object) -> IssuedInvite:
    token, code = new_token(), new_code()
    invite = Invite(
        token_hash=token_hash(token),
        code_hash=token_hash(code),
        expires_at=clock.now() + timedelta(days=get_settings().invite_link_days),
        **fields,  # type: ignore[arg-type]  # the invite's column values, from the typed callers below
    )
    session.add(invite)
    return IssuedInvite(invite=invite, token=token, code=code)


def _issue_client_invite(session: Session, *, therapist: Principal, client: User) -> IssuedInvite:
    return _issue(
        session,
        kind=InviteKind.client,
        organisation_id=therapist.organisation_id,
        created_by_id=therapist.id,
        therapist_id=therapist.id,
        user_id=client.id,
        email=client.email,
    )


def create_client(
    session: Session,
    *,
    therapist: Principal,
    name: str,
    email: str | None,
    time_zone: str,
    country: str,
) -> tuple[User, IssuedInvite]:
    """A therapist adds a client to their caseload and gets an invite for them."""
    _require_free_email(session, email)
    client = User(
        email=email.lower() if email else None,
        role=Role.client,
        preferred_name=name,
        organisation_id=therapist.organisation_id,
        time_zone=time_zone,
        country=country,
    )
    session.add(client)
    session.flush()
    session.add(CareLink(therapist_id=therapist.id, client_id=client.id))
    issued = _issue_client_invite(session, therapist=therapist, client=client)
    audit.add(session, actor=therapist.user, client_id=client.id, action="client.create")
    session.commit()
    return client, issued


def reissue_client_invite(session: Session, *, therapist: Principal, client: User) -> IssuedInvite:
    if client.activated_at is not None:
        raise Conflict(N_("This person has already set up their account."))
    _revoke_pending(session, user_id=client.id)
    issued = _issue_client_invite(session, therapist=therapist, client=client)
    audit.add(session, actor=therapist.user, client_id=client.id, action="invite.reissue")
    session.commit()
    return issued


def invite_therapist(session: Session, *, admin: Principal, email: str) -> IssuedInvite:
    _require_free_email(session, email)
    assert admin.organisation_id is not None
    issued = _issue(
        session,
        kind=InviteKind.therapist,
        organisation_id=admin.organisation_id,
        created_by_id=admin.id,
        email=email.lower(),
    )
    audit.add(session, actor=admin.user, action="invite.therapist", detail=email.lower())
    session.commit()
    return issued


def link_code(session: Session, *, therapist: Principal) -> IssuedInvite:
    """A code a self-managing client enters to link this therapist."""
    assert therapist.organisation_id is not None
    issued = _issue(
        session,
        kind=InviteKind.link,
        organisation_id=therapist.organisation_id,
        created_by_id=therapist.id,
        therapist_id=therapist.id,
    )
    audit.add(session, actor=therapist.user, action="invite.link_code")
    session.commit()
    return issued


def _revoke_pending(session: Session, *, user_id: uuid.UUID) -> None:
    session.execute(
        update(Invite)
        .where(
            col(Invite.user_id) == user_id,
            col(Invite.accepted_at).is_(None),
            col(Invite.revoked_at).is_(None),
        )
        .values(revoked_at=clock.now())
    )


def _usable(invite: Invite | None) -> Invite:
    if (
        invite is None
        or invite.accepted_at
        or invite.revoked_at
        or invite.expires_at <= clock.now()
    ):
        raise NotFound(
            N_("This invite has expired or was already used. Ask your therapist for a new one.")
        )
    return invite


def find_invite_by_token(session: Session, token: str) -> Invite:
    return _usable(
        session.exec(select(Invite).where(Invite.token_hash == token_hash(token))).first()
    )


CODE_WAIT_MESSAGE = N_(
    "Too many codes were tried. Please wait %(wait)s and try again, or open the invite link "
    "instead if you have it."
)


def find_invite_by_code(
    session: Session, *, code: str, ip: str, actor: User | None = None
) -> Invite:
    """A code read out over the phone, if it is live. Guessing is throttled per address and across
    the whole code space (TooManyRequests with Retry-After), and every wrong code is audited."""
    checks = throttle.code_checks(ip=ip)
    throttle.require(session, checks, CODE_WAIT_MESSAGE)
    hashed = token_hash(normalise_code(code))
    invite = session.exec(select(Invite).where(Invite.code_hash == hashed)).first()
    try:
        return _usable(invite)
    except NotFound:
        throttle.record(session, checks)
        audit.add(
            session,
            actor=actor,
            action="invite.code_failed",
            detail="no such code" if invite is None else "expired or used",
            organisation_id=invite.organisation_id if invite else None,
        )
        session.commit()
        raise


def accept_invite(
    session: Session,
    *,
    invite: Invite,
    email: str,
    password: str,
    name: str,
    time_zone: str,
    country: str | None = None,
    language: str | None = None,
) -> User:
    """The invited person sets their password; the invite is spent. `language` is their browser's
    (app.i18n.negotiate); they can change it in settings."""
    if invite.kind == InviteKind.client:
        user = session.get(User, invite.user_id)
        if user is None:
            raise NotFound()
        if user.email != email.lower():
            _require_free_email(session, email)
        user.email = email.lower()
    elif invite.kind == InviteKind.therapist:
        _require_free_email(session, email)
        user = User(
            role=Role.therapist,
            organisation_id=invite.organisation_id,
            email=email.lower(),
            preferred_name=name,
        )
        session.add(user)
        session.flush()
    else:
        raise Unprocessable(
            N_("This code links a therapist: log in first, then enter it under More.")
        )
    user.password_hash = hash_password(password)
    user.preferred_name = name
    user.time_zone = time_zone
    if country:
        user.country = country
    if language:
        user.language = language
    user.activated_at = clock.now()
    user.is_active = True
    invite.accepted_at = clock.now()
    session.add_all([user, invite])
    audit.add(
        session,
        actor=user,
        client_id=user.id if user.role == Role.client else None,
        action="invite.accept",
        organisation_id=invite.organisation_id,
    )
    session.commit()
    return user


def link_therapist(session: Session, *, client: Principal, invite: Invite) -> User:
    if invite.kind != InviteKind.link or invite.therapist_id is None:
        raise NotFound(N_("This code is not a therapist link code."))
    therapist = session.get(User, invite.therapist_id)
    if therapist is None or not therapist.is_active:
        raise NotFound()
    already = session.exec(
        select(CareLink.id).where(
            CareLink.therapist_id == therapist.id,
            CareLink.client_id == client.id,
            col(CareLink.ended_at).is_(None),
        )
    ).first()
    if already is None:
        session.add(CareLink(therapist_id=therapist.id, client_id=client.id))
    invite.accepted_at = clock.now()
    session.add(invite)
    audit.add(
        session,
        actor=client.user,
        client_id=client.id,
        action="care_link.start",
        organisation_id=therapist.organisation_id,
    )
    session.commit()
    return therapist


def end_care_link(
    session: Session, *, principal: Principal, therapist_id: uuid.UUID, client_id: uuid.UUID
) -> None:
    """Either side may end care; access ends on the next request."""
    result = session.execute(
        update(CareLink)
        .where(
            col(CareLink.therapist_id) == therapist_id,
            col(CareLink.client_id) == client_id,
            col(CareLink.ended_at).is_(None),
        )
        .values(ended_at=clock.now())
    )
    if not getattr(result, "rowcount", 0):
        raise NotFound()
    audit.add(session, actor=principal.user, client_id=client_id, action="care_link.end")
    session.commit()


def my_therapists(session: Session, client_id: uuid.UUID) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(CareLink, col(CareLink.therapist_id) == col(User.id))
            .where(CareLink.client_id == client_id, col(CareLink.ended_at).is_(None))
        )
    )


@dataclass(frozen=True)
class CaseloadRow:
    client: User
    started_at: object
    invite_pending: bool


def caseload(session: Session, therapist_id: uuid.UUID) -> list[CaseloadRow]:
    rows = session.exec(
        select(User, CareLink.started_at)
        .join(CareLink, col(CareLink.client_id) == col(User.id))
        .where(CareLink.therapist_id == therapist_id, col(CareLink.ended_at).is_(None))
        .order_by(col(User.preferred_name))
    ).all()
    return [
        CaseloadRow(client=u, started_at=s, invite_pending=u.activated_at is None) for u, s in rows
    ]


def update_profile(
    session: Session, *, user: User, name: str, time_zone: str, country: str, language: str
) -> User:
    zone_changed = user.time_zone != time_zone
    user.preferred_name, user.time_zone, user.country, user.language = (
        name,
        time_zone,
        country,
        language,
    )
    session.add(user)
    if zone_changed:
        from app.domains import plugins

        # Domains that plan in local time (reminders) re-plan when the zone changes.
        for _domain, hooks in plugins("hooks"):
            handler = getattr(hooks, "on_time_zone_changed", None)
            if handler is not None:
                handler(session=session, user=user)
    audit.add(
        session,
        actor=user,
        client_id=user.id if user.role == Role.client else None,
        action="profile.update",
    )
    session.commit()
    return user


def change_password(session: Session, *, principal: Principal, new_password: str) -> None:
    principal.user.password_hash = hash_password(new_password)
    session.add(principal.user)
    sessions.revoke_all(session, user_id=principal.id, except_id=principal.session.id)
    audit.add(session, actor=principal.user, action="auth.password_change")
    session.commit()


def clinic_users(session: Session, organisation_id: uuid.UUID) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(User.organisation_id == organisation_id, User.role != Role.client)
            .order_by(col(User.preferred_name))
        )
    )


def set_active(session: Session, *, admin: Principal, user: User, active: bool) -> None:
    user.is_active = active
    session.add(user)
    if not active:
        sessions.revoke_all(session, user_id=user.id)
    audit.add(
        session,
        actor=admin.user,
        action="user.activate" if active else "user.deactivate",
        detail=str(user.id),
    )
    session.commit()


def end_all_care(session: Session, *, client_id: uuid.UUID) -> list[uuid.UUID]:
    """A client's account closing: every active care link ends now (no commit: the caller's
    closure commits once). Returns the therapists, so a restore can link them again."""
    therapist_ids = list(
        session.exec(
            select(CareLink.therapist_id).where(
                CareLink.client_id == client_id, col(CareLink.ended_at).is_(None)
            )
        )
    )
    session.execute(
        update(CareLink)
        .where(col(CareLink.client_id) == client_id, col(CareLink.ended_at).is_(None))
        .values(ended_at=clock.now())
    )
    return therapist_ids


def start_care(session: Session, *, therapist_ids: list[uuid.UUID], client_id: uuid.UUID) -> None:
    """New care links (a restored account, a caseload handed over). No commit."""
    for therapist_id in therapist_ids:
        if not has_active_care_link(session, therapist_id=therapist_id, client_id=client_id):
            session.add(CareLink(therapist_id=therapist_id, client_id=client_id))
    session.flush()


def clinic_clients(session: Session, organisation_id: uuid.UUID) -> list[User]:
    return list(
        session.exec(
            select(User)
            .where(User.organisation_id == organisation_id, User.role == Role.client)
            .order_by(col(User.preferred_name))
        )
    )


def end_caseload(session: Session, *, therapist_id: uuid.UUID) -> list[uuid.UUID]:
    """A therapist leaving: their active care links end now (no commit). Returns the clients."""
    client_ids = policy_caseload(session, therapist_id)
    session.execute(
        update(CareLink)
        .where(col(CareLink.therapist_id) == therapist_id, col(CareLink.ended_at).is_(None))
        .values(ended_at=clock.now())
    )
    return client_ids
