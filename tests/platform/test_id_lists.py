"""app/id_lists.py: a list of ids bound as one parameter selects exactly the rows `IN` does,
on SQLite and PostgreSQL, built once and run with different lists."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.id_lists import in_ids
from tests import factories

_CHOSEN = select(col(User.id)).where(in_ids(col(User.id), "ids")).order_by(col(User.id))


def _expected(session: Session, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    statement = select(col(User.id)).where(col(User.id).in_(ids)).order_by(col(User.id))
    return list(session.execute(statement).scalars().all())


def test_the_same_rows_as_in_for_any_list(session: Session) -> None:
    people = [factories.client(session).id for _ in range(5)]
    session.commit()
    stranger = uuid.uuid4()
    for ids in (people, people[:2], [people[3], stranger], [stranger], [], people + people):
        chosen = [row[0] for row in prebuilt.rows(session, _CHOSEN, ids=ids)]
        assert chosen == _expected(session, ids)
        assert all(isinstance(one, uuid.UUID) for one in chosen)
    assert len(prebuilt.rows(session, _CHOSEN, ids=people)) == 5
