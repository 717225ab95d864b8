"""Write marks (app/write_marks.py): which statements change which slots, that two engines on one
file share them, and that the stores judged by them (kept sessions, kept calm lists) never share
a named slot; and on PostgreSQL, that other processes hear of a commit after it and never before, and
that a process that stops listening keeps nothing. The stores' own tests (tests/accounts/test_kept_sessions.py,
tests/coping/test_kept_lists.py) prove that what they keep is always current."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, event, text, update
from sqlmodel import Session, col, select

from app import marks_listener, write_marks
from app.accounts import kept_sessions
from app.accounts.models import AuthSession, User
from app.coping import kept_lists
from app.db import make_engine
from app.reminders.models import INBOX_MARK
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
    named = {kept_sessions.SESSIONS, kept_lists.CUSTOM, INBOX_MARK}
    assert len(named) == 3
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


def test_the_second_change_comes_after_the_commit_has_returned(file_db: Engine) -> None:
    """A reader between SQLAlchemy's "commit" event and the COMMIT itself reads the old rows: the
    value it reads the slot at must be retired by a change after the COMMIT."""
    seen_before_commit: list[bytes] = []

    def reader_just_before_the_commit(_conn: Connection) -> None:
        seen_before_commit.append(_slot(file_db, 5))

    event.listen(file_db, "commit", reader_just_before_the_commit)
    try:
        with file_db.begin() as connection:
            write_marks.changed(connection, [5])
    finally:
        event.remove(file_db, "commit", reader_just_before_the_commit)
    assert seen_before_commit
    assert _slot(file_db, 5) != seen_before_commit[0]


# PostgreSQL: each process's marks in its own memory, other processes' commits heard through
# LISTEN/NOTIFY (app/marks_listener.py). `Marks(engine, listened=True)` is what another process
# on the same database has: its own memory, its own listener and connection.


@pytest.fixture
def postgres() -> Iterator[Engine]:
    skip_or_fail_without_postgres()
    with migrated_postgres() as engine:
        yield engine


@pytest.fixture
def another_process(postgres: Engine) -> Iterator[write_marks.Marks]:
    marks = write_marks.Marks(postgres, listened=True)
    assert marks.listener is not None
    assert marks.listener.wait_until_listening(5)
    yield marks
    marks.listener.stop()


def _listening(engine: Engine) -> write_marks.Marks:
    assert write_marks.wait_until_usable(engine, timeout=5)
    found = write_marks.marks(engine)
    assert found is not None
    return found


def _until_changed(marks: write_marks.Marks, slot: int, before: bytes) -> float:
    """Seconds until `slot` no longer holds `before` in `marks` (at most two)."""
    start = time.perf_counter()
    while marks.read(slot) == before:
        assert time.perf_counter() - start < 2, "the change never arrived"
        time.sleep(0.0002)
    return time.perf_counter() - start


def test_postgresql_marks_reach_another_process_after_the_commit_and_never_before(
    postgres: Engine, another_process: write_marks.Marks
) -> None:
    mine = _listening(postgres)
    slot = kept_sessions.SESSIONS
    before_mine, before_theirs = mine.read(slot), another_process.read(slot)
    with postgres.connect() as connection:
        connection.begin()
        connection.execute(text("UPDATE user_account SET preferred_name = preferred_name"))
        at_write = mine.read(slot)
        assert at_write != before_mine  # this process: at once
        time.sleep(0.3)  # time enough for a notification, were one sent before the commit
        assert another_process.read(slot) == before_theirs
        connection.commit()
    assert mine.read(slot) != at_write  # and again when the COMMIT has returned
    window = _until_changed(another_process, slot, before_theirs)
    assert window < 1.0  # the window no file-less mark can close: well under 1 ms measured here


def test_postgresql_a_rolled_back_write_reaches_no_other_process(
    postgres: Engine, another_process: write_marks.Marks
) -> None:
    """Notifications arrive in commit order: once a later commit's has, a rolled-back write's
    would have too."""
    rolled_back, committed = 7, 9
    before = another_process.read(rolled_back), another_process.read(committed)
    with postgres.connect() as connection:
        connection.begin()
        write_marks.changed(connection, [rolled_back])
        connection.rollback()
    with postgres.begin() as connection:
        write_marks.changed(connection, [committed])
    _until_changed(another_process, committed, before[1])
    assert another_process.read(rolled_back) == before[0]


def test_postgresql_a_transaction_changing_many_slots_changes_every_slot_elsewhere(
    postgres: Engine, another_process: write_marks.Marks
) -> None:
    first = write_marks.NAMED
    clients = range(first, first + marks_listener.MOST_LISTED + 1)
    untouched = 3  # a named slot: no client's
    before = another_process.read(untouched)
    with postgres.begin() as connection:
        write_marks.changed(connection, clients)
    _until_changed(another_process, untouched, before)


def test_postgresql_a_process_that_stops_listening_keeps_nothing_until_it_listens_again(
    postgres: Engine, another_process: write_marks.Marks
) -> None:
    listener = another_process.listener
    assert listener is not None
    assert another_process.usable
    before = [another_process.read(slot) for slot in range(write_marks.NAMED)]
    with postgres.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": listener.backend_pid})
    deadline = time.monotonic() + 5
    # Its connection is gone, so notifications may be missed: it stops keeping, then changes
    # every slot (in that order: a copy read between would be kept under the new values).
    while another_process.usable or any(
        another_process.read(s) == before[s] for s in range(write_marks.NAMED)
    ):
        assert time.monotonic() < deadline
        time.sleep(0.001)
    assert listener.wait_until_listening(5)  # back, having changed every slot again
    assert another_process.usable


def test_a_payload_it_cannot_read_changes_every_slot() -> None:
    assert marks_listener.parse("abc 3,17") == ("abc", [3, 17])
    assert marks_listener.parse("abc *") == ("abc", None)
    assert marks_listener.parse("abc not-slots") == ("abc", None)
    assert marks_listener.payload("abc", range(marks_listener.MOST_LISTED + 1)) == "abc *"
