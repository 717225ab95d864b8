"""Test databases: a migrated SQLite file, and a throwaway PostgreSQL database per test run
(so parallel runs on one server never see each other's rows)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from app import write_marks
from app.db import make_engine
from app.migrate import upgrade
from tests.settings_env import POSTGRES_ADMIN_URL, REQUIRE_POSTGRES, TEST_DATA_DIR


def sqlite_url(name: str = "test") -> str:
    return f"sqlite:///{Path(TEST_DATA_DIR) / f'{name}-{secrets.token_hex(4)}.db'}"


@contextmanager
def migrated_sqlite(name: str = "test") -> Iterator[Engine]:
    url = sqlite_url(name)
    upgrade(url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def postgres_available() -> bool:
    try:
        probe = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
        return True
    except Exception:
        return False


def skip_or_fail_without_postgres() -> None:
    if not postgres_available():
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " and REQUIRE_POSTGRES=1")
        pytest.skip(message + " (set REQUIRE_POSTGRES=1 to make this a failure)")


@contextmanager
def throwaway_postgres(prefix: str = "gw_test") -> Iterator[str]:
    """Create a fresh database on the test server; drop it afterwards. Yields its URL."""
    skip_or_fail_without_postgres()
    name = f"{prefix}_{secrets.token_hex(5)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        write_marks.stop_listening(url)  # its connection would keep coming back
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_postgres() -> Iterator[Engine]:
    with throwaway_postgres() as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()
