"""Today judged by write marks (app/sections.py, app/write_marks.py): through the real app, on its
own database (SQLite and PostgreSQL), a view whose session and sections are all kept sends no
statement at all, and after every kind of write that changes what Today shows (the client's data,
the reminders inbox, by the ORM, by raw SQL, by another process's engine) the next view reads again
and equals one drawn from scratch."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from app import clock, sections
from app.accounts.models import User
from app.db import make_engine, open_session
from app.reminders import inbox
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem
from app.self_care.models import Habit
from tests import factories
from tests.databases import signed_in_app
from tests.self_care.helpers import check, start
from tests.statements import sent_by

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a Wednesday, noon in London
# What differs between two views of the same page: form ids, the CSP nonce.
_PER_VIEW = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|nonce=\"[^\"]+\""
)


@dataclass
class World:
    engine: Engine
    page: TestClient
    client_id: uuid.UUID

    @contextmanager
    def writing(self, engine: Engine | None = None) -> Iterator[tuple[Session, User]]:
        """A session of its own, committed for real."""
        with open_session(write=True, engine=engine or self.engine) as session:
            person = session.get(User, self.client_id)
            assert person is not None
            yield session, person
            session.commit()


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


@pytest.fixture(params=["sqlite", "postgresql"])
def world(app: FastAPI, request: pytest.FixtureRequest) -> Iterator[World]:
    """The app on its own database with its real per-request sessions (no test override)."""
    with signed_in_app(app, request.param, "today-marks") as signed_in:
        try:
            yield World(signed_in.engine, signed_in.browser, signed_in.client.id)
        finally:
            sections.forget_drawn_sections()


def _today(world: World) -> tuple[str, list[str]]:
    """Today as the page shows it (form ids and nonce left out), and the statements it sent."""
    with sent_by(world.engine) as sent:
        answer = world.page.get("/today")
    assert answer.status_code == 200, answer.text
    return _PER_VIEW.sub("", answer.text), sent


def _kept(world: World) -> str:
    """Today, once every section is kept: the first view reads the session (in a transaction,
    so it keeps by the data version), the second keeps by the marks, the third sends nothing."""
    _today(world)
    _today(world)
    shown, sent = _today(world)
    assert sent == [], sent
    return shown


def _fresh(world: World) -> str:
    sections.forget_drawn_sections()
    return _today(world)[0]


# Each kind of write that changes what Today shows.


def _reminder(status: ItemStatus, title: str = "Evening routine") -> ReminderItem:
    now = clock.now()
    return ReminderItem(
        client_id=uuid.UUID(int=0),  # set by the caller
        kind="routine",
        source_id=uuid.uuid4(),
        occurrence_key=f"k-{uuid.uuid4()}",
        local_day=now.date(),
        title=title,
        url="/routines",
        planned_at=now,
        due_at=now,
        status=status,
    )


def _reminder_came(world: World) -> None:
    with world.writing() as (session, person):
        item = _reminder(ItemStatus.sent, "Take the evening tablets")
        item.client_id = person.id
        session.add(item)


def _inbox_read(world: World) -> None:
    with world.writing() as (session, person):
        inbox.mark_all_read(session=session, client_id=person.id)


def _pending_reminder(world: World) -> None:
    with world.writing() as (session, person):
        item = _reminder(ItemStatus.pending, "Water the plants")
        item.client_id = person.id
        session.add(item)


def _sent_by_raw_sql(world: World) -> None:
    """The dispatcher's way: a pending item made visible by a statement the ORM never sees."""
    with world.engine.begin() as connection:
        connection.execute(text("UPDATE reminder_item SET status = 'sent'"))


def _device_registered(world: World) -> None:
    with world.writing() as (session, person):
        session.add(
            PushSubscription(
                client_id=person.id,
                endpoint=f"https://push.example.test/{uuid.uuid4()}",
                p256dh="p256dh",
                auth="auth",
                device_name="My phone",
            )
        )


def _habit_started(world: World) -> None:
    with world.writing() as (session, person):
        start(session, person)


def _habit_checked_in(world: World) -> None:
    with world.writing() as (session, person):
        (habit,) = session.exec(select(Habit).where(Habit.client_id == person.id)).all()
        check(session, person, habit)


def _by_another_process(world: World) -> None:
    """Another worker: its own engine and pool, so only the marks are shared."""
    other = make_engine(str(world.engine.url))
    try:
        with world.writing(other) as (session, person):
            item = _reminder(ItemStatus.sent, "Call the pharmacy")
            item.client_id = person.id
            session.add(item)
    finally:
        other.dispose()


# What a change needs to have happened first, before the kept view it is compared with.
SETUP: dict[str, Callable[[World], None]] = {
    "the inbox read": _reminder_came,
    "a reminder sent by raw SQL": _pending_reminder,
    "a habit checked in": _habit_started,
}
CHANGES: dict[str, Callable[[World], None]] = {
    "a reminder came": _reminder_came,
    "the inbox read": _inbox_read,
    "a reminder sent by raw SQL": _sent_by_raw_sql,
    "a device registered": _device_registered,
    "a habit started": _habit_started,
    "a habit checked in": _habit_checked_in,
    "a write by another process": _by_another_process,
}


def test_a_kept_today_sends_no_statement(world: World) -> None:
    assert _kept(world) == _fresh(world)


@pytest.mark.parametrize("name", list(CHANGES))
def test_after_each_kind_of_write_today_is_read_again_and_equals_a_fresh_one(
    world: World, name: str
) -> None:
    if name in SETUP:
        SETUP[name](world)
    before = _kept(world)
    CHANGES[name](world)
    after, sent = _today(world)
    assert sent, "a kept Today outlived a write to what it shows"
    assert after != before  # the change shows
    assert after == _fresh(world)
    assert _kept(world) == after  # and kept again


def test_another_clients_reminder_leaves_the_clients_sections_kept(world: World) -> None:
    """The inbox's mark is shared by every client: their reminders section is read again, the
    rest stays kept."""
    with open_session(write=True, engine=world.engine) as session:
        other = factories.client(session)
        session.commit()
    _kept(world)
    with open_session(write=True, engine=world.engine) as session:
        item = _reminder(ItemStatus.sent)
        item.client_id = other.id
        session.add(item)
        session.commit()
    _, sent = _today(world)
    assert sent
    assert all("reminder_item" in s or "push_subscription" in s for s in sent if "SELECT" in s), (
        sent
    )
