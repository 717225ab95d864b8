"""Signed-in sessions kept in process, so most requests find theirs without the database.

Every signed-in request looks its session and account up. It is one indexed read, but through
the pool and the ORM it was the largest part of the signed-in floor (issue #19: about a third of
`/api/v1/me`; docs/benchmarks.md, "Kept sessions"). So a worker keeps the rows it read, by the
token's hash, and uses them again while nothing in `auth_session` or `user_account` can have
changed, in any process:

- **The mark.** Every statement that writes either table changes the shared "sessions" slot of
  `app/write_marks.py`, when it runs and again when its COMMIT has returned. A kept row is used only
  while the slot still holds the value read *before* the row was read, in a transaction begun
  after that. A logout, a revoked device, a closed account, a role or language change is
  therefore seen by every worker at its next request, as before: a row read before the commit was
  kept under a value that the commit's own change retires. The mark is an engine event, so no
  write path can forget it, and reading it costs no system call: on SQLite it lives in a file
  mapped into every process; on PostgreSQL in each process's memory, changed by other processes'
  notifications, which arrive just after their commit (app/marks_listener.py: a window under a
  millisecond on one host, and nothing is kept while a process is not listening).
- **What is kept**: both rows' columns except secrets (`db.is_secret`: the password hash, the
  sealed TOTP secret). An instance built from a kept row has those expired, so it loads them if
  it is ever asked. Each request still gets its own instances in its own session.
- **When not**: a session already in a transaction, or holding unflushed changes, reads the
  database (its snapshot may predate the mark). A kept row is also forgotten after a minute: the
  one window no ordering closes is a process dying between its commit and its mark change.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

from app import write_marks
from app.db import is_secret

# The tables a kept row comes from: a write to either retires every kept row.
TABLES = frozenset({"auth_session", "user_account"})
# The write mark (app/write_marks.py) that a write to either table changes.
SESSIONS = write_marks.named("sessions")
write_marks.watch(TABLES, SESSIONS)

Values = dict[str, Any]
Rows = tuple[Values, Values]  # the session's columns, the account's columns

# Up to 4,096 sessions a worker (about 2 KB each), each for a minute at most.
KEPT: write_marks.Kept[str, Rows] = write_marks.Kept(size=4096, max_age=60.0)


def forget_all() -> None:
    """Forget every kept row in this process, as a restart would (tests)."""
    KEPT.forget_all()


def rows(
    session: Session,
    token_hash: str,
    read: Callable[[Session, str], Rows | None],
    models: tuple[type, type],
) -> Rows | None:
    """The session's and account's columns for `token_hash` (`models`: their two classes): kept
    ones while the mark has not changed since they were read, else `read(session, token_hash)`'s,
    kept for next time without their secrets."""
    if write_marks.reading(session):
        return read(session, token_hash)  # stricter than the shared rule: see the docstring

    def without_secrets(found: Rows) -> Rows:
        return (_without_secrets(models[0], found[0]), _without_secrets(models[1], found[1]))

    return KEPT.through(
        session, token_hash, (SESSIONS,), lambda: read(session, token_hash), shape=without_secrets
    )


def secrets_left_out(model: type, values: Values) -> list[str]:
    """The secret columns of `model` that `values` lacks: an instance built from it expires them."""
    return [key for key in _secret_keys(model) if key not in values]


@functools.cache
def _secret_keys(model: type) -> tuple[str, ...]:
    table: Table = model.__table__  # type: ignore[attr-defined]  # a SQLModel table
    return tuple(c.key for c in table.columns if is_secret(c))


def _without_secrets(model: type, values: Values) -> Values:
    secret = _secret_keys(model)
    return {key: value for key, value in values.items() if key not in secret}
