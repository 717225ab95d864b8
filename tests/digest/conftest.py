"""Digest fixtures: a migrated database of our own per backend (the sender opens and commits its
own sessions, as in production), a real local SMTP server wired into app.mailer, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (every domain's tables on the metadata)
from app.config import get_settings
from tests.databases import migrated_postgres, migrated_sqlite
from tests.reminders.smtp_server import Inbox, smtp_server

# Monday 2 March 2026, 08:00 in London (GMT): a therapist with send hour 8 is due.
EIGHT_LONDON = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def digest_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    factory = migrated_sqlite if request.param == "sqlite" else migrated_postgres
    with factory() as engine:
        yield engine


@pytest.fixture
def ddb(digest_engine: Engine) -> Iterator[Engine]:
    """The engine, emptied of what the test made afterwards."""
    yield digest_engine
    with digest_engine.begin() as conn:  # our own database: every table is ours to empty
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name != "audit_event":  # append-only by trigger, and no foreign keys
                conn.execute(table.delete())


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real aiosmtpd server; the app's mailer is pointed at it through its settings."""
    with smtp_server() as (inbox, port):
        monkeypatch.setattr(get_settings(), "smtp_host", "127.0.0.1")
        monkeypatch.setattr(get_settings(), "smtp_port", port)
        yield inbox


def session_for(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
