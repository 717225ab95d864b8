"""Write marks on PostgreSQL: each process keeps the slots in its own memory, and learns of other
processes' commits through PostgreSQL's `LISTEN`/`NOTIFY` (app/write_marks.py says what the marks
are for).

A PostgreSQL server may serve many hosts, so no file beside it can carry the marks. Instead:

- **A writer publishes** the slots its transaction changed with `NOTIFY`, sent with its `COMMIT`
  in one round trip (`commit_and_publish`). PostgreSQL delivers a notification only if its
  transaction commits, and only after the commit: never early.
- **Every process listens** (`Listener`): a thread holds one connection of its own, outside the
  pool, and changes the named slots as each notification arrives. A process skips its own (it
  changed its slots itself, when its commit returned).
- **While not listening** (starting up, the connection lost, the server gone) the marks are not
  `listening`, so stores keep nothing and read every time; when the listener is back, every slot
  changes at once, for what it may have missed.

**The window.** Unlike the shared file on SQLite, a notification arrives a little after the
commit that sends it: for that long, another process may still use what it kept from before the
commit. Measured here it is well under a millisecond on one host (tests/platform/
test_write_marks.py and docs/operations.md, "Write marks"); a listener starved of the CPU can
stretch it, and a silent loss of the server (no reset from its host) is noticed at the next ping,
`PING_SECONDS` at most. Kept values are also forgotten after a minute, as on SQLite.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Collection
from typing import Any, cast

import psycopg
from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection

log = logging.getLogger("groundwork.db")

CHANNEL = "groundwork_write_marks"
EVERY = "*"  # a notification that changes every slot
# A notification's payload must stay under 8,000 bytes: at most this many slots are listed, and
# a transaction that changed more changes every slot instead (a bulk import, a clinic's move).
MOST_LISTED = 1000
# How long the listener waits for a notification before it checks that it should go on.
WAKE_SECONDS = 1.0
# How often an idle listener asks its server whether it is still there.
PING_SECONDS = 5.0
# Waits between attempts to listen again, doubling from the first up to the last.
RETRY_FIRST_SECONDS = 0.1
RETRY_MOST_SECONDS = 5.0
# How often a pause or a wait for the listener looks again.
POLL_SECONDS = 0.005

Change = Callable[[Collection[int] | None], None]  # the slots to change; None: every slot


def payload(token: str, slots: Collection[int]) -> str:
    """What a writer sends: its process's token, then the slots (or `EVERY`)."""
    listed = EVERY if len(slots) > MOST_LISTED else ",".join(map(str, sorted(slots)))
    return f"{token} {listed}"


def parse(text: str) -> tuple[str, Collection[int] | None]:
    """(the sender's token, the slots it changed; None: every slot). A payload this module did
    not write changes every slot: erring that way costs only reads."""
    token, _, listed = text.partition(" ")
    if listed == EVERY:
        return token, None
    try:
        return token, [int(slot) for slot in listed.split(",")]
    except ValueError:
        return token, None


def commit_and_publish(
    dbapi_connection: DBAPIConnection, token: str, slots: Collection[int]
) -> None:
    """Send the slots a transaction changed, and commit it, in one round trip: `NOTIFY` queues the
    notification in the transaction, and the `COMMIT` after it delivers it. Through a DBAPI cursor
    (no engine events), never prepared (two statements); the payload is this module's own text
    (a hex token, digits and commas), so it is written into the statement."""
    cursor = cast("psycopg.Cursor[Any]", dbapi_connection.cursor())  # the psycopg dialect's
    try:
        cursor.execute(f"NOTIFY {CHANNEL}, '{payload(token, slots)}'; COMMIT", prepare=False)
    finally:
        cursor.close()


class Listener:
    """A thread that listens for other processes' marks on one database, for as long as the
    process lives or until `stop`."""

    def __init__(self, engine: Engine, change: Change) -> None:
        self.token = secrets.token_hex(8)
        self.received = 0  # notifications from other processes (tests)
        self.backend_pid: int | None = None  # the server process that serves its connection
        self._connect_args = engine.dialect.create_connect_args(engine.url)
        self._change = change
        self._listening = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="write-marks", daemon=True)
        self._thread.start()

    @property
    def listening(self) -> bool:
        """Whether every commit elsewhere reaches this process (else stores keep nothing)."""
        return self._listening.is_set()

    def wait_until_listening(self, timeout: float) -> bool:
        """Whether it listens within `timeout` seconds (polled: see `_pause`)."""
        deadline = time.monotonic() + timeout
        while not self._listening.is_set():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)
        return True

    def stop(self) -> None:
        """Stop listening (within `WAKE_SECONDS`), e.g. before the database is dropped."""
        self._stopped.set()
        self._listening.clear()

    def _connect(self) -> psycopg.Connection:
        args, params = self._connect_args
        return psycopg.connect(*args, **params, autocommit=True, connect_timeout=3)

    def _run(self) -> None:
        delay = RETRY_FIRST_SECONDS
        while not self._stopped.is_set():
            try:
                with self._connect() as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.backend_pid = connection.info.backend_pid
                    self._change(None)  # whatever was committed while nobody listened
                    self._listening.set()
                    delay = RETRY_FIRST_SECONDS
                    self._listen(connection)
            except psycopg.Error as error:
                if delay == RETRY_FIRST_SECONDS and not self._stopped.is_set():  # once an outage
                    log.warning("write marks: not listening (%s)", type(error).__name__)
            finally:
                if self._listening.is_set():
                    self._listening.clear()
                    self._change(None)  # notifications may be missed from now on
            self._pause(delay)
            delay = min(delay * 2, RETRY_MOST_SECONDS)

    def _pause(self, seconds: float) -> None:
        """Sleep, waking early to stop. Short sleeps rather than `Event.wait(timeout)`: a timed
        wait on a lock never ends under libfaketime's shifted clock (`make test-shifted-clock`),
        which fakes the monotonic clock the deadline is computed from but not the wait itself."""
        deadline = time.monotonic() + seconds
        while not self._stopped.is_set() and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)

    def _listen(self, connection: psycopg.Connection) -> None:
        idle = 0.0
        while not self._stopped.is_set():
            heard = False
            for notification in connection.notifies(timeout=WAKE_SECONDS):
                heard = True
                token, slots = parse(notification.payload)
                if token != self.token:
                    self.received += 1
                    self._change(slots)
            idle = 0.0 if heard else idle + WAKE_SECONDS
            if idle >= PING_SECONDS:  # a server lost without a word shows here, as an error
                connection.execute("SELECT 1")
                idle = 0.0
