"""GAS goals: two to four per client, rated over time; the T-score series for charts and reports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlmodel import Session, col, func, select

from app import clock, versioning
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_
from app.progress import gas
from app.progress.models import Goal, GoalRating
from app.progress.schemas import GoalCreate, RatingsCreate
from app.web_security import Principal

# What a goal save compares when it was made from an older version (app/versioning.py).
GOAL_FIELDS: Final = (
    versioning.Field("title", "Goal"),
    versioning.Field("level_p2", "+2 Much more than expected"),
    versioning.Field("level_p1", "+1 More than expected"),
    versioning.Field("level_0", "0 Expected level"),
    versioning.Field("level_m1", "−1 Less than expected"),
    versioning.Field("level_m2", "−2 Much less than expected"),
    versioning.Field("weight", "Weight", editable=False),
)
_TEXTS: Final = ("title", "level_p2", "level_p1", "level_0", "level_m1", "level_m2")


def _weight(value: float) -> str:
    return f"{value:g}"


def goal_values(goal: Goal) -> dict[str, str]:
    """A goal as its form (and an edit conflict) shows it."""
    return {k: str(getattr(goal, k)) for k in _TEXTS} | {"weight": _weight(goal.weight)}


def _proposed(data: GoalCreate) -> dict[str, str]:
    return {k: str(getattr(data, k)) for k in _TEXTS} | {"weight": _weight(data.weight)}


@dataclass(frozen=True, slots=True)
class TPoint:
    on: date
    t_score: float
    goals_rated: int


def active_goals(session: Session, client_id: uuid.UUID) -> Sequence[Goal]:
    return session.exec(
        select(Goal)
        .where(Goal.client_id == client_id, col(Goal.archived_at).is_(None))
        .order_by(col(Goal.created_at))
    ).all()


def all_goals(session: Session, client_id: uuid.UUID) -> Sequence[Goal]:
    return session.exec(
        select(Goal).where(Goal.client_id == client_id).order_by(col(Goal.created_at))
    ).all()


def ratings(
    session: Session, client_id: uuid.UUID, *, start: date | None = None, end: date | None = None
) -> Sequence[GoalRating]:
    stmt = select(GoalRating).where(GoalRating.client_id == client_id)
    if start is not None:
        stmt = stmt.where(col(GoalRating.rated_on) >= start)
    if end is not None:
        stmt = stmt.where(col(GoalRating.rated_on) <= end)
    return session.exec(stmt.order_by(col(GoalRating.rated_on), col(GoalRating.created_at))).all()


def create_goal(session: Session, *, therapist: Principal, client: User, data: GoalCreate) -> Goal:
    count = session.exec(
        select(func.count())
        .select_from(Goal)
        .where(Goal.client_id == client.id, col(Goal.archived_at).is_(None))
    ).one()
    if count >= gas.MAX_GOALS:
        raise Conflict(f"A client can have at most {gas.MAX_GOALS} goals; archive one first.")
    goal = Goal(client_id=client.id, created_by_id=therapist.id, **data.model_dump())
    session.add(goal)
    audit.add(session, actor=therapist.user, client_id=client.id, action="goal.create")
    session.commit()
    return goal


def update_goal(
    session: Session,
    *,
    therapist: Principal,
    goal: Goal,
    data: GoalCreate,
    expected: versioning.Expected = None,
) -> Goal:
    """Reword a goal or its levels. `expected`: the versions the therapist edited from; a newer
    goal that differs raises EditConflict (nothing saved). Past ratings keep their level."""
    yours, current = _proposed(data), goal_values(goal)
    versioning.require(
        expected,
        what="goal",
        version=goal.version,
        fields=GOAL_FIELDS,
        yours=yours,
        current=current,
    )
    if yours == current:
        return goal  # nothing changed: no new version for the other person to trip over
    for key, value in data.model_dump().items():
        setattr(goal, key, value)
    goal.version += 1
    session.add(goal)
    audit.add(session, actor=therapist.user, client_id=goal.client_id, action="goal.update")
    session.commit()
    return goal


def archive_goal(session: Session, *, therapist: Principal, goal: Goal) -> Goal:
    goal.archived_at = clock.now()
    goal.version += 1
    session.add(goal)
    audit.add(session, actor=therapist.user, client_id=goal.client_id, action="goal.archive")
    session.commit()
    return goal


def rate(
    session: Session, *, therapist: Principal, client: User, data: RatingsCreate
) -> list[GoalRating]:
    goals = {g.id: g for g in active_goals(session, client.id)}
    unknown = set(data.levels) - set(goals)
    if unknown:
        raise NotFound(N_("One of those goals is not an active goal of this client."))
    if data.rated_on > clock.local_today(client.time_zone):
        raise Unprocessable("A rating cannot be in the future.", field="rated_on")
    rows = [
        GoalRating(
            goal_id=gid,
            client_id=client.id,
            rated_on=data.rated_on,
            level=level,
            rated_by_id=therapist.id,
            note=data.note,
        )
        for gid, level in data.levels.items()
    ]
    session.add_all(rows)
    audit.add(session, actor=therapist.user, client_id=client.id, action="goal.rate")
    session.commit()
    return rows


def t_series(goals: Sequence[Goal], rows: Sequence[GoalRating]) -> list[TPoint]:
    """T on each rating day, from each goal's latest level so far (needs 2-4 goals rated)."""
    weights = {g.id: g.weight for g in goals}
    latest: dict[uuid.UUID, int] = {}
    points: list[TPoint] = []
    for day in sorted({r.rated_on for r in rows}):
        for r in rows:
            if r.rated_on == day and r.goal_id in weights:
                latest[r.goal_id] = r.level
        if gas.MIN_GOALS <= len(latest) <= gas.MAX_GOALS:
            ratings_now = [gas.GoalRating(level=lv, weight=weights[g]) for g, lv in latest.items()]
            points.append(TPoint(day, gas.t_score_rounded(ratings_now), len(latest)))
    return points


def latest_levels(rows: Sequence[GoalRating]) -> dict[uuid.UUID, GoalRating]:
    out: dict[uuid.UUID, GoalRating] = {}
    for r in rows:
        out[r.goal_id] = r
    return out
