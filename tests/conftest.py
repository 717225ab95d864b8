"""Shared fixtures: the app, a database per backend (SQLite always; PostgreSQL when reachable or
required), a per-test transaction that is rolled back, and an HTTP client that can act as anyone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts.models import User
from app.db import get_session, set_engine
from app.main import create_app
from app.web_security import SESSION_COOKIE
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite

pytest_plugins = ["tests.browser.fixtures"]


def pytest_report_header() -> str:
    """Name the wall clock: `make test-shifted-clock` runs the suite a year ahead (libfaketime)."""
    return f"wall clock: {datetime.now(UTC):%A %Y-%m-%d %H:%M} UTC"


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Every database-facing test runs on both backends."""
    factory = migrated_sqlite if request.param == "sqlite" else migrated_postgres
    with factory() as eng:
        set_engine(eng)
        yield eng
        set_engine(None)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """One transaction per test, rolled back at the end; services' own commits become savepoints."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


class Http:
    """A TestClient acting as one person (or nobody), adding the CSRF token to unsafe requests."""

    def __init__(self, client: TestClient, session: Session) -> None:
        self.client = client
        self.session = session
        self.csrf = ""
        self.user: User | None = None

    def as_(self, person: User | None) -> Http:
        self.client.cookies.clear()
        self.user = person
        if person is None:
            self.csrf = "anon-token-for-tests"
            self.client.cookies.set("gw_csrf", self.csrf)
        else:
            token, self.csrf = factories.login_token(self.session, person)
            self.client.cookies.set(SESSION_COOKIE, token)
        return self

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
            headers.setdefault("X-CSRF-Token", self.csrf)
        kwargs.setdefault("follow_redirects", False)
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kw: Any) -> Any:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.request("PUT", url, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.request("PATCH", url, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.request("DELETE", url, **kw)


@pytest.fixture
def http(app: FastAPI, session: Session) -> Iterator[Http]:
    app.dependency_overrides[get_session] = lambda: session
    client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
    try:
        yield Http(client, session).as_(None)
    finally:
        app.dependency_overrides.pop(get_session, None)
        client.close()


@pytest.fixture
def clinic(session: Session) -> Any:
    return factories.clinic(session)


@pytest.fixture
def therapist(session: Session, clinic: Any) -> User:
    return factories.therapist(session, clinic)


@pytest.fixture
def client_user(session: Session, therapist: User) -> User:
    return factories.client(session, therapist=therapist)
