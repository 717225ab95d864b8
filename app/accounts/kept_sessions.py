"""Signed-in sessions kept in process, so most requests find theirs without the database.

Every signed-in request looks its session and account up. It is one indexed read, but through
the pool and the ORM it was the largest part of the signed-in floor (issue #19: about a third of
`/api/v1/me`; docs/benchmarks.md, "Kept sessions"). So a worker keeps the rows it read, by the
token's hash, and uses them again while nothing in `auth_session` or `user_account` can have
changed, in any process:

- **The mark.** Every statement that writes either table changes a shared 8-byte mark (random
  bytes, never a counter, so it cannot come back to a value a worker holds), when the statement
  runs and again when its transaction commits or rolls back (`_note_write`, `_after_end`). A kept
  row is used only while the mark is still the one read *before* the row was read, in a
  transaction begun after that. A logout, a revoked device, a closed account, a role or language
  change is therefore seen by every worker at its next request, as before: a row read before the
  commit was kept under a mark that the commit's own change retires.
- **Every write is seen**: the mark is changed by an engine event on every statement SQLAlchemy
  sends (ORM flushes, Core updates such as `sessions.revoke`, raw SQL alike), so no write path
  can forget to.
- **Where the mark lives**: a file beside the database (`<database>-sessions.mark`), mapped into
  the memory of every process that opens the database, so reading it costs no system call. Only
  on SQLite, whose writers are all on its host (as app/sqlite_writers.py's file locks assume).
  A PostgreSQL server may serve many hosts, so there every request reads its session, as before.
  An in-memory database has one process; its mark is in anonymous memory.
- **What is kept**: both rows' columns except secrets (`db.is_secret`: the password hash, the
  sealed TOTP secret). An instance built from a kept row has those expired, so it loads them if
  it is ever asked. Each request still gets its own instances in its own session.
- **When not**: a session already in a transaction, or holding unflushed changes, reads the
  database (its snapshot may predate the mark). A kept row is also forgotten after `MAX_AGE`: the
  one window no ordering closes is a process dying between its commit and its mark change.
"""

from __future__ import annotations

import functools
import mmap
import os
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, TextClause, event
from sqlalchemy.engine.interfaces import DBAPIConnection, ExecutionContext
from sqlalchemy.pool import ConnectionPoolEntry, Pool
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlmodel import Session

from app.db import is_secret
from app.lru import Lru
from app.sqlite_writers import database_file

# The tables a kept row comes from: a write to either retires every kept row.
TABLES = frozenset({"auth_session", "user_account"})
# How many sessions a worker keeps (about 2 KB each), and for how long at most.
SIZE = 4096
MAX_AGE = 60.0
# Where a connection that wrote one of TABLES keeps the mark to change when its transaction ends.
_WROTE = "groundwork.kept_sessions.wrote"

Values = dict[str, Any]
Rows = tuple[Values, Values]  # the session's columns, the account's columns


class Mark:
    """Eight bytes every process using the database sees: the file beside it, mapped shared."""

    def __init__(self, engine: Engine) -> None:
        path = database_file(engine.url.database)
        if path is None:
            self._memory = mmap.mmap(-1, 8)
        else:
            descriptor = os.open(
                f"{path}-sessions.mark", os.O_RDWR | os.O_CREAT, 0o666
            )  # as SQLite makes its own files: the umask decides
            try:
                if os.fstat(descriptor).st_size < 8:
                    os.ftruncate(descriptor, 8)  # zeros: a mark like any other
                self._memory = mmap.mmap(descriptor, 8)
            finally:
                os.close(descriptor)  # the mapping keeps the file

    def read(self) -> bytes:
        return self._memory[:8]

    def change(self) -> None:
        self._memory[:8] = secrets.token_bytes(8)


@dataclass(frozen=True, slots=True)
class _Kept:
    mark: bytes
    at: float
    rows: Rows


class _Store:
    def __init__(self, engine: Engine) -> None:
        self.mark = Mark(engine)
        self.rows: Lru[str, _Kept] = Lru(SIZE)


# By pool, not engine: the write sessions' engine (`db.write_bind`) is a copy of the engine with
# other options and the same pool, and an in-memory database's mark must be one for both.
_stores: weakref.WeakKeyDictionary[Pool, _Store] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def _store(engine: Engine) -> _Store | None:
    """The engine's store; None while its mark's file cannot be opened (the database's volume
    is missing: then the database cannot be read or written either, and nothing is kept)."""
    found = _stores.get(engine.pool)
    if found is None:
        with _stores_lock:
            found = _stores.get(engine.pool)
            if found is None:
                try:
                    found = _stores[engine.pool] = _Store(engine)
                except OSError:
                    return None
    return found


def forget_all() -> None:
    """Forget every kept row in this process, as a restart would (tests)."""
    with _stores_lock:
        for store in _stores.values():
            store.rows.clear()


def rows(
    session: Session,
    token_hash: str,
    read: Callable[[Session, str], Rows | None],
    models: tuple[type, type],
) -> Rows | None:
    """The session's and account's columns for `token_hash` (`models`: their two classes): kept
    ones while the mark has not changed since they were read, else `read(session, token_hash)`'s,
    kept for next time without their secrets."""
    store = _usable_store(session)
    if store is None:
        return read(session, token_hash)
    mark = store.mark.read()  # before the read below: see the module's docstring
    kept = store.rows.get(token_hash)
    if kept is not None and kept.mark == mark and time.monotonic() - kept.at < MAX_AGE:
        return kept.rows
    found = read(session, token_hash)
    if found is not None:
        kept_rows = (_without_secrets(models[0], found[0]), _without_secrets(models[1], found[1]))
        store.rows.put(token_hash, _Kept(mark, time.monotonic(), kept_rows))
    return found


def secrets_left_out(model: type, values: Values) -> list[str]:
    """The secret columns of `model` that `values` lacks: an instance built from it expires them."""
    return [key for key in _secret_keys(model) if key not in values]


def _usable_store(session: Session) -> _Store | None:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or session.in_transaction():
        return None
    if session.new or session.dirty or session.deleted:
        return None
    return _store(bind.engine)


@functools.cache
def _secret_keys(model: type) -> tuple[str, ...]:
    table: Table = model.__table__  # type: ignore[attr-defined]  # a SQLModel table
    return tuple(c.key for c in table.columns if is_secret(c))


def _without_secrets(model: type, values: Values) -> Values:
    secret = _secret_keys(model)
    return {key: value for key, value in values.items() if key not in secret}


def _writes_kept_table(statement: str, context: ExecutionContext | None) -> bool:
    """Whether a statement may change a row of TABLES. Compiled DML names its table; anything
    else (raw SQL, DDL) is judged by its text, erring towards a change (which costs one read)."""
    compiled = getattr(context, "compiled", None)
    element = getattr(compiled, "statement", None)
    target = getattr(element, "table", None)
    if isinstance(target, Table):  # compiled INSERT, UPDATE, DELETE
        return target.name in TABLES
    if element is not None and not isinstance(element, TextClause | ExecutableDDLElement):
        return False  # a compiled SELECT
    return statement.lstrip()[:6].upper() != "SELECT" and any(name in statement for name in TABLES)


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(
    conn: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    context: ExecutionContext | None,
    _executemany: bool,
) -> None:
    if conn.dialect.name != "sqlite" or not _writes_kept_table(statement, context):
        return
    store = _store(conn.engine)
    if store is not None:
        store.mark.change()
        conn.info[_WROTE] = store.mark


def _after_end(conn: Connection) -> None:
    mark = conn.info.pop(_WROTE, None)
    if mark is not None:
        mark.change()


def _after_savepoint_rollback(conn: Connection, _name: str, _context: Any) -> None:
    mark = conn.info.get(_WROTE)
    if mark is not None:
        mark.change()


def _after_reset(
    _dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _state: Any
) -> None:
    """A transaction the pool rolls back on return (no `rollback` event): change the mark too."""
    mark = record.info.pop(_WROTE, None)
    if mark is not None:
        mark.change()


event.listen(Engine, "commit", _after_end)
event.listen(Engine, "rollback", _after_end)
event.listen(Engine, "rollback_savepoint", _after_savepoint_rollback)
event.listen(Pool, "reset", _after_reset)
