"""The therapist's client page: urgent answers first, goals' latest T, links to progress pages.

Only the latest T-score shows here, so it is computed from each goal's latest level (three small
column queries) instead of the whole T series over every rating of the client's history.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.accounts.models import User
from app.home.sections import Section
from app.progress import gas, goals, notes
from app.progress.goals import TPoint
from app.progress.models import Goal, GoalRating, MeasureResponse


def latest_t(session: Session, client_id: uuid.UUID) -> TPoint | None:
    """The last point of `goals.t_series`: T on the latest rating day from each goal's latest
    level (one row per goal, ranked in SQL). Falls back to the full series in the rare case the
    latest day has too many goals."""
    weights = dict(
        session.exec(select(Goal.id, Goal.weight).where(Goal.client_id == client_id)).all()
    )
    ranked = (
        select(GoalRating.goal_id, GoalRating.level, GoalRating.rated_on,
               func.row_number().over(partition_by=col(GoalRating.goal_id),
                                      order_by=(col(GoalRating.rated_on).desc(),
                                                col(GoalRating.created_at).desc())).label("rn"))
        .where(GoalRating.client_id == client_id)
        .subquery()
    )  # fmt: skip
    rows = session.exec(
        select(ranked.c.goal_id, ranked.c.level, ranked.c.rated_on).where(ranked.c.rn == 1)
    ).all()
    if not rows:
        return None
    latest = {goal_id: level for goal_id, level, _on in rows if goal_id in weights}
    last_day = max(on for _g, _l, on in rows)
    if gas.MIN_GOALS <= len(latest) <= gas.MAX_GOALS:
        ratings_now = [gas.GoalRating(level=lv, weight=weights[g]) for g, lv in latest.items()]
        return TPoint(last_day, gas.t_score_rounded(ratings_now), len(latest))
    if len(latest) < gas.MIN_GOALS:
        return None  # the count only grows over time, so no earlier day had enough either
    points = goals.t_series(goals.all_goals(session, client_id), goals.ratings(session, client_id))
    return points[-1] if points else None


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    del now
    urgent = session.exec(
        select(func.count()).select_from(MeasureResponse).where(
            MeasureResponse.client_id == client.id, col(MeasureResponse.urgent).is_(True),
            col(MeasureResponse.acknowledged_at).is_(None),
        )
    ).one()  # fmt: skip
    active = goals.active_goals(session, client.id)
    return Section(
        key="progress", title="Progress", template="progress/_overview.html", order=10,
        context={"client": client, "urgent": urgent, "goals": active, "t": latest_t(session, client.id),
                 "last_session": notes.last_session_on(session, client.id)},
    )  # fmt: skip
