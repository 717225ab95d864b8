"""Write marks (app/write_marks.py): which statements change which slots, that two engines on one
file share them, and that the stores judged by them (kept sessions, kept calm lists) never share
a named slot. The stores' own tests (tests/accounts/test_kept_sessions.py,
tests/coping/test_kept_lists.py) prove that what they keep is always current."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text, update
from sqlmodel import Session, col, select

from app import write_marks
from app.accounts import kept_sessions
from app.accounts.models import AuthSession, User
from app.coping import kept_lists
from app.db import make_engine
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite, skip_or_fail_without_postgres


@pytest.fixture
def file_db() -> Iterator[Engine]:
    with migrated_sqlite("write-marks") as engine:
        yield engine


def _slot(engine: Engine, slot: int) -> bytes:
    marks = write_marks.marks(engine)
    assert marks is not None
    return marks.read(slot)


def test_the_named_slots_in_use_are_distinct_and_below_the_client_slots() -> None:
    named = {kept_sessions.SESSIONS, kept_lists.CUSTOM}
    assert len(named) == 2
    assert all(0 <= slot < write_marks.NAMED for slot in named)
    ids = [uuid.uuid4() for _ in range(100)]
    slots = {write_marks.of_client(cid) for cid in ids}
    assert all(write_marks.NAMED <= s < write_marks.NAMED + write_marks.CLIENTS for s in slots)
    assert len(slots) > 90  # spread, not bunched


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("a compiled SELECT", False),
        ("a raw SELECT", False),
        ("an UPDATE of another table", False),
        ("an ORM UPDATE", True),
        ("a Core UPDATE", True),
        ("raw SQL", True),
        ("a driver-level statement", True),
    ],
)
def test_which_statements_change_the_sessions_slot(
    file_db: Engine, statement: str, changes: bool
) -> None:
    with Session(file_db, expire_on_commit=False) as session:
        person = factories.client(session)
        session.commit()
    before = _slot(file_db, kept_sessions.SESSIONS)
    with Session(file_db) as session:
        match statement:
            case "a compiled SELECT":
                session.exec(select(User).where(User.id == person.id)).all()
            case "a raw SELECT":
                session.execute(text("SELECT count(*) FROM user_account"))
            case "an UPDATE of another table":
                session.execute(text("UPDATE organisation SET name = name"))
            case "an ORM UPDATE":
                found = session.get(User, person.id)
                assert found is not None
                found.preferred_name = "Changed"
                session.flush()
            case "a Core UPDATE":
                table = AuthSession.__table__  # type: ignore[attr-defined]  # SQLModel sets it
                session.execute(
                    update(table).where(col(table.c.user_id) == person.id).values(user_agent="")
                )
            case "raw SQL":
                session.execute(text("UPDATE user_account SET preferred_name = preferred_name"))
            case "a driver-level statement":
                session.connection().exec_driver_sql("UPDATE auth_session SET user_agent = ''")
        during = _slot(file_db, kept_sessions.SESSIONS)
        session.commit()
    after = _slot(file_db, kept_sessions.SESSIONS)
    assert (during != before) is changes
    assert (after != during) is changes  # and again at commit


def test_a_rolled_back_write_changes_its_slots_again(file_db: Engine) -> None:
    client_id = uuid.uuid4()
    slot = write_marks.of_client(client_id)
    before = _slot(file_db, slot)
    with file_db.connect() as connection:
        connection.begin()
        write_marks.changed(connection, [slot])
        during = _slot(file_db, slot)
        connection.rollback()
    assert before != during != _slot(file_db, slot)


def test_two_engines_on_one_file_share_the_marks(file_db: Engine) -> None:
    other = make_engine(str(file_db.url))
    try:
        assert _slot(other, 3) == _slot(file_db, 3)
        with other.begin() as connection:
            write_marks.changed(connection, [3])
        assert _slot(other, 3) == _slot(file_db, 3)
    finally:
        other.dispose()


def test_postgresql_has_no_marks() -> None:
    skip_or_fail_without_postgres()
    with migrated_postgres() as engine:
        assert write_marks.marks(engine) is None
        with engine.begin() as connection:
            write_marks.changed(connection, [3])  # a no-op, not an error
