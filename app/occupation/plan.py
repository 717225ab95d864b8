"""The care plan: each goal linked to what supports it, with a review date; and the review, which
puts the goal's GAS ratings, the activity ratings, PHQ-9/GAD-7 and adherence side by side.

Goals, ratings and questionnaires are progress's; routines, habits, homework, sensory diet and calm
strategies belong to their domains: each is asked through its service, never read from its tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.coping import catalog as coping_catalog
from app.coping import toolbox as coping_toolbox
from app.errors import NotFound, Unprocessable
from app.homework import queries as homework_queries
from app.i18n import N_, current_language, use_language
from app.occupation import service
from app.occupation.models import PlanGoal, PlanReview, PlanSupport
from app.occupation.schemas import PlanGoalIn, ReviewIn, SupportIn
from app.progress import dashboard as progress_dashboard
from app.progress import goals as progress_goals
from app.progress import measure_service, measures
from app.routines import service as routines_service
from app.self_care import service as self_care_service
from app.sensory import diet_service
from app.web_security import Principal

SUPPORT_LABELS: dict[str, str] = {
    "routine": N_("Routine"),
    "habit": N_("Habit"),
    "homework": N_("Homework"),
    "sensory": N_("Sensory diet"),
    "calm": N_("Calm strategy"),
}

# The five GAS levels' plain words (progress's `gas.LEVEL_LABELS`, which a test keeps equal),
# marked here for the catalog: the review and the discharge summary show them as `_(label)`.
GAS_WORDS: dict[int, str] = {
    -2: N_("Much less than expected"),
    -1: N_("Less than expected"),
    0: N_("Expected level"),
    1: N_("More than expected"),
    2: N_("Much more than expected"),
}


def support_options(session: Session, client: User) -> dict[str, list[tuple[str, str]]]:
    """What could support a goal now, by kind: (ref, title), each from its own domain."""
    calm: list[tuple[str, str]] = []
    # A built-in strategy's title in the language being written; one's own as written.
    builtin = {v["id"]: v for v in coping_catalog.builtin_views(current_language())}
    for entry in coping_toolbox.toolbox_entries(session, client.id):
        if (entry.favourite or entry.recommended) and not entry.hidden:
            view = coping_catalog.find(session, client, entry.strategy_key)
            if view is not None:
                calm.append(
                    (entry.strategy_key, str(builtin.get(entry.strategy_key, view)["title"]))
                )
    return {
        "routine": [
            (str(r.id), r.title)
            for r in routines_service.list_routines(session, client_id=client.id)
        ],
        "habit": [
            (str(h.id), h.title) for h in self_care_service.active_habits(session, client.id)
        ],
        "homework": [
            (str(a.id), a.title)
            for a in homework_queries.for_client(session, client.id, include_closed=False)
        ],
        "sensory": [(str(i.id), i.title) for i in diet_service.list_items(session, client=client)],
        "calm": sorted(calm, key=lambda kv: kv[1]),
    }


def plan_goals(session: Session, client_id: uuid.UUID) -> Sequence[PlanGoal]:
    return session.exec(
        select(PlanGoal).where(PlanGoal.client_id == client_id).order_by(col(PlanGoal.review_on))
    ).all()


def supports(session: Session, client_id: uuid.UUID) -> dict[uuid.UUID, list[PlanSupport]]:
    out: dict[uuid.UUID, list[PlanSupport]] = {}
    rows = session.exec(
        select(PlanSupport)
        .where(PlanSupport.client_id == client_id)
        .order_by(col(PlanSupport.kind), col(PlanSupport.title))
    )
    for row in rows:
        out.setdefault(row.plan_goal_id, []).append(row)
    return out


def add_goal(session: Session, *, therapist: Principal, client: User, data: PlanGoalIn) -> PlanGoal:
    """Put one of the client's active goals in the plan (again: moves its review date)."""
    if data.goal_id not in {g.id for g in progress_goals.active_goals(session, client.id)}:
        raise NotFound(N_("That goal is not an active goal of this client."), field="goal_id")
    if data.review_on < clock.local_today(client.time_zone):
        raise Unprocessable(N_("The review date should be today or later."), field="review_on")
    row = session.exec(select(PlanGoal).where(PlanGoal.goal_id == data.goal_id)).first()
    if row is None:
        row = PlanGoal(
            client_id=client.id,
            goal_id=data.goal_id,
            review_on=data.review_on,
            created_by_id=therapist.id,
        )
    row.review_on = data.review_on
    session.add(row)
    audit.add(session, actor=therapist.user, client_id=client.id, action="occupation.plan.goal")
    session.commit()
    return row


def get_plan_goal(session: Session, plan_goal_id: uuid.UUID) -> PlanGoal:
    row = session.get(PlanGoal, plan_goal_id)
    if row is None:
        raise NotFound()
    return row


def link_support(
    session: Session, *, therapist: Principal, client: User, plan_goal: PlanGoal, data: SupportIn
) -> PlanSupport:
    """Link a support that the client has now (a second link to the same thing returns it)."""
    # The title is kept with the link and read by the client too (discharge summary): theirs.
    with use_language(client.language):
        title = dict(support_options(session, client)[data.kind]).get(data.ref)
    if title is None:
        raise NotFound(N_("That is not one of this client's current supports."))
    row = session.exec(
        select(PlanSupport).where(
            PlanSupport.plan_goal_id == plan_goal.id,
            PlanSupport.kind == data.kind,
            PlanSupport.ref == data.ref,
        )
    ).first()
    if row is not None:
        return row
    row = PlanSupport(
        plan_goal_id=plan_goal.id, client_id=client.id, kind=data.kind, ref=data.ref, title=title
    )
    session.add(row)
    audit.add(session, actor=therapist.user, client_id=client.id, action="occupation.plan.support")
    session.commit()
    return row


@dataclass(frozen=True, slots=True)
class GoalLine:
    plan_goal: PlanGoal | None
    goal_id: uuid.UUID
    title: str
    ratings: list[tuple[date, int, str]]  # (rated on, level, plain label)
    supports: list[PlanSupport]


@dataclass(frozen=True, slots=True)
class MeasurePoint:
    on: date
    name: str
    total: int
    max_total: int
    band: str


@dataclass(frozen=True)
class ReviewData:
    client: User
    goals: list[GoalLine]
    t_scores: list[tuple[date, float]]
    performance: service.Performance
    measures: list[MeasurePoint]
    adherence: AdherenceView | None = None
    reviews: Sequence[PlanReview] = ()

    @property
    def next_review_on(self) -> date | None:
        dates = [g.plan_goal.review_on for g in self.goals if g.plan_goal is not None]
        return min(dates) if dates else None


@dataclass(frozen=True, slots=True)
class AdherenceView:
    """This week by kind of plan (done, planned), and the overall share this week and last."""

    by_kind: dict[str, tuple[float, float]]
    share: float | None
    share_prev: float | None


def adherence(session: Session, client: User, now: datetime) -> AdherenceView:
    """As the caseload dashboard and the progress page show it: progress's cached signal row
    (validated against the client's data version), so the review costs no extra recomputation."""
    row = progress_dashboard.client_row(session, client, now=now)
    return AdherenceView(row.by_label, row.adherence, row.adherence_prev)


def measure_points(
    session: Session, client_id: uuid.UUID, since: date | None = None
) -> list[MeasurePoint]:
    points = []
    for r in measure_service.responses(session, client_id=client_id, start=since):
        m = measures.get(r.code)
        points.append(
            MeasurePoint(
                r.answered_at.date(), m.name, r.total, m.max_total, measure_service.band_label(r)
            )
        )
    return points


def review_data(
    session: Session, client: User, *, now: datetime, since: date | None = None
) -> ReviewData:
    """Everything a review shows, from each domain's service (a fixed number of queries).
    `since` bounds the GAS and questionnaire history read (the review page shows recent months;
    the discharge summary reads it all)."""
    plan = {p.goal_id: p for p in plan_goals(session, client.id)}
    links = supports(session, client.id)
    goal_rows = progress_goals.active_goals(session, client.id)
    rating_rows = progress_goals.ratings(session, client.id, start=since)
    lines = [
        GoalLine(
            plan_goal=plan.get(g.id),
            goal_id=g.id,
            title=g.title,
            ratings=[
                (r.rated_on, r.level, GAS_WORDS[r.level]) for r in rating_rows if r.goal_id == g.id
            ],
            supports=links.get(plan[g.id].id, []) if g.id in plan else [],
        )
        for g in goal_rows
    ]
    return ReviewData(
        client=client,
        goals=lines,
        t_scores=[(p.on, p.t_score) for p in progress_goals.t_series(goal_rows, rating_rows)],
        performance=service.performance(session, client.id),
        measures=measure_points(session, client.id, since),
        adherence=adherence(session, client, now),
        reviews=reviews(session, client.id),
    )


def reviews(session: Session, client_id: uuid.UUID) -> Sequence[PlanReview]:
    return session.exec(
        select(PlanReview)
        .where(PlanReview.client_id == client_id)
        .order_by(col(PlanReview.reviewed_on).desc(), col(PlanReview.created_at).desc())
    ).all()


def record_review(
    session: Session, *, therapist: Principal, client: User, data: ReviewIn
) -> PlanReview:
    """The outcome of today's review; a next review date moves every plan goal's date to it."""
    today = clock.local_today(client.time_zone)
    if data.next_review_on is not None and data.next_review_on <= today:
        raise Unprocessable(N_("The next review should be after today."), field="next_review_on")
    row = PlanReview(
        client_id=client.id,
        reviewed_on=today,
        outcome=data.outcome,
        notes=data.notes,
        next_review_on=data.next_review_on,
        created_by_id=therapist.id,
    )
    session.add(row)
    if data.next_review_on is not None:
        for goal in plan_goals(session, client.id):
            goal.review_on = data.next_review_on
            session.add(goal)
    audit.add(session, actor=therapist.user, client_id=client.id, action="occupation.review")
    session.commit()
    return row
