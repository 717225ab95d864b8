"""Many concurrent writers on one SQLite file: every read-then-write transaction lands, none fails
with "database is locked", and readers are not blocked behind the writers' queue."""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from app.db import make_engine, open_session
from app.sqlite_writers import WriterTurns
from tests.databases import migrated_sqlite


def test_32_threads_of_read_then_write_transactions_all_succeed() -> None:
    with migrated_sqlite("writers") as engine:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
            conn.execute(text("INSERT INTO counter (id, n) VALUES (1, 0)"))
        errors: list[BaseException] = []

        def writer() -> None:
            try:
                for _ in range(15):
                    session = open_session(write=True, engine=engine)
                    try:
                        # Read, then write from what was read: the pattern that fails at once on a
                        # deferred SQLite transaction when another writer got in between.
                        n = session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                        session.execute(
                            text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1}
                        )
                        session.execute(
                            text(
                                "INSERT INTO login_failure (id, key_hash, at) VALUES (:i, 'k', '2026-01-01')"
                            ),
                            {"i": uuid.uuid4().hex},
                        )
                        session.commit()
                    finally:
                        session.close()
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=writer) for _ in range(32)]
        for thread in threads:
            thread.start()
        # Readers proceed while writers queue.
        reader = open_session(engine=engine)
        assert reader.execute(text("SELECT count(*) FROM counter")).scalar_one() == 1
        reader.close()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        with engine.connect() as conn:
            assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 32 * 15


def _increment(database: str, times: int, threads: int) -> None:
    """One process's writers: read-then-write increments through the app's own engine."""
    engine = make_engine(f"sqlite:///{database}")

    def writer() -> None:
        for _ in range(times):
            with open_session(write=True, engine=engine) as session:
                n = session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})
                session.commit()

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    engine.dispose()


def test_two_processes_of_writers_on_one_file_lose_no_increment(tmp_path: Path) -> None:
    database = tmp_path / "shared.sqlite"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter (id, n) VALUES (1, 0)"))
    spawn = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    processes = [spawn.Process(target=_increment, args=(str(database), 25, 4)) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 2 * 4 * 25
    engine.dispose()


def test_a_process_that_just_wrote_waits_its_turn_behind_one_already_waiting(
    tmp_path: Path,
) -> None:
    # Two WriterTurns on one file have their own descriptors, so their file locks exclude each
    # other exactly as two processes' do.
    database = tmp_path / "turns.sqlite"
    first, second = WriterTurns(database), WriterTurns(database)
    order: list[str] = []
    assert first.acquire(1)

    def other_process() -> None:
        assert second.acquire(5)
        order.append("waiting one")
        time.sleep(0.05)
        second.release()

    waiting = threading.Thread(target=other_process)
    waiting.start()
    time.sleep(0.1)  # the other one is now waiting, holding the turnstile
    first.release()
    assert first.acquire(5)  # asks again at once, yet comes second
    order.append("the one that just wrote")
    first.release()
    waiting.join()
    assert order == ["waiting one", "the one that just wrote"]


def test_a_turn_that_does_not_come_in_time_is_refused_and_leaves_nothing_held(
    tmp_path: Path,
) -> None:
    database = tmp_path / "busy.sqlite"
    holder, late = WriterTurns(database), WriterTurns(database)
    assert holder.acquire(1)
    started = time.monotonic()
    assert not late.acquire(0.05)
    assert time.monotonic() - started < 1
    holder.release()
    assert late.acquire(1)  # nothing of the refused attempt is still held
    late.release()


def test_the_next_writer_gets_its_turn_only_after_the_commit_has_run(tmp_path: Path) -> None:
    """SQLAlchemy's "commit" event runs before the COMMIT: a turn passed on there would let the
    next writer's BEGIN IMMEDIATE find SQLite's lock still held (and, with the busy handler, sleep
    while holding the turn). With the busy handler off, such a writer fails at once."""
    engine = make_engine(f"sqlite:///{tmp_path / 'order.sqlite'}")

    @event.listens_for(engine, "connect")
    def _no_busy_handler(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter (id, n) VALUES (1, 0)"))
    errors: list[BaseException] = []

    def next_writer() -> None:
        try:
            with open_session(write=True, engine=engine) as session:
                session.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
                session.commit()
        except BaseException as exc:  # asserted below
            errors.append(exc)

    others: list[threading.Thread] = []

    @event.listens_for(engine, "commit")
    def _start_the_next_writer_mid_commit(_conn: Any) -> None:
        if others:
            return
        other = threading.Thread(target=next_writer)
        others.append(other)
        other.start()
        # It must still be waiting for its turn (this COMMIT has not run). Slept, not joined with a
        # timeout: under faketime (the shifted-clock run) a timed lock wait never times out.
        for _ in range(30):
            if not other.is_alive():
                break
            time.sleep(0.01)

    with open_session(write=True, engine=engine) as session:
        session.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
        session.commit()
    others[0].join(timeout=10)
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 2
    engine.dispose()
