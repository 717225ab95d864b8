"""A therapist and a client in the digest test database, with homework done through the real
homework service (so the notices are the ones the app really makes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app import clock
from app.accounts.models import CareLink, Organisation, Role, User
from app.digest.models import DigestPreference
from app.homework import service as homework
from app.homework.schemas import AssignmentCreate, ClientAction, CompletionCreate
from tests.homework.helpers import principal


@dataclass(frozen=True)
class World:
    therapist_id: uuid.UUID
    therapist_email: str
    client_id: uuid.UUID


def person(session: Session, role: Role, name: str, org: Organisation, tz: str) -> User:
    user = User(
        email=f"{role.value}-{uuid.uuid4().hex[:8]}@digest.test",
        role=role,
        organisation_id=org.id,
        preferred_name=name,
        time_zone=tz,
        activated_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user


def make_world(
    engine: Engine,
    *,
    tz: str = "Europe/London",
    hour: int = 8,
    excerpts: bool = False,
    enabled: bool = True,
    client_name: str = "Sam Taylor",
) -> World:
    with Session(engine, expire_on_commit=False) as session:
        org = Organisation(name="Digest Clinic", country="GB")
        session.add(org)
        session.flush()
        therapist = person(session, Role.therapist, "Alex Morgan", org, tz)
        client = person(session, Role.client, client_name, org, "Europe/London")
        session.add(CareLink(therapist_id=therapist.id, client_id=client.id))
        session.add(
            DigestPreference(
                therapist_id=therapist.id, enabled=enabled, send_hour=hour, excerpts=excerpts
            )
        )
        session.commit()
        assert therapist.email is not None
        return World(therapist.id, therapist.email, client.id)


def assign(engine: Engine, world: World, title: str = "Walk to the corner shop") -> uuid.UUID:
    with Session(engine, expire_on_commit=False) as session:
        therapist = session.get(User, world.therapist_id)
        client = session.get(User, world.client_id)
        assert therapist
        assert client
        due = clock.local_today(client.time_zone) + timedelta(days=3)
        data: dict[str, Any] = {"kind": "task", "title": title, "due_on": due}
        a = homework.assign(
            session,
            therapist=principal(session, therapist),
            client=client,
            data=AssignmentCreate.model_validate(data),
        )
        return a.id


def client_does(
    engine: Engine, world: World, assignment_id: uuid.UUID, what: str, **kw: Any
) -> None:
    """`what`: "complete" (CompletionCreate fields in kw), "accept", "ask_change" (reason=...)."""
    with Session(engine, expire_on_commit=False) as session:
        client = session.get(User, world.client_id)
        assert client
        who = principal(session, client)
        a = homework.get_assignment(session, assignment_id)
        if what == "complete":
            homework.complete(
                session, client=who, assignment=a, data=CompletionCreate.model_validate(kw)
            )
        else:
            homework.client_action(
                session,
                client=who,
                assignment=a,
                data=ClientAction.model_validate({"action": what, **kw}),
            )
