"""Many concurrent writers on one SQLite file: every read-then-write transaction lands, none fails
with "database is locked", and readers are not blocked behind the writers' queue."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import text

from app.db import open_session
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
