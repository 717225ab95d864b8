"""Demo progress: three GAS goals rated over two weeks, PHQ-9/GAD-7 history, session notes."""

from __future__ import annotations

from datetime import timedelta

from app.demo import DemoContext
from app.progress import measures
from app.progress.models import (
    Goal,
    GoalRating,
    MeasureResponse,
    MeasureSchedule,
    SessionNote,
    SessionNoteVersion,
)

GOALS = [
    (
        "Make a simple meal for myself",
        [
            "No meals made",
            "One meal a week",
            "Two meals a week",
            "Three meals a week",
            "Four or more meals a week",
        ],
    ),
    (
        "Go to the shop on my own",
        [
            "Don't go",
            "Go with someone",
            "Go alone once a week",
            "Go alone twice a week",
            "Go alone whenever I need to",
        ],
    ),
    (
        "Get up by 9 on weekdays",
        ["No weekdays", "One or two weekdays", "Three weekdays", "Four weekdays", "Every weekday"],
    ),
]
ANSWERS = {
    "phq9": [[2, 1, 2, 2, 1, 1, 1, 0, 0], [1, 1, 1, 2, 1, 1, 1, 0, 0]],
    "gad7": [[2, 2, 1, 2, 1, 1, 1], [1, 1, 1, 1, 1, 1, 0]],
}


def seed(ctx: DemoContext) -> None:
    for index, client in enumerate(ctx.clients):
        therapist = ctx.therapists[0 if index < 2 else 1]
        today = ctx.today_for(client)
        goals = []
        for title, levels in GOALS:
            goal = Goal(
                client_id=client.id,
                created_by_id=therapist.id,
                title=title,
                level_m2=levels[0],
                level_m1=levels[1],
                level_0=levels[2],
                level_p1=levels[3],
                level_p2=levels[4],
                created_at=ctx.now - timedelta(days=15),
            )
            ctx.session.add(goal)
            goals.append(goal)
        ctx.session.flush()
        for weeks_ago, shift in ((2, -1), (1, 0)):
            for goal in goals:
                level = max(-2, min(2, shift + ctx.rng.choice((-1, 0, 0, 1))))
                ctx.session.add(
                    GoalRating(
                        goal_id=goal.id,
                        client_id=client.id,
                        level=level,
                        rated_on=today - timedelta(days=7 * weeks_ago),
                        rated_by_id=therapist.id,
                    )
                )
        for code in ("phq9", "gad7"):
            for answered_days_ago, answers in zip((14, 1), ANSWERS[code], strict=True):
                result = measures.score(code, answers)
                ctx.session.add(
                    MeasureResponse(
                        client_id=client.id,
                        code=code,
                        answers=answers,
                        total=result.total,
                        band=result.band.key,
                        urgent=result.urgent,
                        answered_at=ctx.now - timedelta(days=answered_days_ago, hours=2),
                    )
                )
            # Sam's PHQ-9 is due today so the demo shows answering it on the phone.
            due = today if (index == 0 and code == "phq9") else today + timedelta(days=13)
            ctx.session.add(
                MeasureSchedule(
                    client_id=client.id,
                    code=code,
                    every_days=14,
                    next_due_on=due,
                    created_by_id=therapist.id,
                )
            )
        note = SessionNote(
            client_id=client.id,
            session_on=today - timedelta(days=7),
            created_by_id=therapist.id,
            current_version=1,
        )
        ctx.session.add(note)
        ctx.session.flush()
        ctx.session.add(
            SessionNoteVersion(
                note_id=note.id,
                version=1,
                author_id=therapist.id,
                body=(
                    f"Reviewed the week with {client.preferred_name}. Practising box breathing most days; "
                    "mornings are easier than weekends. Agreed to keep the shopping goal at the same level "
                    "and to try one planned walk."
                ),
            )
        )
    ctx.session.flush()
