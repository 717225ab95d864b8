"""The therapist's client page: urgent answers first, goals' latest T, links to progress pages.

One statement, built once at import (building a SQLAlchemy statement costs more than
running these small ones) and run through Core (`session.connection()`, no ORM loading context
for plain columns): the counts and the last session date as scalar subqueries, outer-joined to
each goal's latest rating with its weight (ranked in SQL with `row_number()`), from which the
latest T-score is computed, instead of the whole T series over every rating.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, select, true
from sqlmodel import Session, col, func

from app.accounts.models import User
from app.progress import gas, goals
from app.progress.goals import TPoint
from app.progress.models import Goal, GoalRating, MeasureResponse, SessionNote
from app.sections import Section

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")

_HEADLINE = select(
    select(func.count())
    .select_from(MeasureResponse)
    .where(
        col(MeasureResponse.client_id) == _CLIENT,
        col(MeasureResponse.urgent).is_(True),
        col(MeasureResponse.acknowledged_at).is_(None),
    )
    .scalar_subquery()
    .label("urgent"),
    select(func.count())
    .select_from(Goal)
    .where(col(Goal.client_id) == _CLIENT, col(Goal.archived_at).is_(None))
    .scalar_subquery()
    .label("active"),
    select(func.max(SessionNote.session_on))
    .where(col(SessionNote.client_id) == _CLIENT)
    .scalar_subquery()
    .label("last_session"),
)

_RANKED = (
    select(
        col(GoalRating.goal_id),
        col(GoalRating.level),
        col(GoalRating.rated_on),
        func.row_number()
        .over(
            partition_by=col(GoalRating.goal_id),
            order_by=(col(GoalRating.rated_on).desc(), col(GoalRating.created_at).desc()),
        )
        .label("rn"),
    )
    .where(col(GoalRating.client_id) == _CLIENT)
    .subquery()
)
_LATEST = (
    select(_RANKED.c.goal_id, _RANKED.c.level, _RANKED.c.rated_on, col(Goal.weight))
    .outerjoin(Goal, (col(Goal.id) == _RANKED.c.goal_id) & (col(Goal.client_id) == _CLIENT))
    .where(_RANKED.c.rn == 1)
)


# The page's one statement: the headline row, outer-joined to the latest ratings (one row per goal,
# or one row of NULLs when nothing is rated yet).
_H = _HEADLINE.subquery()
_L = _LATEST.subquery()
_PAGE = select(_H, _L).select_from(_H).outerjoin(_L, true())


def latest_t(
    session: Session, client_id: uuid.UUID, rows: Sequence[Sequence[Any]] | None = None
) -> TPoint | None:
    """The last point of `goals.t_series`: T on the latest rating day from each of the client's
    goals' latest level (one row per goal: goal, level, day, weight; read here unless given).
    Falls back to the full series in the rare case the latest day has too many goals."""
    if rows is None:
        rows = session.connection().execute(_LATEST, {"client_id": client_id}).all()
    if not rows:
        return None
    latest = {
        goal_id: (level, weight) for goal_id, level, _on, weight in rows if weight is not None
    }
    last_day = max(on for _g, _l, on, _w in rows)
    if gas.MIN_GOALS <= len(latest) <= gas.MAX_GOALS:
        ratings_now = [gas.GoalRating(level=lv, weight=w) for lv, w in latest.values()]
        return TPoint(last_day, gas.t_score_rounded(ratings_now), len(latest))
    if len(latest) < gas.MIN_GOALS:
        return None  # the count only grows over time, so no earlier day had enough either
    points = goals.t_series(goals.all_goals(session, client_id), goals.ratings(session, client_id))
    return points[-1] if points else None


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    del now
    rows = session.connection().execute(_PAGE, {"client_id": client.id}).all()
    urgent, active, last_session = rows[0][:3]
    rated = [row[3:] for row in rows if row[3] is not None]
    return Section(
        key="progress",
        title="Progress",
        template="progress/_overview.html",
        order=10,
        context={
            "client": client,
            "urgent": urgent,
            "active_goals": active,
            "t": latest_t(session, client.id, rated),
            "last_session": last_session,
        },
    )
