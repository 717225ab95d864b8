"""Structured (JSON) logs carrying the request id. Never health data: no bodies, no query strings."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError, StatementError

from app.request_context import request_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
            # With N processes behind one address (`serve --workers N`), which one said it.
            "pid": record.process,
        }
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        """Database errors keep their frames and SQL but not their message: the engine hides bound
        parameters, yet the server's own text ("Failing row contains (…)") quotes what was typed."""
        exc = ei[1]
        if exc is None or not _from_database(exc):
            return super().formatException(ei)
        frames = "".join(traceback.format_tb(ei[2]))
        kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
        summary = "details withheld"
        if isinstance(exc, StatementError):
            orig = exc.orig
            code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
            summary = f"{type(orig).__name__} {code or ''} in: {exc.statement}; details withheld"
        return f"Traceback (most recent call last):\n{frames}{kind}: {summary}"


def _from_database(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SQLAlchemyError) or type(current).__module__.startswith(
            ("psycopg", "sqlite3")
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("groundwork")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
