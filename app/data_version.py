"""A per-client data version, changed in the same transaction as any change to the client's rows
that a kept view reads: the caseload dashboard's rows (`app/progress/row_cache.py`,
docs/progress.md), the client's Today sections (`app/sections.py`) and their ranked calm lists
(`app/coping/kept_lists.py`).

The version is a random 63-bit token, not a counter: a counter restarts after a rolled-back
transaction or on a fresh database with the same client ids (tests, demo data) and could repeat a
value an in-process cache still holds; a random token never matches an old entry by accident.
A client without a row has not changed since the table was made, which is just as much a version.

One place bumps it: a `before_flush` listener on every ORM session, for new, changed and deleted
objects of the watched tables (`watched()`, declared by each table's model) (a row's own `client_id`, or its parent's through a foreign key:
a habit level through its habit). ORM-enabled bulk `update()`/`delete()` of a watched table run
through `Session.execute` are caught too (`do_orm_execute`: the affected clients are read with the
statement's own WHERE first). A raw write outside the session must call `bump` itself.

A bump also changes the client's write mark (app/write_marks.py): a store in process memory (the
kept calm lists, app/coping/kept_lists.py) judges its copy by that, with no read at all.
"""

from __future__ import annotations

import functools
import secrets
import uuid
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Executable, Table, bindparam, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Session, SQLModel, col

from app import prebuilt, write_marks

# A table whose writes bump the version says so itself, in its model: `__table_args__ =
# data_version.watched(...)` puts this key in the table's `info`. Every table a cached dashboard
# signal, a kept Today section or a kept calm list reads is one (tests/progress/test_row_cache.py,
# tests/home/test_today_memo.py and tests/coping/test_kept_lists.py check the statements). `user_account` is not: names and time zones
# are read on every request, and the caches key on what they show of it.
WATCHED_KEY = "client_data_version"


def watched(*table_args: Any) -> tuple[Any, ...]:
    """`__table_args__` for a table a kept view reads (the dashboard's rows, Today's sections):
    its writes bump the client's version. The domain that owns the table declares it beside the
    table, not in a shared list."""
    return (*table_args, {"info": {WATCHED_KEY: True}})


def is_watched(table: Table) -> bool:
    return bool(table.info.get(WATCHED_KEY))


def watched_tables() -> frozenset[str]:
    """The names of every watched table of the loaded models."""
    return frozenset(t.name for t in SQLModel.metadata.tables.values() if is_watched(t))


class ClientDataVersion(SQLModel, table=True):
    """No foreign key: a client and their first rows are often inserted in the same flush, after
    the bump has run."""

    __tablename__ = "client_data_version"

    client_id: uuid.UUID = Field(primary_key=True)
    version: int = Field(sa_column=Column(BigInteger, nullable=False))


def new_token() -> int:
    return secrets.randbits(63)


def bump(session: Session | OrmSession, client_ids: Iterable[uuid.UUID]) -> None:
    """Give these clients a new version in the session's transaction (call after a raw write)."""
    ids = sorted(set(client_ids))  # one lock order, so two writers cannot deadlock on PostgreSQL
    if not ids:
        return
    token = new_token()
    connection = session.connection()
    connection.execute(
        _upsert(connection.dialect.name), [{"client_id": cid, "version": token} for cid in ids]
    )
    # And each client's write mark, so a store can see the change without reading the version.
    write_marks.changed(connection, [write_marks.of_client(cid) for cid in ids])


@functools.cache
def _upsert(dialect_name: str) -> Executable:
    """The upsert, built once per dialect: every write to a watched table runs it, and building
    it (coercing the columns and values) cost more than running it (issue #19). Rows are sent as
    parameters, in the order given, and each takes the version it brings."""
    table: Table = ClientDataVersion.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    if dialect_name == "postgresql":
        pg = postgresql.insert(table)
        return pg.on_conflict_do_update(
            index_elements=["client_id"], set_={"version": pg.excluded.version}
        )
    lite = sqlite.insert(table)
    return lite.on_conflict_do_update(
        index_elements=["client_id"], set_={"version": lite.excluded.version}
    )


def versions(session: Session, client_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The current version of each client that has one (absent: never changed since)."""
    if not client_ids:
        return {}
    rows = session.execute(
        select(col(ClientDataVersion.client_id), col(ClientDataVersion.version)).where(
            col(ClientDataVersion.client_id).in_(list(client_ids))
        )
    ).all()
    return {cid: version for cid, version in rows}  # noqa: C416  (typed)


_VERSION_OF = select(col(ClientDataVersion.version)).where(
    col(ClientDataVersion.client_id) == bindparam("client_id")
)


def version_of(session: Session, client_id: uuid.UUID) -> int:
    """One client's current version (0: never changed since the table was made), through a
    statement built once: the client's Today asks on every view (`app/sections.py`)."""
    return int(prebuilt.scalar(session, _VERSION_OF, client_id=client_id) or 0)


def _parent(table: Table) -> tuple[str, Table] | None:
    """(column, parent table) for a watched table without its own client_id."""
    for column in table.columns:
        for fk in column.foreign_keys:
            if "client_id" in fk.column.table.c:
                return column.key, fk.column.table
    return None


def _changed_clients(session: OrmSession) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    pending: dict[tuple[str, Any], Any] = {}
    lookups: dict[Table, set[Any]] = {}
    objects = [*session.new, *session.deleted]
    objects += [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    for obj in objects:
        table = getattr(obj, "__table__", None)
        if table is None or not is_watched(table):
            continue
        if "client_id" in table.c:
            # The old owner too, should a row ever move between clients.
            found.update(_current_and_old(obj, "client_id"))
            continue
        parent = _parent(table)
        if parent is not None:
            for parent_id in _current_and_old(obj, parent[0]):
                lookups.setdefault(parent[1], set()).add(parent_id)
    for obj in session.new:
        table = getattr(obj, "__table__", None)
        if table is not None and table in lookups:
            pending[(table.name, getattr(obj, "id", None))] = getattr(obj, "client_id", None)
    for table, ids in lookups.items():
        missing = []
        for parent_id in ids:
            cid = pending.get((table.name, parent_id))
            if cid is not None:
                found.add(cid)
            else:
                missing.append(parent_id)
        if missing:
            rows = session.connection().execute(
                select(table.c.client_id).where(table.c.id.in_(missing))
            )
            found.update(cid for (cid,) in rows)
    return found


def _current_and_old(obj: Any, key: str) -> set[Any]:
    history = inspect(obj).attrs[key].history
    values = {getattr(obj, key, None), *history.deleted}
    return {v for v in values if v is not None}


@event.listens_for(OrmSession, "before_flush")
def _bump_on_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        changed = _changed_clients(session)
    if changed:
        bump(session, changed)


@event.listens_for(OrmSession, "do_orm_execute")
def _bump_on_bulk(state: ORMExecuteState) -> None:
    """A bulk UPDATE/DELETE of a watched table: bump the clients its WHERE selects (read first,
    in the same transaction, so a DELETE's rows are still there)."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or not is_watched(table):
        return
    where = state.statement.whereclause  # type: ignore[attr-defined]  # is_update/is_delete above: an Update or Delete, both have one
    if "client_id" in table.c:
        query = select(table.c.client_id).distinct()
    else:
        parent = _parent(table)
        if parent is None:
            return
        key, owner = parent
        query = (
            select(owner.c.client_id)
            .select_from(table)
            .join(owner, owner.c.id == table.c[key])
            .distinct()
        )
    if where is not None:
        query = query.where(where)
    ids = [cid for (cid,) in state.session.connection().execute(query)]
    bump(state.session, ids)
