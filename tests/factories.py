"""Plain typed factories for tests. Passwords share one precomputed hash (argon2 is slow on purpose)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app import clock
from app.accounts import sessions
from app.accounts.models import CareLink, Organisation, Role, User
from app.accounts.security import hash_password

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


def clinic(session: Session, *, name: str = "Test Clinic", country: str = "GB") -> Organisation:
    org = Organisation(name=name, country=country)
    session.add(org)
    session.flush()
    return org


def user(
    session: Session,
    *,
    role: Role,
    organisation: Organisation | None = None,
    name: str | None = None,
    time_zone: str = "Europe/London",
    country: str = "GB",
    **extra: object,
) -> User:
    n = next(_counter)
    person = User(
        email=f"{role.value}{n}-{uuid.uuid4().hex[:6]}@example.test",
        password_hash=_HASH,
        role=role,
        organisation_id=organisation.id if organisation else None,
        preferred_name=name or f"{role.value.title()} {n}",
        time_zone=time_zone,
        country=country,
        activated_at=clock.now(),
        **extra,  # type: ignore[arg-type]  # test overrides of any User column, checked by the model
    )
    session.add(person)
    session.flush()
    return person


def therapist(session: Session, organisation: Organisation, **extra: Any) -> User:
    return user(session, role=Role.therapist, organisation=organisation, **extra)


def admin(session: Session, organisation: Organisation, **extra: Any) -> User:
    return user(session, role=Role.admin, organisation=organisation, **extra)


def client(session: Session, *, therapist: User | None = None, **extra: Any) -> User:
    org_id = therapist.organisation_id if therapist else None
    person = user(session, role=Role.client, **extra)
    person.organisation_id = org_id
    if therapist is not None:
        session.add(CareLink(therapist_id=therapist.id, client_id=person.id))
    session.flush()
    return person


def login_token(session: Session, person: User) -> tuple[str, str]:
    """A live session for `person`: (cookie token, CSRF token)."""
    issued = sessions.create(session, user=person, user_agent="pytest", ip_address="127.0.0.1")
    session.flush()
    return issued.token, issued.record.csrf_token


def signed_in_client_of_a_clinic(engine: Engine, **extra: Any) -> tuple[User, User, str]:
    """A clinic, its therapist and their client, committed on `engine` in a session of their
    own, with the client signed in: (client, therapist, session token)."""
    with Session(engine, expire_on_commit=False) as session:
        therapist_of = therapist(session, clinic(session))
        person = client(session, therapist=therapist_of, **extra)
        token, _ = login_token(session, person)
        session.commit()
    return person, therapist_of, token
