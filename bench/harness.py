"""The two types domain engineers write bench scenarios against: `Scenario` and `BenchData`.

A domain adds `bench/scenarios/<domain>.py` with `populate(data: BenchData) -> None` (bulk rows for the
whole population) and `SCENARIOS: list[Scenario]`. See bench/README.md for an example.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Engine, Table, insert
from sqlmodel import Session

# therapist_200: a second therapist with 200 clients (the dashboard at a large caseload).
User = Literal["client", "therapist", "admin", "therapist_200"]

# Replaced by wrk's Lua with a fresh UUID on every request, so a write scenario creates new rows
# instead of replaying one idempotent id (which would only measure the "already stored" path).
UUID_TOKEN = "{{uuid}}"

_FIELD = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)\}(?!\})")


@dataclass(frozen=True)
class Scenario:
    """One HTTP request measured with wrk, as one user, against the populated database.

    `path` and a string `body` may hold `{name}` placeholders filled from `BenchData.values`
    (e.g. "/api/v1/routines/{bench_routine_id}"), and `{{uuid}}` for a fresh id per request.
    A dict/list `body` is sent as JSON. Targets are ratios to the baseline measured in the same run:
    `min_throughput_ratio` (req/s at 32 connections divided by the baseline's) and
    `max_p50_multiple` (p50 at 1 connection divided by the baseline's). None means "no target".
    `language` measures the same page in another language (the English scenario is the comparison).
    """

    name: str
    path: str
    method: str = "GET"
    body: Mapping[str, Any] | Sequence[Any] | str | None = None
    as_user: User | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    expect_status: int | None = None
    min_throughput_ratio: float | None = None
    max_p50_multiple: float | None = None
    note: str = ""
    # The user's language while this scenario runs ("es"): set through the API before, restored after.
    language: str | None = None
    # What else the server was doing while this ran ("PDF reports"), if anything.
    beside: str | None = None

    @property
    def expected_status(self) -> int:
        """The status every response must have; others count as errors."""
        if self.expect_status is not None:
            return self.expect_status
        return 201 if self.method.upper() == "POST" else 200

    @property
    def is_write(self) -> bool:
        return self.method.upper() not in {"GET", "HEAD", "OPTIONS"}


def fill(template: str, values: Mapping[str, str]) -> str:
    """Fill `{name}` placeholders, leaving `{{uuid}}` and JSON braces alone; unknown names fail loudly."""

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            known = ", ".join(sorted(values)) or "none"
            raise KeyError(f"placeholder {{{key}}} is not in BenchData.values (known: {known})")
        return str(values[key])

    return _FIELD.sub(sub, template)


@dataclass
class ClinicRef:
    id: UUID
    name: str
    admin_id: UUID | None = None


@dataclass
class TherapistRef:
    """A therapist (user id) and the client ids on their caseload."""

    id: UUID
    clinic_id: UUID
    email: str
    client_ids: list[UUID] = field(default_factory=list)


@dataclass
class ClientRef:
    """A client: `id` is the client's user id (what the domains call client_id)."""

    id: UUID
    email: str
    timezone: str
    joined_on: date
    clinic_id: UUID | None = None
    therapist_id: UUID | None = None


@dataclass
class BenchData:
    """Everything a domain's `populate` needs: where to write, who exists, and a seeded rng.

    History runs from `start` to `today` (UTC dates); `now` is the build time. The "bench client"
    is the one the client scenarios log in as: give them rich history (every day of the year).
    The "bench therapist" has 60 clients, the bench client among them. Put ids a scenario path
    needs into `values` (e.g. `data.values["bench_routine_id"] = str(routine_id)`).
    """

    engine: Engine
    session: Session
    rng: random.Random
    now: datetime
    today: date
    start: date
    clinics: list[ClinicRef]
    therapists: list[TherapistRef]
    clients: list[ClientRef]
    bench_client: ClientRef
    bench_therapist: TherapistRef
    admin_email: str
    password: str
    values: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def insert(self, table: Any, rows: Iterable[Mapping[str, Any]], *, chunk: int = 5000) -> int:
        """Bulk-insert rows (dicts keyed by column name) with Core executemany; returns the count.

        `table` is a SQLModel table class or a `Table`. Rows may be a generator: they are sent in
        chunks so a million-row history never sits in memory at once.
        """
        target: Table = table if isinstance(table, Table) else table.__table__
        total = 0
        batch: list[Mapping[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                self.session.execute(insert(target), batch)
                total += len(batch)
                batch = []
        if batch:
            self.session.execute(insert(target), batch)
            total += len(batch)
        self.counts[target.name] = self.counts.get(target.name, 0) + total
        return total

    def uuid(self) -> UUID:
        """A v4 UUID from the seeded rng, so a rebuild gives the same ids."""
        return UUID(int=self.rng.getrandbits(128), version=4)

    def days(self, since: date | None = None) -> list[date]:
        """Every date from `since` (default: `start`) to `today`, inclusive."""
        first = since or self.start
        return [date.fromordinal(o) for o in range(first.toordinal(), self.today.toordinal() + 1)]

    def caseload_clients(self) -> list[ClientRef]:
        """The bench therapist's clients (60, the bench client among them)."""
        ids = set(self.bench_therapist.client_ids)
        return [c for c in self.clients if c.id in ids]

    def words(self, n: int) -> str:
        """A short lowercase pseudo-text, for free-text columns whose content does not matter."""
        letters = string.ascii_lowercase
        return " ".join(
            "".join(self.rng.choice(letters) for _ in range(self.rng.randint(3, 9)))
            for _ in range(n)
        )
