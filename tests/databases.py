"""Test databases: a migrated SQLite file, and a throwaway PostgreSQL database per test run
(so parallel runs on one server never see each other's rows)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from app import db, write_marks
from app.accounts.models import User
from app.db import make_engine
from app.migrate import upgrade
from tests import factories
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


@contextmanager
def migrated(dialect: str, name: str = "test") -> Iterator[Engine]:
    """A migrated database of its own, either kind ("sqlite" or "postgresql"), committed for real;
    on PostgreSQL once this process listens for other processes' write marks
    (app/marks_listener.py), so the stores that keep rows keep them there too."""
    if dialect == "sqlite":
        with migrated_sqlite(name) as engine:
            yield engine
        return
    skip_or_fail_without_postgres()
    with migrated_postgres() as engine:
        assert write_marks.wait_until_usable(engine, timeout=5)
        yield engine


@contextmanager
def serving(engine: Engine) -> Iterator[Engine]:
    """The app's engine while inside: its real per-request sessions on `engine` (no override)."""
    previous = db._engine
    db.set_engine(engine)
    try:
        yield engine
    finally:
        db.set_engine(previous)


@contextmanager
def signed_in_app(app: FastAPI, dialect: str, name: str) -> Iterator[SignedInApp]:
    """The app on a database of its own (`migrated`, `serving`), and a browser signed in as a
    clinic's client in Europe/London."""
    with migrated(dialect, name) as engine, serving(engine):
        person, therapist, token = factories.signed_in_client_of_a_clinic(
            engine, time_zone="Europe/London"
        )
        browser = TestClient(app, base_url="http://testserver")
        browser.cookies.set("gw_session", token)
        yield SignedInApp(engine, browser, person, therapist)


@dataclass(frozen=True)
class SignedInApp:
    engine: Engine
    browser: TestClient
    client: User
    therapist: User
