"""Demo homework: two weeks of practice with reflections, a new assignment, a change request."""

from __future__ import annotations

from datetime import timedelta

from app.demo import DemoContext
from app.homework.models import (
    HomeworkAssignment,
    HomeworkCompletion,
    HomeworkMessage,
    HomeworkNotice,
)

REFLECTIONS = [
    "Easier after the first few rounds.",
    "Did it before work, felt steadier.",
    "Hard to start, glad I did.",
    "Forgot until the evening but still did it.",
    "Counting helped me stay with it.",
]


def seed(ctx: DemoContext) -> None:
    links = {c.id: ctx.therapists[0 if i < 2 else 1] for i, c in enumerate(ctx.clients)}
    for index, client in enumerate(ctx.clients):
        therapist = links[client.id]
        today = ctx.today_for(client)
        start = today - timedelta(days=13)
        breathing = HomeworkAssignment(
            client_id=client.id,
            therapist_id=therapist.id,
            kind="coping",
            title="Box breathing once a day while calm",
            instructions="In 4, hold 4, out 4, hold 4. Five rounds, somewhere quiet.",
            details={"target": "Box breathing"},
            frequency="daily",
            start_on=start,
            due_on=today + timedelta(days=3),
            state="in_progress",
            created_at=ctx.now - timedelta(days=14),
            updated_at=ctx.now - timedelta(days=1),
        )
        ctx.session.add(breathing)
        ctx.session.flush()
        for day_offset in range(13):
            if ctx.rng.random() < (0.55 if index % 2 else 0.8):
                done_on = start + timedelta(days=day_offset)
                ctx.session.add(
                    HomeworkCompletion(
                        assignment_id=breathing.id,
                        client_id=client.id,
                        done_on=done_on,
                        created_at=ctx.now
                        - timedelta(days=13 - day_offset, hours=ctx.rng.randint(1, 5)),
                        difficulty=ctx.rng.randint(1, 4),
                        helpfulness=ctx.rng.randint(3, 5),
                        reflection=ctx.rng.choice(REFLECTIONS) if ctx.rng.random() < 0.5 else "",
                        stuck="Weekends are harder to remember." if day_offset == 9 else "",
                    )
                )
        ctx.session.add(
            HomeworkMessage(
                assignment_id=breathing.id,
                author_id=therapist.id,
                author_role="therapist",
                body="Lovely to see you practising most days. Keep going at this pace.",
                created_at=ctx.now - timedelta(days=4),
            )
        )
        reflection = HomeworkAssignment(
            client_id=client.id,
            therapist_id=therapist.id,
            kind="reflection",
            title="Notice what helps on a good day",
            details={"questions": ["What went well today?", "What helped it go well?"]},
            frequency="once",
            start_on=today,
            due_on=today + timedelta(days=5),
            state="requested",
            created_at=ctx.now - timedelta(hours=20),
            updated_at=ctx.now - timedelta(hours=20),
        )
        ctx.session.add(reflection)
        if index == 1:
            walk = HomeworkAssignment(
                client_id=client.id,
                therapist_id=therapist.id,
                kind="activation",
                title="A 10-minute walk after lunch",
                details={"target": "Walk round the block"},
                frequency="weekly",
                weekdays="0,2,4",
                start_on=today - timedelta(days=2),
                due_on=today + timedelta(days=12),
                state="change_requested",
                client_reason="After lunch I'm at work. Could it be after dinner?",
                created_at=ctx.now - timedelta(days=3),
                updated_at=ctx.now - timedelta(days=1),
            )
            ctx.session.add(walk)
            ctx.session.flush()
            ctx.session.add(
                HomeworkNotice(
                    therapist_id=therapist.id,
                    client_id=client.id,
                    assignment_id=walk.id,
                    kind="change",
                    text=f"{client.preferred_name} asked to change “{walk.title}”: {walk.client_reason}",
                    created_at=ctx.now - timedelta(days=1),
                )
            )
    ctx.session.flush()
