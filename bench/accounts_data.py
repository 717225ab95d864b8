"""The accounts rows for the bench population: clinics, users, care links, sessions, audit history.

Sessions and audit events are sized like a year of use, because every request looks a session up and
every therapist read appends an audit row: their tables' size is part of what is measured.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.accounts.models import AuthSession, CareLink, Organisation, Role, User
from app.accounts.security import hash_password
from app.audit.models import AuditEvent
from bench.harness import BenchData, ClientRef

# Staff log in with a second factor in production; the bench's staff share this TOTP secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
FIRST_NAMES = ("Sam", "Alex", "Jordan", "Priya", "Chris", "Robin", "Kai", "Noor", "Ellis", "Mo")


def admin_email(clinic_index: int) -> str:
    return f"admin{clinic_index}@bench.example"


def write(data: BenchData, *, countries: dict[str, str]) -> None:
    """All accounts rows, in bulk. One argon2 hash for everyone (see bench/README.md)."""
    password_hash = hash_password(data.password)
    started = datetime.combine(data.start, time(9), tzinfo=UTC)
    data.insert(
        Organisation,
        [
            {"id": c.id, "name": c.name, "country": "GB", "created_at": started}
            for c in data.clinics
        ],
    )
    data.insert(User, _staff(data, password_hash, started))
    data.insert(User, (_client(data, c, password_hash, countries) for c in data.clients))
    data.insert(CareLink, _care_links(data))
    data.insert(AuthSession, _sessions(data))
    data.insert(AuditEvent, _audit(data))
    data.values["bench_client_id"] = str(data.bench_client.id)


def _user(**values: Any) -> dict[str, Any]:
    """Every column given: executemany needs the same keys in every row, and Core skips ORM defaults."""
    return {
        "totp_secret": None,
        "totp_enabled": False,
        "is_active": True,
        "is_clinic_admin": False,
        "language": "en",
        "last_seen_at": None,
        "archived_at": None,
        **values,
    }


def _staff(data: BenchData, password_hash: str, at: datetime) -> list[dict[str, Any]]:
    rows = []
    for i, clinic in enumerate(data.clinics):
        rows.append(
            _user(
                id=clinic.admin_id,
                email=admin_email(i),
                password_hash=password_hash,
                role=Role.admin.value,
                totp_secret=TOTP_SECRET,
                totp_enabled=True,
                organisation_id=clinic.id,
                preferred_name=f"Admin {i}",
                time_zone="Europe/London",
                country="GB",
                created_at=at,
                activated_at=at,
            )
        )
    seen_clinics: set[Any] = set()
    for i, t in enumerate(data.therapists):
        founder = t.clinic_id not in seen_clinics
        seen_clinics.add(t.clinic_id)
        rows.append(
            _user(
                id=t.id,
                email=t.email,
                password_hash=password_hash,
                role=Role.therapist.value,
                totp_secret=TOTP_SECRET,
                totp_enabled=True,
                organisation_id=t.clinic_id,
                preferred_name=f"Therapist {i}",
                time_zone="Europe/London",
                country="GB",
                is_clinic_admin=founder,
                created_at=at,
                activated_at=at,
                last_seen_at=data.now - timedelta(hours=data.rng.randint(1, 72)),
            )
        )
    return rows


def _client(
    data: BenchData, c: ClientRef, password_hash: str, countries: dict[str, str]
) -> dict[str, Any]:
    joined = datetime.combine(c.joined_on, time(10), tzinfo=UTC)
    return _user(
        id=c.id,
        email=c.email,
        password_hash=password_hash,
        role=Role.client.value,
        organisation_id=c.clinic_id,
        preferred_name=data.rng.choice(FIRST_NAMES),
        time_zone=c.timezone,
        country=countries.get(c.timezone, "GB"),
        created_at=joined,
        activated_at=joined,
        last_seen_at=data.now - timedelta(minutes=data.rng.randint(5, 60 * 24 * 7)),
    )


def _care_links(data: BenchData) -> Iterator[dict[str, Any]]:
    """The current link of every client with a therapist; one in twenty also has an ended one."""
    others = [t for t in data.therapists if t.id != data.bench_therapist.id]
    for c in data.clients:
        if c.therapist_id is None:
            continue
        start = datetime.combine(c.joined_on, time(10), tzinfo=UTC)
        if c.id != data.bench_client.id and data.rng.random() < 0.05 and c.joined_on < data.today:
            moved = start + (data.now - start) * data.rng.random()
            yield _link(data, data.rng.choice(others).id, c, start, moved)
            start = moved + timedelta(minutes=1)
        yield _link(data, c.therapist_id, c, start, None)


def _link(
    data: BenchData, therapist_id: Any, c: ClientRef, start: datetime, end: datetime | None
) -> dict[str, Any]:
    return {
        "id": data.uuid(),
        "therapist_id": therapist_id,
        "client_id": c.id,
        "started_at": start,
        "ended_at": end,
    }


def _sessions(data: BenchData) -> Iterator[dict[str, Any]]:
    """One or two live sessions per client (phone, laptop) and a few expired ones per therapist."""
    people = [(c.id, 60 * 24) for c in data.clients] + [(t.id, 12) for t in data.therapists]
    for user_id, life_hours in people:
        for _ in range(data.rng.choice((1, 1, 2))):
            created = data.now - timedelta(hours=data.rng.uniform(0, life_hours * 0.9))
            yield {
                "id": data.uuid(),
                "token_hash": hashlib.sha256(data.rng.randbytes(32)).hexdigest(),
                "user_id": user_id,
                "csrf_token": data.rng.randbytes(16).hex(),
                "mfa_pending": False,
                "user_agent": "Mozilla/5.0 (Linux; Android 14) Mobile",
                "ip_address": "203.0.113.7",
                "created_at": created,
                "last_seen_at": created,
                "expires_at": created + timedelta(hours=life_hours),
                "revoked_at": None,
            }


def _audit(data: BenchData) -> Iterator[dict[str, Any]]:
    """A year of logins and therapist reads: about one client login a week and, for each
    therapist, about eight client-record reads on each working day."""
    for c in data.clients:
        day = c.joined_on
        while day <= data.today:
            yield _event(data, day, c.id, "client", None, c.id, "auth.login")
            day += timedelta(days=data.rng.randint(4, 10))
    for t in data.therapists:
        if not t.client_ids:
            continue
        for day in data.days():
            if day.weekday() >= 5:
                continue
            for _ in range(8):
                client_id = data.rng.choice(t.client_ids)
                yield _event(
                    data,
                    day,
                    t.id,
                    "therapist",
                    t.clinic_id,
                    client_id,
                    "GET /caseload/{client_id}",
                )


def _event(
    data: BenchData,
    day: Any,
    actor_id: Any,
    role: str,
    organisation_id: Any,
    client_id: Any,
    action: str,
) -> dict[str, Any]:
    at = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(seconds=data.rng.randint(0, 36000))
    return {
        "id": data.uuid(),
        "at": at,
        "actor_id": actor_id,
        "actor_role": role,
        "organisation_id": organisation_id,
        "client_id": client_id,
        "action": action,
        "detail": "",
        "request_id": "",
        "ip_address": "203.0.113.7",
    }
