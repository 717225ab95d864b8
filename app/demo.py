"""A demo clinic with realistic history, seeded when the database is empty (`make run`).

The core creates the clinic and people; each domain's `demo.py` adds two weeks of its own history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from app import clock
from app.accounts.models import CareLink, Organisation, Role, User
from app.accounts.security import hash_password
from app.domains import plugins

DEMO_PASSWORD = "groundwork-demo"


@dataclass
class DemoContext:
    session: Session
    clinic: Organisation
    admin: User
    therapists: list[User]
    clients: list[User]
    now: datetime
    rng: random.Random = field(default_factory=lambda: random.Random(20261123))

    def today_for(self, client: User) -> date:
        return self.now.astimezone(clock.zone(client.time_zone)).date()


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str


CLIENTS = [
    ("Sam", "sam@demo.groundwork.local", "Europe/London", "GB", 0),
    ("Alex", "alex@demo.groundwork.local", "Europe/London", "GB", 0),
    ("Jordan", "jordan@demo.groundwork.local", "America/New_York", "US", 1),
    ("Priya", "priya@demo.groundwork.local", "Australia/Sydney", "AU", 1),
]


def is_empty(session: Session) -> bool:
    return session.exec(select(User.id)).first() is None


def seed(session: Session) -> list[DemoLogin]:
    """Create the demo clinic; every domain then adds its own history. One commit at the end."""
    password_hash = hash_password(DEMO_PASSWORD)
    now = clock.now()
    clinic = Organisation(name="Riverside Community OT", country="GB")
    session.add(clinic)
    session.flush()  # no relationship() mappings: parents are flushed before rows that refer to them

    def person(
        name: str,
        email: str,
        role: Role,
        *,
        time_zone: str = "Europe/London",
        country: str = "GB",
        is_clinic_admin: bool = False,
    ) -> User:
        user = User(
            email=email,
            password_hash=password_hash,
            role=role,
            preferred_name=name,
            organisation_id=clinic.id,
            activated_at=now,
            time_zone=time_zone,
            country=country,
            is_clinic_admin=is_clinic_admin,
        )
        session.add(user)
        return user

    admin = person("Morgan (admin)", "admin@demo.groundwork.local", Role.admin)
    therapists = [
        person("Ruth Okafor", "ruth@demo.groundwork.local", Role.therapist, is_clinic_admin=True),
        person("Daniel Price", "daniel@demo.groundwork.local", Role.therapist),
    ]
    clients = [
        person(name, email, Role.client, time_zone=tz, country=country)
        for name, email, tz, country, _t in CLIENTS
    ]
    session.flush()
    for client, (*_rest, t_index) in zip(clients, CLIENTS, strict=True):
        session.add(CareLink(therapist_id=therapists[t_index].id, client_id=client.id))
    session.flush()
    ctx = DemoContext(
        session=session, clinic=clinic, admin=admin, therapists=therapists, clients=clients, now=now
    )
    for _domain, module in plugins("demo"):
        module.seed(ctx)
    session.commit()
    return [
        DemoLogin(str(u.role), u.preferred_name, u.email or "")
        for u in [admin, *therapists, *clients]
    ]
