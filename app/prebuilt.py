"""Run a statement built once, at import, through Core: how the hot pages read (Today first).

Today is the page a client opens most, and most of its cost was SQLAlchemy, not the database:
building a `select()` (coercing every column and comparison) costs more than running it, and the
ORM's execution path adds a loading context even for plain columns (measured on the bench data:
~470 µs to build and run a one-column ORM select, ~95 µs to run the same statement built once
through Core, ~5 µs in sqlite3 itself). So each section builds its statements once, with named
`bindparam`s, and runs them here. SQLAlchemy's compiled cache then hits every time; the types of
the compared columns still convert the parameters and results (UUIDs, dates, UTC datetimes), so
this works the same on SQLite and PostgreSQL.

Statements built once must not capture per-request values: every value goes in as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import CursorResult, Executable, Row
from sqlalchemy.orm import attributes, class_mapper, make_transient_to_detached
from sqlmodel import Session, SQLModel

AnyRow: TypeAlias = Row[*tuple[Any, ...]]  # columns by name or position, any number
Model = TypeVar("Model", bound=SQLModel)


def _execute(
    session: Session, statement: Executable, params: dict[str, Any]
) -> CursorResult[*tuple[Any, ...]]:
    """Run on the session's connection, flushing pending ORM changes first as an ORM select
    would (Core skips the session's autoflush; with nothing pending the flush is a no-op)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def rows(session: Session, statement: Executable, **params: Any) -> Sequence[AnyRow]:
    """All rows of a prebuilt statement, in the session's transaction."""
    return _execute(session, statement, params).all()


def first(session: Session, statement: Executable, **params: Any) -> AnyRow | None:
    """The first row of a prebuilt statement, or None."""
    return _execute(session, statement, params).first()


def scalar(session: Session, statement: Executable, **params: Any) -> Any:
    """The first column of the first row of a prebuilt statement, or None."""
    return _execute(session, statement, params).scalar()


# ORM instances for rows read here, built as the ORM's loader builds them: a select's loading path,
# or `Model(...)` with its per-attribute events, cost more than the statement (the principal, a
# check-in's habit and its answer: docs/benchmarks.md, "Check-in write, session 16").


def transient(model: type[Model], values: Mapping[str, object]) -> Model:
    """An instance in no session holding `values`: `new_instance`, then its state dict, as the
    loader does; the attributes `model(**values)` would have, without its per-attribute events."""
    instance: Model = class_mapper(model).class_manager.new_instance()
    attributes.instance_dict(instance).update(values)
    return instance


def persistent(session: Session, model: type[Model], values: Mapping[str, object]) -> Model:
    """The instance for a row, as an ORM select leaves it: the one `session` already holds (a
    select never overwrites a loaded instance), else a new one, persistent and unmodified, so
    that what a service then changes on it is flushed as an UPDATE. Columns `values` lacks are
    unloaded: expire them (`Session.expire`) before anyone reads them."""
    mapper = class_mapper(model)  # configures the mappers first, as any ORM select would
    held = session.identity_map.get(mapper.identity_key_from_primary_key((values["id"],)))
    if held is not None:
        return held
    instance = transient(model, values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance
