"""Engine, sessions and column types shared by every domain.

SQLite gets WAL, foreign keys, a busy timeout and `BEGIN IMMEDIATE` for write transactions: a deferred
transaction that reads and then writes fails at once with "database is locked" whatever the timeout.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, create_engine

from app import data_version  # noqa: F401  (registers the per-client data version bump)
from app.config import get_settings
from app.sqlite_writers import WriterTurns, database_file

log = logging.getLogger("groundwork.db")

_engine: Engine | None = None

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_field(*, nullable: bool = False, index: bool = False, default: Any = None) -> Any:
    """A `*_at` column: stored in UTC, always aware in Python."""
    kwargs: dict[str, Any] = {"sa_type": UTCDateTime, "nullable": nullable, "index": index}
    if default is not None:
        kwargs["default_factory"] = default
    elif nullable:
        kwargs["default"] = None
    return Field(**kwargs)


# A column that holds a secret (a password hash, a sealed key) says so in its `info`: in-process
# stores that keep rows or digests of rows leave it out (app/accounts/kept_sessions.py,
# app/sections.py), and an instance built from a kept row loads it from the database if asked.
SECRET = "secret"


def secret_field(*, max_length: int) -> Any:
    """A nullable text column holding a secret (see `SECRET`)."""
    return Field(default=None, max_length=max_length, sa_column_kwargs={"info": {SECRET: True}})


def is_secret(column: Any) -> bool:
    return bool(column.info.get(SECRET))


def new_id() -> uuid.UUID:
    return uuid.uuid4()


# Connections beyond the admitted requests' own: the ticker's jobs, readiness probes, the CLI.
RESERVED_CONNECTIONS = 4
# How long a write waits for the process's SQLite write lock. Admission control keeps the queue
# short (docs/architecture.md), so reaching this means the database is stuck: answer 503, not 500.
WRITE_LOCK_WAIT_SECONDS = 10


class WriteLockTimeout(TimeoutError):
    """The SQLite write lock was not free in time; the request is answered 503 + Retry-After."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Connections to a file are cheap; enough for the thread pool plus the ticker.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=16,
            max_overflow=48,
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    # One connection per admitted request (each request has one session) plus a reserve, so the
    # pool never makes an admitted request wait. A lost database fails fast (connect_timeout,
    # pool_timeout) and is answered 503; pre-ping replaces dead connections once it is back.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=get_settings().max_active_requests + RESERVED_CONNECTIONS,
        max_overflow=RESERVED_CONNECTIONS,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
        hide_parameters=True,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (the documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    # SQLite has one writer at a time: writers take turns on `WriterTurns` (app/sqlite_writers.py),
    # held from BEGIN IMMEDIATE until the COMMIT or ROLLBACK has run, in turn across threads and
    # processes, instead of polling with the busy handler's growing sleeps.
    write_lock = WriterTurns(database_file(engine.url.database))
    # The write transactions holding the turn: SQLAlchemy connection id → its DBAPI connection's id.
    holders: dict[int, int] = {}

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode != "IMMEDIATE":
            conn.exec_driver_sql("BEGIN")
            return
        if not write_lock.acquire(WRITE_LOCK_WAIT_SECONDS):
            raise WriteLockTimeout(
                f"waited {WRITE_LOCK_WAIT_SECONDS} s for the database's write lock"
            )
        holders[id(conn)] = id(conn.connection)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _give_up_turn(id(conn))
            raise

    def _give_up_turn(conn_id: int) -> None:
        if holders.pop(conn_id, None) is not None:
            write_lock.release()

    # The turn passes on only after the COMMIT itself: SQLAlchemy's "commit" event runs before it,
    # and a writer let in then would find SQLite's own lock still held and fall back to the busy
    # handler's sleeps (1 ms at least) while holding the turn. So the dialect's commit of this
    # engine gives the turn up when it is done, whether it succeeded or not.
    sqlite_commit = engine.dialect.do_commit

    def _commit_then_pass_turn(dbapi_connection: Any) -> None:
        try:
            sqlite_commit(dbapi_connection)
        finally:
            for conn_id, connection_id in list(holders.items()):
                if connection_id == id(dbapi_connection):
                    _give_up_turn(conn_id)

    setattr(engine.dialect, "do_commit", _commit_then_pass_turn)  # noqa: B010 (this engine only)

    # A rollback (and a commit that never reached the dialect) gives the turn up at once: the
    # connection may already be gone, and the next writer's BEGIN IMMEDIATE waits for SQLite anyway.
    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Any) -> None:
        _give_up_turn(id(conn))


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        settings = get_settings()
        if settings.is_sqlite:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        _engine = make_engine(settings.database_url)
    return _engine


def set_engine(engine: Engine | None) -> None:
    """Swap the engine (tests, the benchmark database)."""
    global _engine
    _engine = engine


def write_bind(engine: Engine) -> Engine:
    """`engine` for write transactions: on SQLite they begin with BEGIN IMMEDIATE."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine


def open_session(*, write: bool = False, engine: Engine | None = None) -> Session:
    """A session whose first statement starts the right kind of transaction: on SQLite, a write
    session begins with BEGIN IMMEDIATE (lazily, at its first statement, not when it is opened)."""
    bind = engine or get_engine()
    return Session(write_bind(bind) if write else bind, expire_on_commit=False)


def reads_never_wait() -> bool:
    """Whether a short read may run on the event loop instead of in a thread.

    True on SQLite: in WAL mode a reader never waits for a writer, the file is local, and the
    pool holds more connections (`make_engine`) than admission control lets requests, jobs and
    probes use at once, so a checkout never waits either. A small indexed read then costs tens
    of microseconds, less than the thread hop that would carry it. False on PostgreSQL: every
    statement is a network round trip, and the server may be slow or gone."""
    return get_engine().dialect.name == "sqlite"


def begin_write(session: Session) -> None:
    """End the session's read transaction and start a short write one now, in this thread (a
    dependency that must write, e.g. recording a session's use; it commits before returning)."""
    session.commit()
    if isinstance(session.bind, Engine) and session.bind.dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


@contextmanager
def write_session() -> Iterator[Session]:
    """For jobs and the CLI: one write transaction, committed by the caller's service."""
    session = open_session(write=True)
    try:
        yield session
    finally:
        session.close()


_request_session: ContextVar[Session | None] = ContextVar("request_session", default=None)


def request_session() -> Session | None:
    """The session `get_session` opened for this request, if any: the endpoint wrapper
    (app/transactions.py) finds it here, since the endpoint may not declare it (its thread
    inherits the request's context)."""
    return _request_session.get()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Per-request session. Services commit before they return: never commit after `yield` here,
    because that can run after the response has gone and lose a write the phone was told was saved.

    Its transactions begin deferred (reads); the endpoint's own transaction becomes a write one
    in the endpoint's thread (app/transactions.py), so no lock is held across thread hops.

    `async` so opening and closing cost no threadpool hops: opening does no I/O (the connection is
    checked out at the first statement, inside the route's thread) and closing only hands the
    connection back to the pool (a rollback on a local socket: microseconds)."""
    del request
    session = open_session()
    _request_session.set(session)
    try:
        yield session
    finally:
        try:
            session.close()
        except SQLAlchemyError as exc:
            # The connection died under us (the database restarted): the pool discards it, and
            # the request has already been answered (503 by app/unavailable.py, if it failed).
            # The class only: a driver's message can quote a statement's parameters.
            log.warning("could not close a database session: %s", type(exc).__name__)


SessionDep = Annotated[Session, Depends(get_session)]
