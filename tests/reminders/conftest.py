"""Fixtures for the reminders engine: a real database per test (the dispatcher opens its own
sessions, as it does in production), the local push service, a local SMTP server, a fixed clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from app import clock
from app.accounts.models import Role, User
from app.reminders import sources
from app.reminders.dispatcher import Channels
from app.reminders.email import SmtpSettings
from app.reminders.models import (
    PushSubscription,
    ReminderDelivery,
    ReminderItem,
    ReminderPreference,
    ReminderSchedule,
)
from app.reminders.webpush import VapidKeys, WebPushSender
from tests.databases import migrated_postgres, migrated_sqlite

from .push_service import PushService
from .smtp_server import Inbox, smtp_server

SECRET = b"reminders-test-secret"
TEST_NAME = "Reminders Test Client"
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday, 06:00 in London


@pytest.fixture(scope="session")
def vapid() -> VapidKeys:
    return VapidKeys.generate()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def reminders_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database of our own per backend: the dispatcher opens its own sessions and
    commits, as in production, so the shared rolled-back session cannot be used."""
    factory = migrated_sqlite if request.param == "sqlite" else migrated_postgres
    with factory() as engine:
        yield engine


@pytest.fixture
def rdb(reminders_engine: Engine) -> Iterator[Engine]:
    """The engine, emptied of reminders and people after each test."""
    yield reminders_engine
    with reminders_engine.begin() as conn:
        for table in (
            ReminderDelivery,
            ReminderItem,
            ReminderSchedule,
            PushSubscription,
            ReminderPreference,
        ):
            conn.execute(delete(table))
        conn.execute(delete(User).where(col(User.preferred_name) == TEST_NAME))


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen_at(START):
        yield


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService().start()
    yield service
    service.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    with smtp_server() as (inbox, port):
        yield (
            inbox,
            SmtpSettings(host="127.0.0.1", port=port, from_addr="reminders@groundwork.example"),
        )


@pytest.fixture
def channels(vapid: VapidKeys, smtp: tuple[Inbox, SmtpSettings]) -> Iterator[Channels]:
    sender = WebPushSender(vapid, "mailto:ops@groundwork.example", concurrency=4)
    channels = Channels(secret=SECRET, base_url="https://app.example", push=sender, smtp=smtp[1])
    yield channels
    channels.close()


@pytest.fixture
def fake_sources() -> Iterator[dict[uuid.UUID, bool]]:
    """A routine source whose 'done' state the test controls: {source_id: done}."""

    class Source:
        KIND = "routine"
        done: dict[uuid.UUID, bool] = {}
        completed: list[uuid.UUID] = []

        @classmethod
        def still_due(cls, *, session: Session, source_id: uuid.UUID, local_day: object) -> bool:
            del session, local_day
            return not cls.done.get(source_id, False)

        @classmethod
        def mark_done(cls, *, session: Session, source_id: uuid.UUID, local_day: object) -> bool:
            del session, local_day
            cls.done[source_id] = True
            cls.completed.append(source_id)
            return True

    state: dict[uuid.UUID, bool] = {}
    Source.done = state
    sources.register("routine", Source)
    yield state
    sources.unregister("routine")


def make_client(
    engine: Engine, *, tz: str = "Europe/London", email: str | None = None
) -> uuid.UUID:
    with Session(engine) as session:
        user = User(role=Role.client, preferred_name=TEST_NAME, time_zone=tz, email=email)
        session.add(user)
        session.commit()
        return user.id


@pytest.fixture
def live_channels(smtp: tuple[Inbox, SmtpSettings]) -> Iterator[Channels]:
    """The process-wide channels the API uses, with this server's VAPID key, closed afterwards."""
    from app.reminders import runtime

    sender = WebPushSender(runtime.vapid_keys(), "mailto:ops@groundwork.example", concurrency=2)
    channels = Channels(
        secret=runtime.secret(), base_url="http://testserver", push=sender, smtp=smtp[1]
    )
    runtime.set_channels(channels)
    yield channels
    runtime.set_channels(None)
