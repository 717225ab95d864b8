"""The benchmark database: built once per generator+schema version, then copied fresh for each run.

SQLite: the built file is `bench/out/bench-<key>.sqlite`; each run measures a copy of it, so write
scenarios never pile rows into the cache. PostgreSQL (a URL whose database name contains "bench"):
the data is built into `<name>_tpl_<key>` and each run recreates `<name>` from it as a template.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import URL, Connection, create_engine, make_url, text

from app import write_marks

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

# What the built data depends on: the generator, the domains' populate hooks and the schema.
_KEY_GLOBS = (
    "bench/harness.py",
    "bench/generate.py",
    "bench/accounts_data.py",
    "bench/scenarios/*.py",
    "app/migrations/**/*.py",
    "app/**/models.py",
)


def cache_key(*, clients: int, kind: str, today: date) -> str:
    """A hash of everything the data depends on, and the day (history always ends today)."""
    digest = hashlib.sha256(f"{clients}|{kind}|{today.isoformat()}".encode())
    for pattern in _KEY_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            if "__pycache__" in path.parts:
                continue
            if path.parent.name == "scenarios" and "def populate" not in path.read_text():
                continue  # scenarios without rows: editing a target must not rebuild the data
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Target:
    """Where one run's data is built (`build_url`) and where the server reads it (`run_url`)."""

    kind: str  # "sqlite" | "postgresql"
    key: str
    build_url: str
    run_url: str
    meta_path: Path

    @property
    def built(self) -> bool:
        if not self.meta_path.exists():
            return False
        if self.kind == "sqlite":
            return Path(make_url(self.build_url).database or "").exists()
        return _pg_database_exists(self.build_url)


def target(*, database_url: str | None, clients: int, today: date) -> Target:
    if database_url:
        database_url = engine_url(database_url).render_as_string(hide_password=False)
    kind = "postgresql" if database_url and database_url.startswith("postgres") else "sqlite"
    key = cache_key(clients=clients, kind=kind, today=today)
    OUT.mkdir(parents=True, exist_ok=True)
    meta = OUT / f"bench-{kind}-{key}.json"
    if kind == "sqlite":
        return Target(
            kind,
            key,
            f"sqlite:///{OUT / f'bench-{key}.sqlite'}",
            f"sqlite:///{OUT / 'run.sqlite'}",
            meta,
        )
    assert database_url is not None
    url = make_url(database_url)
    if "bench" not in (url.database or ""):
        raise SystemExit(
            f"refusing to use PostgreSQL database {url.database!r}: the bench drops and recreates it,"
            " so its name must contain 'bench' (e.g. postgresql://postgres@127.0.0.1:5432/groundwork_bench)"
        )
    template = url.set(database=f"{url.database}_tpl_{key}")
    return Target(
        kind,
        key,
        template.render_as_string(hide_password=False),
        url.render_as_string(hide_password=False),
        meta,
    )


def remove_stale(t: Target) -> None:
    """Drop earlier builds (other keys) so bench/out and the server don't fill up."""
    if t.kind == "sqlite":
        for path in OUT.glob("bench-*.sqlite*"):
            if t.key not in path.name:
                path.unlink()
    else:
        prefix = f"{make_url(t.run_url).database}_tpl_"
        with _admin(t.build_url) as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": prefix + "%"}
            ).scalars()
            for name in list(names):
                if not name.endswith(t.key):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    for path in OUT.glob("bench-*.json"):
        if t.key not in path.name:
            path.unlink()


def create_empty(t: Target) -> None:
    """A fresh, empty build database (a failed earlier build is discarded)."""
    if t.kind == "sqlite":
        path = Path(make_url(t.build_url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = make_url(t.build_url).database
    with _admin(t.build_url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))


def app_env(url: str) -> dict[str, str]:
    """The app's settings for the bench: its database, and secrets kept under bench/out/data.

    The in-process scheduler is off: a reminder tick landing inside one scenario's few seconds
    would be charged to that scenario. The reminders domain measures its jobs on their own.
    The per-person write limit is off: wrk drives one bench client far past any human pace on
    purpose, to measure capacity, not the limit (tests/platform/test_write_limit.py does that).
    """
    return {
        "GW_DATABASE_URL": url,
        "GW_DATA_DIR": str(OUT / "data"),
        "GW_ENVIRONMENT": "production",
        "GW_SCHEDULER_ENABLED": "false",
        "GW_WRITE_RATE_PER_MINUTE": "0",
    }


def migrate(url: str) -> None:
    """Make the schema the only way the app makes it: its own `migrate` command."""
    env = {**os.environ, **app_env(url)}
    proc = subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"`python -m app migrate` failed:\n{proc.stdout}\n{proc.stderr}")


def finish_build(t: Target) -> None:
    """Fold the WAL into the file so a plain copy is complete; let PostgreSQL gather statistics."""
    if t.kind == "sqlite":
        db = sqlite3.connect(make_url(t.build_url).database or "")
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        return
    engine = create_engine(engine_url(t.build_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def fresh_copy(t: Target) -> None:
    """The database the server will use: a copy of the build, so each run starts identical."""
    if t.kind == "sqlite":
        src = Path(make_url(t.build_url).database or "")
        dst = Path(make_url(t.run_url).database or "")
        for suffix in ("-wal", "-shm"):
            Path(f"{dst}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(src, dst)
        return
    name = make_url(t.run_url).database
    template = make_url(t.build_url).database
    # A template must have no connection: this process's write-marks listener (app/marks_listener.py)
    # stops coming back, and the one it holds is closed.
    write_marks.stop_listening(engine_url(t.build_url))
    with _admin(t.build_url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = :template AND pid <> pg_backend_pid()"
            ),
            {"template": template},
        )
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))


def engine_url(url: str) -> URL:
    """The URL for our own engines: a bare postgresql:// means psycopg 3 (psycopg2 is not installed)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _pg_database_exists(url: str) -> bool:
    name = make_url(url).database
    with _admin(url) as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        return found.first() is not None


@contextmanager
def _admin(url: str) -> Iterator[Connection]:
    """An autocommit connection to the server's `postgres` database (CREATE/DROP DATABASE)."""
    engine = create_engine(engine_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
