"""Signed-in sessions kept in process (app/accounts/kept_sessions.py): a kept row is used only
while no process has written `auth_session` or `user_account` since it was read, so every
revocation, closed account and profile change is seen at the very next request, in every worker."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, inspect, text, update
from sqlmodel import Session, col, select

from app import clock, write_marks
from app.accounts import kept_sessions, sessions
from app.accounts.models import AuthSession, User
from app.accounts.security import hash_password
from app.config import get_settings
from app.db import make_engine
from tests import factories
from tests.app_processes import app_process
from tests.browser.fixtures import ROOT
from tests.databases import migrated, throwaway_postgres
from tests.statements import sent_by

PASSWORD = "a long enough password"


@pytest.fixture(params=["sqlite", "postgresql"])
def file_db(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database of its own and its own engine: sessions as a request has them,
    committed for real and never inside a test's outer transaction."""
    with migrated(request.param, "kept-sessions") as eng:
        yield eng


def _signed_in(eng: Engine) -> tuple[str, User]:
    token, _, person = _signed_in_with_csrf(eng)
    return token, person


def _signed_in_with_csrf(eng: Engine) -> tuple[str, str, User]:
    with Session(eng, expire_on_commit=False) as db:
        person = factories.client(db)
        person.password_hash = hash_password(PASSWORD)
        token, csrf = factories.login_token(db, person)
        db.commit()
    return token, csrf, person


class _Mark:
    """The sessions' write mark of one database."""

    def __init__(self, eng: Engine) -> None:
        marks = write_marks.marks(eng)
        assert marks is not None
        self.marks = marks

    def read(self) -> bytes:
        return self.marks.read(kept_sessions.SESSIONS)


def _look_up(eng: Engine, token: str) -> tuple[AuthSession, User] | None:
    with Session(eng, expire_on_commit=False) as db:
        return sessions.lookup(db, token)


def test_a_second_lookup_reads_nothing_and_gives_the_same_instances(file_db: Engine) -> None:
    token, person = _signed_in(file_db)
    with sent_by(file_db) as first:
        assert _look_up(file_db, token) is not None
    with Session(file_db, expire_on_commit=False) as db, sent_by(file_db) as second:
        found = sessions.lookup(db, token)
        assert found is not None
        auth, user = found
        assert second == []  # kept: not even a connection
        assert user.id == person.id
        assert auth.user_id == person.id
        for obj in (auth, user):
            state = inspect(obj)
            assert state.persistent
            assert state.session is db
            assert not state.modified
    assert len(first) == 1


def test_kept_rows_hold_no_secret_and_an_instance_loads_it_when_asked(file_db: Engine) -> None:
    token, person = _signed_in(file_db)
    _look_up(file_db, token)  # now kept
    (kept,) = kept_sessions.KEPT.values(_Mark(file_db).marks)
    assert "password_hash" not in kept[1]
    assert "totp_secret" not in kept[1]
    assert "preferred_name" in kept[1]
    with Session(file_db, expire_on_commit=False) as db:
        found = sessions.lookup(db, token)
        assert found is not None
        _, user = found
        assert inspect(user).unloaded == {"password_hash", "totp_secret"}
        with sent_by(file_db) as sent:
            assert user.password_hash == person.password_hash  # loaded on first access
        assert len(sent) == 1
        assert not inspect(user).modified


@pytest.mark.parametrize(
    "write",
    [
        "revoke",  # logout, "sign out my other devices"
        "close account",
        "raw SQL",
        "through another engine",  # another worker process's own engine and pool
    ],
)
def test_every_kind_of_write_is_seen_at_the_next_lookup(file_db: Engine, write: str) -> None:
    token, person = _signed_in(file_db)
    assert _look_up(file_db, token) is not None
    assert _look_up(file_db, token) is not None  # kept
    if write == "revoke":
        with Session(file_db) as db:
            (auth,) = db.exec(select(AuthSession).where(AuthSession.user_id == person.id)).all()
            sessions.revoke(db, auth.id)
            db.commit()
    elif write == "close account":
        with Session(file_db) as db:
            stored = db.get(User, person.id)
            assert stored is not None
            stored.is_active = False
            db.commit()
    elif write == "raw SQL":
        with file_db.begin() as conn:
            conn.execute(text("UPDATE auth_session SET revoked_at = expires_at"))
    else:
        other = make_engine(str(file_db.url))
        try:
            with Session(other) as db:
                db.execute(update(User).where(col(User.id) == person.id).values(is_active=False))
                db.commit()
        finally:
            other.dispose()
    assert _look_up(file_db, token) is None


def test_a_changed_name_shows_at_the_next_lookup(file_db: Engine) -> None:
    token, person = _signed_in(file_db)
    _look_up(file_db, token)
    with Session(file_db) as db:
        db.execute(update(User).where(col(User.id) == person.id).values(preferred_name="Robin"))
        db.commit()
    found = _look_up(file_db, token)
    assert found is not None
    assert found[1].preferred_name == "Robin"


def test_the_mark_changes_at_the_write_and_again_when_its_transaction_ends(
    file_db: Engine,
) -> None:
    """Also after a rollback: a lookup in the writer's own transaction could have read the
    row it then rolled back."""
    token, person = _signed_in(file_db)
    mark = _Mark(file_db)
    for ending in ("commit", "rollback"):
        with Session(file_db) as db:
            before = mark.read()
            db.execute(update(User).where(col(User.id) == person.id).values(country="ES"))
            at_write = mark.read()
            assert at_write != before
            db.commit() if ending == "commit" else db.rollback()
            assert mark.read() != at_write
    assert _look_up(file_db, token) is not None


def test_reads_and_writes_to_other_tables_leave_the_mark(file_db: Engine) -> None:
    token, person = _signed_in(file_db)
    mark = _Mark(file_db)
    before = mark.read()
    with Session(file_db) as db:
        db.exec(select(User).where(User.id == person.id)).one()
        db.execute(text("SELECT count(*) FROM auth_session"))
        factories.clinic(db, name="Another clinic")
        db.execute(text("UPDATE organisation SET name = name"))
        db.commit()
    assert mark.read() == before


def test_an_expired_session_is_refused_from_its_kept_row(file_db: Engine) -> None:
    token, _ = _signed_in(file_db)
    _look_up(file_db, token)
    with clock.frozen_at(clock.now() + timedelta(days=400)):
        assert _look_up(file_db, token) is None


def test_a_kept_row_is_read_again_after_its_longest_age(
    file_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, _ = _signed_in(file_db)
    _look_up(file_db, token)
    monkeypatch.setattr(kept_sessions.KEPT, "max_age", 0.0)
    with sent_by(file_db) as sent:
        assert _look_up(file_db, token) is not None
    assert len(sent) == 1


def test_a_session_inside_a_transaction_or_with_changes_reads_the_database(
    file_db: Engine,
) -> None:
    """Its snapshot may predate the mark, and its own unflushed changes must be flushed first."""
    token, person = _signed_in(file_db)
    _look_up(file_db, token)
    with Session(file_db) as db, sent_by(file_db) as sent:
        db.execute(text("SELECT 1"))  # a transaction is open
        assert sessions.lookup(db, token) is not None
        assert len(sent) == 2
    with Session(file_db) as db:
        db.add(User(role=person.role, preferred_name="Pending", email=None))
        with sent_by(file_db) as sent:
            sessions.lookup(db, token)
        assert any("INSERT INTO user_account" in s for s in sent)
        db.rollback()


# Two real worker processes on one database, and this process as a third writer. On SQLite they
# share the mark file, so a change is seen at the very next request; on PostgreSQL each hears of it
# through a notification sent at the commit, within the window app/marks_listener.py describes.

Workers = tuple[str, str, Engine, str]  # the two servers' addresses, this process's engine, dialect


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def two_workers(request: pytest.FixtureRequest) -> Iterator[Workers]:
    data_dir = Path(tempfile.mkdtemp(prefix="gw-kept-"))
    with ExitStack() as stack:
        if request.param == "sqlite":
            db_url = f"sqlite:///{data_dir / 'groundwork.db'}"
        else:
            db_url = stack.enter_context(throwaway_postgres("gw_kept"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("GW_")}
        env.update(
            {
                "GW_ENVIRONMENT": "test",
                "GW_DATA_DIR": str(data_dir),
                "GW_DATABASE_URL": db_url,
                # This process's key: it signs in people by writing their sessions (keyed hashes).
                "GW_SECRET_KEY": get_settings().secret_key,
                "GW_SCHEDULER_ENABLED": "false",
                "GW_SMTP_PORT": "1",
            }
        )
        subprocess.run(
            [sys.executable, "-m", "app", "migrate"], env=env, cwd=ROOT, check=True, timeout=120
        )
        eng = make_engine(db_url)
        stack.callback(eng.dispose)
        first = stack.enter_context(app_process(env, data_dir))
        second = stack.enter_context(app_process(env, data_dir))
        yield first, second, eng, request.param


def _soon(dialect: str, check: Callable[[], bool]) -> None:
    """`check()` holds at once (SQLite), or within the notification's window (PostgreSQL: a
    second at most here, a fraction of a millisecond typically)."""
    deadline = time.monotonic() + (1.0 if dialect == "postgresql" else 0.0)
    while not check():
        assert time.monotonic() < deadline, "the change was not seen in time"
        time.sleep(0.001)


def _browser(url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=url, cookies={"gw_session": token}, timeout=10)


def _me(client: httpx.Client) -> httpx.Response:
    for _ in range(3):  # the first reads and keeps; the rest are served from what is kept
        answer = client.get("/api/v1/me")
    return answer


def test_a_logout_in_one_worker_is_refused_by_the_other_at_once(two_workers: Workers) -> None:
    first, second, eng, dialect = two_workers
    token, csrf, _ = _signed_in_with_csrf(eng)
    with _browser(first, token) as one, _browser(second, token) as two:
        assert _me(one).status_code == 200
        assert _me(two).status_code == 200
        assert one.post("/logout", headers={"X-CSRF-Token": csrf}).status_code == 303
        _soon(dialect, lambda: two.get("/api/v1/me").status_code == 401)
        assert one.get("/api/v1/me").status_code == 401


def test_changes_written_by_a_worker_or_another_process_are_seen_by_both_at_once(
    two_workers: Workers,
) -> None:
    first, second, eng, dialect = two_workers
    token, csrf, person = _signed_in_with_csrf(eng)
    with _browser(first, token) as one, _browser(second, token) as two:
        assert _me(one).json()["language"] == "en"
        assert _me(two).json()["language"] == "en"
        profile = {"name": person.preferred_name, "time_zone": "Europe/Madrid", "country": "ES"}
        changed = one.patch(
            "/api/v1/me", json={**profile, "language": "es"}, headers={"X-CSRF-Token": csrf}
        )
        assert changed.status_code == 200, changed.text
        _soon(dialect, lambda: two.get("/api/v1/me").json()["language"] == "es")
        with Session(eng) as db:  # this process: a third writer, with its own engine
            db.execute(update(User).where(col(User.id) == person.id).values(preferred_name="Ash"))
            db.commit()
        _soon(dialect, lambda: one.get("/api/v1/me").json()["preferred_name"] == "Ash")
        _soon(dialect, lambda: two.get("/api/v1/me").json()["preferred_name"] == "Ash")
        with Session(eng) as db:
            sessions.revoke_all(db, user_id=person.id)
            db.commit()
        _soon(dialect, lambda: one.get("/api/v1/me").status_code == 401)
        _soon(dialect, lambda: two.get("/api/v1/me").status_code == 401)
