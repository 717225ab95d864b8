"""The therapist's client page: open homework, what was done since the last week, new notices.

Three column queries built once at import (building a statement cost more than running it) and
run through Core (`session.connection()`, no ORM loading context): the page shows titles, states
and notice texts only."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, bindparam
from sqlmodel import Session, col, func, select

from app.accounts.models import User
from app.homework import queries
from app.homework.models import HomeworkAssignment, HomeworkCompletion, HomeworkNotice
from app.homework.states import LABELS
from app.i18n import N_
from app.sections import Section

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
_ASSIGNMENTS = (
    select(HomeworkAssignment.id, HomeworkAssignment.title, HomeworkAssignment.state)
    .where(HomeworkAssignment.client_id == _CLIENT)
    .order_by(col(HomeworkAssignment.due_on), col(HomeworkAssignment.created_at))
)  # as queries.for_client
_DONE_SINCE = (
    select(func.count())
    .select_from(HomeworkCompletion)
    .where(
        HomeworkCompletion.client_id == _CLIENT,
        col(HomeworkCompletion.created_at) >= bindparam("since"),
    )
)
_UNREAD = (
    select(HomeworkNotice.assignment_id, HomeworkNotice.text)
    .where(HomeworkNotice.client_id == _CLIENT, col(HomeworkNotice.read_at).is_(None))
    .order_by(col(HomeworkNotice.created_at).desc())
    .limit(5)
)


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    params = {"client_id": client.id}
    rows = session.connection().execute(_ASSIGNMENTS, params).all()
    done_week = (
        session.connection()
        .execute(_DONE_SINCE, {**params, "since": now - timedelta(days=7)})
        .scalar_one()
    )
    unread = session.connection().execute(_UNREAD, params).all()
    open_ = [a for a in rows if a.state in queries.ACTIVE]
    return Section(
        key="homework",
        title=N_("Homework"),
        template="homework/_overview.html",
        order=20,
        context={
            "client": client,
            "open": open_,
            "labels": LABELS,
            "done_week": int(done_week),
            "total": len(rows),
            "notices": unread,
        },
    )
