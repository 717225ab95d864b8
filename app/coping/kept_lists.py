"""Ranked calm lists kept in process, so a repeat of the same request needs no database at all.

The ranked list is what a person in distress opens, often several times in one episode (the
level changes, they go back, they come back to the flow). Its inputs are the client's strategy
summaries, toolbox, sensory profile, kit and fit, their custom strategies and their clinic's; its
answer also depends on who they are (id, clinic, the day in their time zone) and the language.
So a worker keeps each answer, as sent, by the request that asked for it and those facts, and uses
it again while no write can have changed an input, in any process (app/write_marks.py):

- the client's write mark changes with their data version (app/data_version.py), which every
  write to a table the list reads bumps: each of those tables is declared `watched` beside its
  model (tests/coping/test_kept_lists.py checks the statements);
- custom strategies are the one input not always the client's own (a clinic shares them), so any
  write to their table changes a mark of its own;
- the account's row (clinic, time zone, language) comes with the kept session, current as of this
  request, and is part of the key.

A kept answer is used only while both marks hold what they held before its rows were read; a
request already in a transaction may use one but never keeps what it reads (its snapshot may
predate a change the marks show). On PostgreSQL other processes' writes reach the marks through
notifications, just after their commit (app/marks_listener.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlmodel import Session

from app import write_marks
from app.accounts.models import User
from app.coping.models import CustomStrategy
from app.coping.ranking import Situation

CUSTOM = write_marks.named("custom strategies")
write_marks.watch({CustomStrategy.__tablename__}, CUSTOM)

# Who asks, from where, in which language: (client, clinic, seed, language, situation, limit).
Key = tuple[uuid.UUID, uuid.UUID | None, str, str, Situation, int]
# A few KB an answer; up to 2,048 a worker, each for a minute at most (app/write_marks.py).
KEPT: write_marks.Kept[Key, bytes] = write_marks.Kept(size=2048, max_age=60.0)


def answer(
    session: Session,
    client: User,
    key: tuple[str, str, Situation, int],
    make: Callable[[], bytes],
) -> bytes:
    """The answer to `key` (seed, language, situation, limit) for `client`: a kept one while no
    input can have changed since it was made, else `make()`'s, kept for next time."""
    full: Key = (client.id, client.organisation_id, *key)
    found = KEPT.through(session, full, (write_marks.of_client(client.id), CUSTOM), make)
    assert found is not None  # make() always answers
    return found


def forget_all() -> None:
    """Forget every kept list in this process, as a restart would (tests)."""
    KEPT.forget_all()


def kept_count(session: Session) -> int:
    """How many lists this process keeps for the session's database (tests)."""
    marks = write_marks.for_session(session)
    return 0 if marks is None else len(KEPT.values(marks))
