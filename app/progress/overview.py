"""The therapist's client page: urgent answers first, goals' latest T, links to progress pages."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.home.sections import Section
from app.progress import goals, notes
from app.progress.models import MeasureResponse


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    del now
    urgent = session.exec(
        select(MeasureResponse).where(
            MeasureResponse.client_id == client.id, col(MeasureResponse.urgent).is_(True),
            col(MeasureResponse.acknowledged_at).is_(None),
        )
    ).all()  # fmt: skip
    active = goals.active_goals(session, client.id)
    points = goals.t_series(goals.all_goals(session, client.id), goals.ratings(session, client.id))
    return Section(
        key="progress", title="Progress", template="progress/_overview.html", order=10,
        context={"client": client, "urgent": urgent, "goals": active,
                 "t": points[-1] if points else None, "last_session": notes.last_session_on(session, client.id)},
    )  # fmt: skip
