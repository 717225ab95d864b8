"""Demo occupation data for the first two demo clients: a profile, three rated activities (rated
six weeks ago and last week), a running diary week, interests and the first goal in the care plan.
Reads goals and routines through those domains' services (they seed before us)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from app.demo import DemoContext
from app.occupation import diary
from app.occupation.models import (
    ActivityRating,
    DiaryEntry,
    DiaryWeek,
    Interest,
    OccupationProfile,
    PlanGoal,
    PlanSupport,
    RatedActivity,
    RatingRound,
)
from app.progress import goals as progress_goals
from app.routines import service as routines_service

DAY_PLAN = [  # (block, category, activity, pleasure, mastery)
    ("morning", "self_care", "Shower and breakfast", 4, 6),
    ("afternoon", "productive", "Shopping", 3, 6),
    ("evening", "leisure", "Cooking with my sister", 8, 7),
    ("night", "rest", "TV", 5, 3),
    ("morning", "rest", "Stayed in bed", 2, 1),
    ("afternoon", "leisure", "Walk in the park", 7, 6),
    ("evening", "productive", "Paperwork", 2, 5),
]
ACTIVITIES = [
    ("Cooking a meal", (3, 2), (6, 5)),
    ("Taking the bus", (2, 2), (3, 4)),
    ("Paying bills", (4, 3), (5, 4)),
]


def seed(ctx: DemoContext) -> None:
    for index, client in enumerate(ctx.clients[:2]):
        therapist = ctx.therapists[0]
        today = ctx.today_for(client)
        ctx.session.add(
            OccupationProfile(
                client_id=client.id,
                version=1,
                author_id=client.id,
                roles="Sister, neighbour, used to work in a bakery",
                typical_day="Up late, TV most of the afternoon, sometimes a walk.",
                what_matters="My sister and my nephew. Being able to cook again.",
                strengths="Good with my hands, stubborn in a good way.",
                supports="My sister, the library, the community garden.",
                environment="Flat on the third floor, the bus stop is close.",
                hopes="Cook proper meals and get the bus to my sister's on my own.",
                created_at=ctx.now - timedelta(days=45),
            )
        )
        first = RatingRound(
            client_id=client.id,
            rated_on=today - timedelta(days=42),
            updated_by_id=client.id,
            created_at=ctx.now - timedelta(days=42),
        )
        later = RatingRound(
            client_id=client.id,
            rated_on=today - timedelta(days=7),
            updated_by_id=therapist.id,
            created_at=ctx.now - timedelta(days=7),
        )
        acts = [
            RatedActivity(client_id=client.id, title=t, created_at=ctx.now - timedelta(days=44))
            for t, _a, _b in ACTIVITIES
        ]
        ctx.session.add_all([first, later, *acts])
        ctx.session.flush()
        for act, (_t, start, end) in zip(acts, ACTIVITIES, strict=True):
            for round_, (perf, sat) in ((first, start), (later, end)):
                ctx.session.add(
                    ActivityRating(
                        round_id=round_.id,
                        activity_id=act.id,
                        client_id=client.id,
                        importance=8,
                        performance=perf,
                        satisfaction=sat,
                    )
                )
        if index == 0:
            _diary(ctx, client.id, therapist.id, today)
        for name, past, present, want in (
            ("Cooking", True, False, True),
            ("Gardening", False, False, True),
            ("Swimming", True, False, False),
            ("Reading", True, True, False),
        ):
            ctx.session.add(
                Interest(
                    client_id=client.id, name=name, past=past, present=present, want_to_try=want
                )
            )
        goals = progress_goals.active_goals(ctx.session, client.id)
        if goals:
            pg = PlanGoal(
                client_id=client.id,
                goal_id=goals[0].id,
                created_by_id=therapist.id,
                review_on=today + timedelta(days=7),
            )
            ctx.session.add(pg)
            ctx.session.flush()
            for routine in routines_service.list_routines(ctx.session, client_id=client.id)[:1]:
                ctx.session.add(
                    PlanSupport(
                        plan_goal_id=pg.id,
                        client_id=client.id,
                        kind="routine",
                        ref=str(routine.id),
                        title=routine.title,
                    )
                )


def _diary(ctx: DemoContext, client_id: UUID, therapist_id: UUID, today: date) -> None:
    """Four days of a running diary week, with a few parts of the day left empty."""
    start = today - timedelta(days=4)
    ctx.session.add(DiaryWeek(client_id=client_id, starts_on=start, created_by_id=therapist_id))
    for offset in range(4):
        day = start + timedelta(days=offset)
        for key, _label in diary.BLOCKS:
            if ctx.rng.random() < 0.2:
                continue  # a part of the day left empty, as in real life
            _block, category, activity, pleasure, mastery = ctx.rng.choice(
                [p for p in DAY_PLAN if p[0] == key] or DAY_PLAN
            )
            ctx.session.add(
                DiaryEntry(
                    client_id=client_id,
                    done_on=day,
                    block=key,
                    category=category,
                    activity=activity,
                    pleasure=pleasure,
                    mastery=mastery,
                )
            )
