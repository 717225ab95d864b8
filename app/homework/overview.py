"""The therapist's client page: open homework, what was done since the last week, new notices."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from app.accounts.models import User
from app.home.sections import Section
from app.homework import queries
from app.homework.models import HomeworkCompletion, HomeworkNotice
from app.homework.states import LABELS


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    rows = queries.for_client(session, client.id)
    week_ago = now - timedelta(days=7)
    done_week = session.exec(
        select(func.count())
        .select_from(HomeworkCompletion)
        .where(
            HomeworkCompletion.client_id == client.id,
            col(HomeworkCompletion.created_at) >= week_ago,
        )
    ).one()
    unread = session.exec(
        select(HomeworkNotice)
        .where(HomeworkNotice.client_id == client.id, col(HomeworkNotice.read_at).is_(None))
        .order_by(col(HomeworkNotice.created_at).desc())
        .limit(5)
    ).all()
    open_ = [a for a in rows if a.state in queries.ACTIVE]
    return Section(
        key="homework", title="Homework", template="homework/_overview.html", order=20,
        context={"client": client, "open": open_, "labels": LABELS, "done_week": int(done_week),
                 "total": len(rows), "notices": unread},
    )  # fmt: skip
