"""The statement-capture helper counts exactly what runs inside its block, and nothing after it."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from tests.statements import captured_executions, captured_statements


def test_captures_each_statement_in_the_block_and_none_after(session: Session) -> None:
    session.connection()  # begin the session's transaction first: its SAVEPOINT is not counted
    with captured_statements(session) as seen:
        session.execute(text("SELECT 1"))
        session.execute(text("SELECT 2"))
    assert [s.strip() for s in seen] == ["SELECT 1", "SELECT 2"]
    session.execute(text("SELECT 3"))
    assert len(seen) == 2


def test_captures_statements_of_another_connection_of_the_engine(session: Session) -> None:
    with captured_statements(session) as seen, session.get_bind().engine.connect() as other:
        other.execute(text("SELECT 4"))
    assert "SELECT 4" in [s.strip() for s in seen]


def test_captures_parameters_with_each_statement(session: Session) -> None:
    session.connection()
    with captured_executions(session) as seen:
        session.execute(text("SELECT :n"), {"n": 5})
    ((statement, parameters),) = seen
    assert "SELECT" in statement
    assert 5 in (parameters.values() if isinstance(parameters, dict) else parameters)
