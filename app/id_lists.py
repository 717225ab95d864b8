"""`column IN ids` with the whole list bound as one parameter, for statements built once.

SQLAlchemy's expanding `IN` writes one placeholder per id and converts each id through the
column's type on every run. For the dashboard's 200-client caseload that cost four times what
SQLite spent running the statement (issue #19). Here the list is a single parameter:
- on SQLite, a JSON array of the ids' hex form (how SQLAlchemy stores a UUID there), read with
  `json_each`;
- on PostgreSQL, a `uuid[]` compared with `= ANY`.

Either way the rows are exactly those of `column.in_(ids)`.
`tests/platform/test_id_lists.py` checks that on both databases.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Boolean, ColumnElement, String, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator, TypeEngine


class _IdList(TypeDecorator[Sequence[uuid.UUID]]):
    """Ids as one value: a uuid[] on PostgreSQL, a JSON array of hex strings elsewhere."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(postgresql.UUID(as_uuid=True)))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Sequence[uuid.UUID] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return list(value)
        return json.dumps([one.hex for one in value])


class _InIds(ColumnElement[bool]):
    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[uuid.UUID], ids: BindParameter[Any]) -> None:
        self.column = column
        self.ids = ids


def in_ids(column: Any, name: str) -> ColumnElement[bool]:
    """`column IN (the ids passed as parameter `name`)`: pass a sequence of UUIDs."""
    return _InIds(column, bindparam(name, type_=_IdList()))


@compiles(_InIds, "postgresql")
def _on_postgresql(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} = ANY({ids})"


@compiles(_InIds)
def _elsewhere(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"
