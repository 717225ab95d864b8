"""The data generator: clinics, therapists and clients, then each domain's `populate(data)`.

Shapes, not content, are what matter for load: 10,000 clients across ~170 therapists in 34 clinics,
a tenth of them self-managed, joined over the past year; one bench therapist with exactly 60 clients
and one bench client with a full year of history, whom the scenarios log in as.
"""

from __future__ import annotations

import importlib
import json
import random
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

from sqlalchemy import create_engine, event
from sqlmodel import Session

from bench import accounts_data
from bench.database import Target, engine_url
from bench.harness import BenchData, ClientRef, ClinicRef, Scenario, TherapistRef

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
FIRST = "foundation"  # the foundation's scenarios run first, then domains alphabetically
PASSWORD = "bench-password-2024"
CLINICS = 34
THERAPISTS_PER_CLINIC = 5
SELF_MANAGED_SHARE = 0.1
BENCH_CASELOAD = 60
# A second bench therapist with a large caseload, for the dashboard at 200 clients (issue #19).
LARGE_CASELOAD = 200
LARGE_THERAPIST_EMAIL = "bench.therapist200@bench.example"
BENCH_CLIENT_TZ = "Europe/London"
TIMEZONES = (
    ("Europe/London", "GB"),
    ("Europe/London", "GB"),
    ("Europe/Dublin", "IE"),
    ("America/New_York", "US"),
    ("America/Chicago", "US"),
    ("America/Los_Angeles", "US"),
    ("America/Toronto", "CA"),
    ("Australia/Sydney", "AU"),
    ("Pacific/Auckland", "NZ"),
)


@dataclass(frozen=True)
class Built:
    """What a run needs from a build, saved beside the cached database."""

    key: str
    built_at: str
    build_seconds: float
    clients: int
    therapists: int
    clinics: int
    days: int
    password: str
    totp_secret: str
    users: dict[str, str]
    values: dict[str, str]
    counts: dict[str, int]
    populate_seconds: dict[str, float]
    populate_errors: dict[str, str]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True))

    @classmethod
    def load(cls, path: Path) -> Built:
        return cls(**json.loads(path.read_text()))


def scenario_modules() -> tuple[list[ModuleType], dict[str, str]]:
    """bench/scenarios/*.py, the foundation's first, then the domains alphabetically; and the
    modules that failed to import, with why (reported, so one broken domain stops no one else)."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.py") if not p.stem.startswith("_"))
    names.sort(key=lambda n: (n != FIRST, n))
    modules, broken = [], {}
    for name in names:
        try:
            modules.append(importlib.import_module(f"bench.scenarios.{name}"))
        except Exception as exc:  # any error in a domain's module: report it, run the others
            broken[name] = f"{type(exc).__name__}: {exc}"
            print(f"  bench/scenarios/{name}.py does not import: {broken[name]}", flush=True)
    return modules, broken


def scenarios(modules: list[ModuleType]) -> list[tuple[str, Scenario]]:
    return [(m.__name__.rsplit(".", 1)[1], s) for m in modules for s in getattr(m, "SCENARIOS", [])]


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def people(*, clients: int, rng: random.Random, today: date) -> dict[str, Any]:
    """Who exists: plain refs, before any row is written."""
    clinics = [ClinicRef(id=_uuid(rng), name=f"Bench clinic {i + 1}") for i in range(CLINICS)]
    therapists = [
        TherapistRef(id=_uuid(rng), clinic_id=c.id, email=f"therapist{ci * 10 + t}@bench.example")
        for ci, c in enumerate(clinics)
        for t in range(THERAPISTS_PER_CLINIC)
    ]
    for c in clinics:
        c.admin_id = _uuid(rng)
    bench_therapist = therapists[0]
    year_ago = today - timedelta(days=364)
    refs: list[ClientRef] = []
    for i in range(clients):
        tz, _country = rng.choice(TIMEZONES)
        joined = year_ago + timedelta(days=int(rng.triangular(0, 364, 0)))
        refs.append(
            ClientRef(
                id=_uuid(rng), email=f"client{i}@bench.example", timezone=tz, joined_on=joined
            )
        )
    bench_client = refs[0]
    bench_client.email, bench_client.timezone, bench_client.joined_on = (
        "bench.client@bench.example",
        BENCH_CLIENT_TZ,
        year_ago,
    )
    # The bench therapist gets exactly BENCH_CASELOAD clients; the rest are spread over the others.
    large = therapists[1]
    others = therapists[2:]
    for i, ref in enumerate(refs):
        if i < BENCH_CASELOAD:
            owner = bench_therapist
        elif i < BENCH_CASELOAD + LARGE_CASELOAD:
            owner = large
        elif rng.random() < SELF_MANAGED_SHARE:
            continue
        else:
            owner = others[rng.randrange(len(others))]
        ref.therapist_id, ref.clinic_id = owner.id, owner.clinic_id
        owner.client_ids.append(ref.id)
    bench_therapist.email = "bench.therapist@bench.example"
    large.email = LARGE_THERAPIST_EMAIL
    return {
        "clinics": clinics,
        "therapists": therapists,
        "clients": refs,
        "bench_client": bench_client,
        "bench_therapist": bench_therapist,
        "admin_email": accounts_data.admin_email(0),
        "countries": dict(TIMEZONES),
    }


def build(t: Target, *, clients: int, seed: int, modules: list[ModuleType]) -> Built:
    """Write every row into the (migrated, empty) build database and record what was made."""
    started = time.monotonic()
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    who = people(clients=clients, rng=rng, today=today)
    engine = create_engine(engine_url(t.build_url))
    if t.kind == "sqlite":
        # The build is disposable (rebuilt on any failure), so skip durability while loading.
        @event.listens_for(engine, "connect")
        def _fast(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA synchronous=OFF")
            # A large page cache: random UUID keys touch index pages all over the file.
            dbapi_conn.execute("PRAGMA cache_size=-1000000")
            dbapi_conn.execute("PRAGMA temp_store=MEMORY")
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

    timings: dict[str, float] = {}
    errors: dict[str, str] = {}
    try:
        with Session(engine, expire_on_commit=False) as session:
            data = BenchData(
                engine=engine,
                session=session,
                rng=rng,
                now=now,
                today=today,
                start=today - timedelta(days=364),
                clinics=who["clinics"],
                therapists=who["therapists"],
                clients=who["clients"],
                bench_client=who["bench_client"],
                bench_therapist=who["bench_therapist"],
                admin_email=who["admin_email"],
                password=PASSWORD,
            )
            step = time.monotonic()
            accounts_data.write(data, countries=who["countries"])
            session.commit()
            timings["accounts"] = time.monotonic() - step
            for module in modules:
                populate = getattr(module, "populate", None)
                if populate is None:
                    continue
                step = time.monotonic()
                name = module.__name__.rsplit(".", 1)[1]
                try:
                    populate(data)
                    session.commit()
                except Exception as exc:  # one domain's bug must not cost the others their run
                    session.rollback()
                    errors[name] = f"{type(exc).__name__}: {str(exc)[:500]}"
                    print(f"  populate failed for {name}: {errors[name]}", flush=True)
                    continue
                timings[name] = round(time.monotonic() - step, 1)
                print(f"  populated {name} in {timings[name]:.1f} s", flush=True)
    finally:
        engine.dispose()
    return Built(
        key=t.key,
        built_at=now.isoformat(),
        build_seconds=round(time.monotonic() - started, 1),
        clients=len(data.clients),
        therapists=len(data.therapists),
        clinics=len(data.clinics),
        days=(data.today - data.start).days + 1,
        password=PASSWORD,
        totp_secret=accounts_data.TOTP_SECRET,
        users={
            "client": data.bench_client.email,
            "therapist": data.bench_therapist.email,
            "therapist_200": LARGE_THERAPIST_EMAIL,
            "admin": data.admin_email,
        },
        values={k: str(v) for k, v in data.values.items()},
        counts=dict(sorted(data.counts.items())),
        populate_seconds={k: round(v, 1) for k, v in timings.items()},
        populate_errors=errors,
    )
