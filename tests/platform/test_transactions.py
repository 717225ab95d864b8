"""A request's write transaction begins and ends in the endpoint's own thread (app/transactions.py):
the SQLite write lock is never held while the request waits for another thread."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app import db
from app.accounts import kept_sessions
from app.db import open_session, set_engine
from app.transactions import brief_read, wrap_endpoint
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite, skip_or_fail_without_postgres


@pytest.fixture
def real_sqlite() -> Iterator[Engine]:
    """The app on its own SQLite file with its real per-request sessions (no test override)."""
    previous = db._engine
    with migrated_sqlite("transactions") as engine:
        set_engine(engine)
        try:
            yield engine
        finally:
            set_engine(previous)


def _client_with_habit(engine: Engine, app: FastAPI) -> tuple[TestClient, str, str]:
    with open_session(write=True, engine=engine) as session:
        person = factories.client(session)
        token, csrf = factories.login_token(session, person)
        session.commit()
    client = TestClient(app, base_url="http://testserver")
    client.cookies.set("gw_session", token)
    habit = client.post(
        "/api/v1/habits", json={"ladder": "water", "level": 1}, headers={"X-CSRF-Token": csrf}
    )
    assert habit.status_code == 201, habit.text
    return client, csrf, habit.json()["id"]


def _check_in(client: TestClient, csrf: str, habit_id: str) -> Any:
    return client.post(
        f"/api/v1/habits/{habit_id}/check-ins",
        json={"id": str(uuid.uuid4()), "outcome": "done"},
        headers={"X-CSRF-Token": csrf},
    )


def test_a_write_requests_transaction_begins_and_ends_in_one_thread(
    real_sqlite: Engine, app: FastAPI
) -> None:
    client, csrf, habit_id = _client_with_habit(real_sqlite, app)
    spans: list[tuple[str, int]] = []

    @event.listens_for(real_sqlite, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        spans.append((f"begin {mode}", threading.get_ident()))

    @event.listens_for(real_sqlite, "commit")
    def _commit(_conn: Any) -> None:
        spans.append(("end", threading.get_ident()))

    @event.listens_for(real_sqlite, "rollback")
    def _rollback(_conn: Any) -> None:
        spans.append(("end", threading.get_ident()))

    try:
        answer = _check_in(client, csrf, habit_id)
    finally:
        event.remove(real_sqlite, "begin", _begin)
        event.remove(real_sqlite, "commit", _commit)
        event.remove(real_sqlite, "rollback", _rollback)
    assert answer.status_code == 201
    writes = [i for i, (what, _) in enumerate(spans) if what == "begin IMMEDIATE"]
    assert writes, f"the check-in must be written in a write transaction: {spans}"
    assert spans[0][0] == "begin DEFERRED", "the principal is looked up by a read"
    for start in writes:
        end = next(i for i in range(start + 1, len(spans)) if spans[i][0] == "end")
        assert spans[end][1] == spans[start][1], f"the write lock crossed threads: {spans}"


def test_an_endpoint_that_fails_releases_the_write_lock_in_its_own_thread(
    real_sqlite: Engine, app: FastAPI
) -> None:
    client, csrf, habit_id = _client_with_habit(real_sqlite, app)
    answer = client.post(
        f"/api/v1/habits/{habit_id}/check-ins",
        json={"id": str(uuid.uuid4()), "outcome": "done", "on": "2000-01-03"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422  # refused by the service, inside the write transaction
    # The lock is free at once: a write from this thread does not wait for it.
    with open_session(write=True, engine=real_sqlite) as session:
        factories.clinic(session)
        session.commit()


@pytest.fixture(params=["sqlite", "postgres"])
def real_database(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The app on a database of its own, either kind, with its real per-request sessions."""
    if request.param == "postgres":
        skip_or_fail_without_postgres()
    previous = db._engine
    fresh = migrated_sqlite("brief") if request.param == "sqlite" else migrated_postgres()
    with fresh as engine:
        set_engine(engine)
        try:
            yield engine
        finally:
            set_engine(previous)


def test_a_write_goes_on_in_the_dependencies_transaction_only_on_postgresql(
    real_database: Engine, app: FastAPI
) -> None:
    """SQLite: the loader's read ends before the write begins IMMEDIATE (its own kind of
    transaction). PostgreSQL: one transaction from the loader's read to the write's commit, which
    saves a COMMIT, a checkout and a BEGIN (READ COMMITTED: nothing read changes meaning)."""
    client, csrf, habit_id = _client_with_habit(real_database, app)
    _check_in(client, csrf, habit_id)  # the principal kept: the loader's read begins
    ends: list[str] = []
    listeners: list[tuple[str, Callable[..., None]]] = [
        ("begin", lambda _conn: ends.append("begin")),
        ("commit", lambda _conn: ends.append("commit")),
        ("rollback", lambda _conn: ends.append("rollback")),
    ]
    for name, listener in listeners:
        event.listen(real_database, name, listener)
    try:
        assert _check_in(client, csrf, habit_id).status_code == 201
    finally:
        for name, listener in listeners:
            event.remove(real_database, name, listener)
    if real_database.dialect.name == "sqlite":
        assert ends == ["begin", "commit", "begin", "commit"]
    else:
        assert ends == ["begin", "commit"]


def _on_the_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _where_statements_ran(engine: Engine, client: TestClient, path: str) -> list[bool]:
    """For each statement a GET of `path` runs: whether it ran on the event loop's thread."""
    ran: list[bool] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(*_args: Any) -> None:
        ran.append(_on_the_event_loop())

    try:
        answer = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", _record)
    assert answer.status_code == 200, answer.text
    assert ran, f"{path} ran no statement"
    return ran


def test_brief_reads_run_on_the_event_loop_only_where_reads_never_wait(
    real_database: Engine, app: FastAPI
) -> None:
    """SQLite: the ranked calm list (`brief_read`) runs its statements, and every
    request its principal lookup, on the event loop, with no thread hop. PostgreSQL: every
    statement is a network round trip and runs in a thread."""
    client, _csrf, _habit = _client_with_habit(real_database, app)
    sqlite = real_database.dialect.name == "sqlite"
    ran = _where_statements_ran(real_database, client, "/api/v1/calm/suggestions?level=7")
    assert ran == [sqlite] * len(ran), ran
    # Not marked brief: the principal on the loop (SQLite), the endpoint's own reads in a thread.
    kept_sessions.forget_all()  # else the principal comes from the row kept above: no statement
    ran = _where_statements_ran(real_database, client, "/api/v1/habits")
    assert ran[0] is sqlite
    assert not ran[-1], f"an endpoint not marked brief ran on the event loop: {ran}"


def _run_on_a_loop_of_its_own(endpoint: Callable[[], Coroutine[Any, Any, Any]]) -> None:
    """`asyncio.run` in a thread of its own: the test's thread may already run a loop."""
    done = threading.Thread(target=lambda: asyncio.run(endpoint()))
    done.start()
    done.join()


def test_a_write_endpoint_marked_brief_still_runs_in_a_thread() -> None:
    """A write may wait for the writer's turn: it never runs on the event loop."""
    threads: list[bool] = []

    @brief_read
    def endpoint() -> None:
        threads.append(_on_the_event_loop())

    _run_on_a_loop_of_its_own(wrap_endpoint(endpoint, write=True))
    _run_on_a_loop_of_its_own(wrap_endpoint(endpoint, write=False))
    assert threads == [False, db.reads_never_wait()]
