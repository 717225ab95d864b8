"""Capture the SQL a block of code sends, for tests that pin a statement count (no N+1) or inspect a
statement. One shared helper instead of a hand-written listen/remove pair in every such test.

It listens on the session's Engine, not on its bind: in tests the session is bound to a Connection
(see tests/conftest.py), elsewhere to an Engine, and an Engine's listeners also fire for every
connection it has already handed out, so statements are caught whichever connection runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session


@contextmanager
def _listening(session: Session, keep: Callable[[str, Any], None]) -> Iterator[None]:
    engine: Engine = session.get_bind().engine

    def before(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        keep(statement, parameters)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextmanager
def captured_statements(session: Session) -> Iterator[list[str]]:
    """Yield a list that fills with the SQL text of every statement sent while the block runs."""
    seen: list[str] = []
    with _listening(session, lambda statement, _parameters: seen.append(statement)):
        yield seen


@contextmanager
def captured_executions(session: Session) -> Iterator[list[tuple[str, Any]]]:
    """Like `captured_statements`, with each statement's bound parameters as the driver gets them."""
    seen: list[tuple[str, Any]] = []
    with _listening(session, lambda statement, parameters: seen.append((statement, parameters))):
        yield seen


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def sent_by(engine: Engine) -> Iterator[list[str]]:
    """The statements `engine` sends while the block runs, from any session or thread (a request
    served by the app on its own engine), transaction control aside."""
    sent: list[str] = []

    def note(
        _conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
    ) -> None:
        if not statement.startswith(TRANSACTION_CONTROL):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)
