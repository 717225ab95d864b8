"""Write marks: eight-byte slots that every process using one SQLite database shares, changed
whenever rows a kept answer was built from may have changed, so that a worker can tell without a
read that its kept copy is still current.

A store that keeps something read from the database (kept sessions, kept calm lists) remembers
the slot's value read *before* its read, in a transaction begun after that, and uses the kept
copy only while the slot still holds that value:

- **A write changes its slots twice**: when its statement runs (`changed`) and again when its
  transaction commits or rolls back (including a savepoint's rollback, and a rollback the pool
  does on return). A copy read before the commit was kept under a value the commit's own change
  retires, so the next request after a commit sees it, in every process.
- **Values are random**, never counters: a counter could come back to a value a worker holds.
- **Which slot**: a named one per kind of row (`named`: "sessions", …), changed by an engine
  event on every statement that writes one of its tables (`watch`: ORM flushes, Core and raw SQL
  alike); or one of 65,536 client slots (`of_client`), changed for the clients whose data
  version changes (app/data_version.py). Clients sharing a slot only cost each other a read.
- **Where**: on SQLite, a file beside the database (`<database>-marks`, 512 KB), mapped shared
  into the memory of every process, so reading a slot is a memory load and costs no system call
  (its writers are all on its host, as app/sqlite_writers.py's file locks assume). An in-memory
  database has one process; its marks are in anonymous memory. If the file cannot be opened (the
  volume is missing), `marks` is None: nothing is kept, as nothing can be read.
- **On PostgreSQL**, whose clients may be on many hosts, each process keeps the slots in its own
  memory and hears of other processes' commits through `LISTEN`/`NOTIFY`
  (app/marks_listener.py). A notification arrives a little after its commit, so there a window
  opens that the file does not have: that module measures and bounds it. While a process is not
  listening, `marks` is None.
- **After the commit**, not before: SQLAlchemy's "commit" event runs before the COMMIT itself,
  and a reader between the two would keep the old rows under the new value. So the second change
  runs when the dialect's commit has returned (`_commit_then_change`, this engine's dialect only).

The one window no ordering closes is a process dying between its commit and its second change:
stores therefore also forget what they keep after a minute or so.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import secrets
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import URL, Connection, Engine, Table, event, make_url
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.engine.interfaces import DBAPIConnection, Dialect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.pool import ConnectionPoolEntry, Pool
from sqlmodel import Session

from app.lru import Lru
from app.marks_listener import Listener, commit_and_publish
from app.sqlite_writers import database_file

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

WIDTH = 8
NAMED = 16  # slots for kinds of rows
CLIENTS = 1 << 16  # slots for clients' data
SIZE = (NAMED + CLIENTS) * WIDTH
# Where a connection keeps the slots its open transaction changed, to change them again at its end.
_PENDING = "groundwork.write_marks.pending"
# In a session's info while it holds a transaction on a connection (`reading`).
_CONNECTED = "groundwork.write_marks.connected"


class Marks:
    """The slots of one database: its mark file, mapped shared (SQLite), or this process's memory
    kept current by a `Listener` (PostgreSQL, `listened`; an in-memory SQLite database)."""

    def __init__(self, engine: Engine, *, listened: bool = False) -> None:
        self.listener: Listener | None = None
        path = None if listened else database_file(engine.url.database)
        if path is None:
            self._memory = mmap.mmap(-1, SIZE)
            if listened:
                self.listener = Listener(engine, self.change_some)
        else:
            # As SQLite makes its own files: the umask decides who may open it.
            descriptor = os.open(f"{path}-marks", os.O_RDWR | os.O_CREAT, 0o666)
            try:
                if os.fstat(descriptor).st_size < SIZE:
                    os.ftruncate(descriptor, SIZE)  # zeros: a value like any other
                self._memory = mmap.mmap(descriptor, SIZE)
            finally:
                os.close(descriptor)  # the mapping keeps the file

    def read(self, slot: int) -> bytes:
        start = slot * WIDTH
        return self._memory[start : start + WIDTH]

    def change(self, slots: Iterable[int]) -> None:
        for slot in slots:
            start = slot * WIDTH
            self._memory[start : start + WIDTH] = secrets.token_bytes(WIDTH)

    def change_some(self, slots: Iterable[int] | None) -> None:
        """Change `slots`, or every slot (None)."""
        if slots is None:
            self._memory[:] = secrets.token_bytes(SIZE)
        else:
            self.change(slot for slot in slots if 0 <= slot < NAMED + CLIENTS)

    @property
    def usable(self) -> bool:
        """Whether a store may judge by these marks now: always, but on PostgreSQL only while
        this process hears every other's commits."""
        return self.listener is None or self.listener.listening


# By pool, not engine: the write sessions' engine (`db.write_bind`) is a copy of the engine with
# other options and the same pool, and an in-memory database's marks must be one for both.
_marks: weakref.WeakKeyDictionary[Pool, Marks] = weakref.WeakKeyDictionary()
_marks_lock = threading.Lock()
# PostgreSQL's, by database: one listener a process for each (its engines share the marks).
_listened: dict[str, Marks] = {}
# Table name → the named slots its writes change (`watch`).
_watched: dict[str, frozenset[int]] = {}
_NONE: frozenset[int] = frozenset()


def named(name: str) -> int:
    """The slot of a kind of rows (stable across processes: a hash of the name)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest()) % NAMED


def of_client(client_id: uuid.UUID) -> int:
    """The slot of one client's data (a random id's low bits spread clients evenly)."""
    return NAMED + client_id.int % CLIENTS


def marks(engine: Engine) -> Marks | None:
    """The engine's marks: None while the mark file cannot be opened (SQLite) or while this
    process is not listening (PostgreSQL)."""
    found = _marks_of(engine)
    return found if found is not None and found.usable else None


def _marks_of(engine: Engine) -> Marks | None:
    if engine.dialect.name == "postgresql":
        return _listened_marks(engine)
    if engine.dialect.name != "sqlite":
        return None
    found = _marks.get(engine.pool)
    if found is None:
        with _marks_lock:
            found = _marks.get(engine.pool)
            if found is None:
                try:
                    found = _marks[engine.pool] = Marks(engine)
                except OSError:
                    return None
    return found


def _listened_marks(engine: Engine) -> Marks:
    key = _database(engine.url)
    found = _listened.get(key)
    if found is None:
        with _marks_lock:
            found = _listened.get(key)
            if found is None:
                found = _listened[key] = Marks(engine, listened=True)
    return found


def _database(url: URL) -> str:
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=False)


def wait_until_usable(engine: Engine, timeout: float) -> bool:
    """Open the engine's marks now, and wait until stores may judge by them (on PostgreSQL: until
    this process listens). At start-up, so the first requests find them; and in tests."""
    found = _marks_of(engine)
    if found is None:
        return False
    return found.listener is None or found.listener.wait_until_listening(timeout)


def stop_listening(url: str | URL) -> None:
    """Stop this process's listener for the database at `url`, if it has one (before the
    database is dropped: tests)."""
    with _marks_lock:
        found = _listened.pop(_database(make_url(url)), None)
    if found is not None and found.listener is not None:
        found.listener.stop()


def _forget_listeners_in_child() -> None:
    """A forked child has no listener threads: it starts its own when it first asks."""
    _listened.clear()


os.register_at_fork(after_in_child=_forget_listeners_in_child)


def for_session(session: Session) -> Marks | None:
    """The marks a store may judge this session's reads by: None while the session holds
    unflushed changes (a read would flush them first), and as `marks` says."""
    if session.new or session.dirty or session.deleted:
        return None
    return marks(session.get_bind().engine)


def reading(session: Session) -> bool:
    """Whether the session already holds a transaction on a connection. Then it may *use* a kept
    copy but must not keep what it reads: its snapshot may predate a change the marks show.
    (`Session.in_transaction` is true from the first instance attached, before any connection.)"""
    return _CONNECTED in session.info


@event.listens_for(OrmSession, "after_begin")
def _connected(session: OrmSession, _transaction: Any, _connection: Connection) -> None:
    session.info[_CONNECTED] = True


@event.listens_for(OrmSession, "after_transaction_end")
def _disconnected(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTED, None)


def watch(tables: Iterable[str], slot: int) -> None:
    """Change `slot` on every statement that writes one of `tables` (import time, by the module
    that keeps rows of them)."""
    for table in tables:
        _watched[table] = _watched.get(table, frozenset()) | {slot}


def tables_of(slot: int) -> frozenset[str]:
    """The tables whose writes change a named slot (`watch`)."""
    return frozenset(table for table, slots in _watched.items() if slot in slots)


def changed(conn: Connection, slots: Iterable[int]) -> None:
    """Rows behind `slots` changed in `conn`'s transaction: change the slots now, and again when
    the transaction ends."""
    found = _marks_of(conn.engine)
    if found is None:
        return
    slots = frozenset(slots)
    found.change(slots)
    pending: tuple[Marks, set[int]] | None = conn.info.get(_PENDING)
    if pending is None:
        conn.info[_PENDING] = (found, set(slots))
        _change_after_commits(conn.dialect)
    else:
        pending[1].update(slots)


@dataclass(frozen=True, slots=True)
class _Entry(Generic[V]):
    seen: tuple[bytes, ...]  # the slots' values read before the value's rows were read
    at: float
    value: V


class Kept(Generic[K, V]):
    """Values a worker keeps by key, each under the values of its slots read before the rows it
    was made from: one store per database (by its marks), bounded, forgotten after `max_age`."""

    def __init__(self, size: int, max_age: float) -> None:
        self.size = size
        self.max_age = max_age
        self._stores: weakref.WeakKeyDictionary[Marks, Lru[K, _Entry[V]]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def get(self, marks: Marks, key: K, seen: tuple[bytes, ...]) -> V | None:
        """The kept value, while every slot still holds what it held when the value was read."""
        store = self._stores.get(marks)
        found = None if store is None else store.get(key)
        if found is None or found.seen != seen or time.monotonic() - found.at >= self.max_age:
            return None
        return found.value

    def put(self, marks: Marks, key: K, seen: tuple[bytes, ...], value: V) -> None:
        """Keep `value`, read in a transaction begun after `seen` was read from the slots."""
        store = self._stores.get(marks)
        if store is None:
            with self._lock:
                store = self._stores.setdefault(marks, Lru(self.size))
        store.put(key, _Entry(seen, time.monotonic(), value))

    def through(
        self,
        session: Session,
        key: K,
        slots: tuple[int, ...],
        read: Callable[[], V | None],
        *,
        shape: Callable[[V], V] | None = None,
    ) -> V | None:
        """The value kept for `key` while every one of `slots` still holds what it held before the
        value was read, else `read()`'s, kept for next time unless None (as `shape` makes it, when
        given).

        The rule every store follows: the slots are read *before* the rows, and what a session
        already holding a transaction reads is used but never kept (its snapshot may predate a
        change the slots show). Without marks (PostgreSQL, unflushed changes) it only reads."""
        marks = for_session(session)
        if marks is None:
            return read()
        may_keep = not reading(session)
        seen = tuple(marks.read(slot) for slot in slots)
        kept = self.get(marks, key, seen)
        if kept is not None:
            return kept
        found = read()
        if may_keep and found is not None:
            self.put(marks, key, seen, found if shape is None else shape(found))
        return found

    def values(self, marks: Marks) -> list[V]:
        """Everything kept for one database (tests)."""
        store = self._stores.get(marks)
        return [] if store is None else [entry.value for entry in store._items.values()]

    def forget_all(self) -> None:
        """Forget everything, as a restart would (tests)."""
        with self._lock:
            for store in self._stores.values():
                store.clear()


def _written_slots(statement: str, context: DefaultExecutionContext | None) -> frozenset[int]:
    """The named slots a statement may change (every statement asks, so the common answer, a
    compiled SELECT, comes first). Compiled DML names its table; anything else (raw SQL, DDL) is
    judged by its text, erring towards a change (which costs one read)."""
    if context is not None and not (context.is_text or context.isddl):
        if not (context.isinsert or context.isupdate or context.isdelete):
            return _NONE  # a compiled SELECT
        target = getattr(getattr(context.compiled, "statement", None), "table", None)
        if isinstance(target, Table):
            return _watched.get(target.name, _NONE)
    if statement.lstrip()[:6].upper() == "SELECT":
        return _NONE
    return _NONE.union(*(slots for name, slots in _watched.items() if name in statement))


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(
    conn: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    context: DefaultExecutionContext | None,
    _executemany: bool,
) -> None:
    slots = _written_slots(statement, context)
    if slots:
        changed(conn, slots)


_CHANGES_AFTER_COMMITS = "groundwork_write_marks_after_commits"


def _change_after_commits(dialect: Dialect) -> None:
    """Make `dialect` change a connection's pending slots once its COMMIT has returned (there is
    no engine event after it; this dialect instance only, once). On PostgreSQL the slots are sent
    to every other process with the COMMIT (app/marks_listener.py)."""
    if getattr(dialect, _CHANGES_AFTER_COMMITS, False):
        return
    commit = dialect.do_commit

    def _commit_then_change(dbapi_connection: Any) -> None:
        pending: tuple[Marks, set[int]] | None = dbapi_connection.info.get(_PENDING)
        try:
            if pending is not None and pending[0].listener is not None:
                commit_and_publish(dbapi_connection, pending[0].listener.token, pending[1])
            commit(dbapi_connection)  # after `commit_and_publish`, nothing left to commit
        finally:
            dbapi_connection.info.pop(_PENDING, None)
            if pending is not None:
                pending[0].change(pending[1])

    setattr(dialect, "do_commit", _commit_then_change)  # noqa: B010 (this dialect only)
    setattr(dialect, _CHANGES_AFTER_COMMITS, True)


def _on_rollback(conn: Connection) -> None:
    """A rollback's change may come before it runs (as it does): what it undoes no other
    transaction ever saw, so a copy read meanwhile is current either way."""
    pending: tuple[Marks, set[int]] | None = conn.info.pop(_PENDING, None)
    if pending is not None:
        pending[0].change(pending[1])


def _after_savepoint_rollback(conn: Connection, _name: str, _context: Any) -> None:
    pending: tuple[Marks, set[int]] | None = conn.info.get(_PENDING)
    if pending is not None:
        pending[0].change(pending[1])


def _after_reset(
    _dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _state: Any
) -> None:
    """A transaction the pool rolls back on return (no `rollback` event): change the slots too."""
    pending: tuple[Marks, set[int]] | None = record.info.pop(_PENDING, None)
    if pending is not None:
        pending[0].change(pending[1])


event.listen(Engine, "rollback", _on_rollback)
event.listen(Engine, "rollback_savepoint", _after_savepoint_rollback)
event.listen(Pool, "reset", _after_reset)
