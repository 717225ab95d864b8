"""Demo history: each demo client gets routines from the templates and two weeks of runs.

Rows are added directly (no service calls) because the demo seeder commits once for every domain.
Completion is realistic: most days partly or fully done, some untouched, a bad day now and then,
and one step that tends to be skipped, so history and skip analytics have something to show.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, time, timedelta

from app.demo import DemoContext
from app.routines import recurrence
from app.routines.history import DONE_STATUSES
from app.routines.models import (
    Routine,
    RoutinePause,
    RoutineReminderTime,
    RoutineRun,
    RoutineStep,
    StepOutcome,
)
from app.routines.templates_library import builtin_template

PLANS: list[list[str]] = [
    ["getting-up", "evening-wind-down", "laundry"],
    ["medication", "gentle-walk", "shower"],
    ["getting-up", "meal-preparation", "weekly-shop"],
    ["leaving-the-house", "tidy-one-room", "evening-wind-down"],
]
HISTORY_DAYS = 14


def seed(ctx: DemoContext) -> None:
    for index, client in enumerate(ctx.clients):
        today = ctx.today_for(client)
        start = today - timedelta(days=HISTORY_DAYS)
        for key in PLANS[index % len(PLANS)]:
            _routine_with_history(ctx, client.id, client.time_zone, key, start, today)


def _routine_with_history(
    ctx: DemoContext, client_id: uuid.UUID, tz: str, key: str, start: date, today: date
) -> None:
    template = builtin_template(key)
    assert template is not None, key
    session, rng = ctx.session, ctx.rng
    routine = Routine(
        client_id=client_id,
        created_by_id=client_id,
        title=template.title,
        icon=template.icon,
        part_of_day=template.part_of_day,
        at_time=template.time,
        rrule=template.rrule,
        starts_on=start,
        step_count=len(template.steps),
        bad_day_count=template.bad_day_count,
        total_minutes=sum(s.minutes or 0 for s in template.steps),
        template_key=key,
        created_at=ctx.now - timedelta(days=HISTORY_DAYS),
    )
    session.add(routine)
    session.flush()
    steps = [
        RoutineStep(
            routine_id=routine.id,
            position=i,
            title=s.title,
            detail=s.detail,
            duration_minutes=s.minutes,
            bad_day=s.bad_day,
        )
        for i, s in enumerate(template.steps)
    ]
    session.add_all(steps)
    if template.time is not None:
        session.add(RoutineReminderTime(routine_id=routine.id, at_time=template.time))
    if key == "tidy-one-room":
        session.add(
            RoutinePause(
                routine_id=routine.id,
                starts_on=today - timedelta(days=5),
                ends_on=today - timedelta(days=3),
            )
        )
    session.flush()
    tricky = len(steps) - 1  # the last step is the one most often left out
    pauses = (
        [recurrence.Pause(today - timedelta(days=5), today - timedelta(days=3))]
        if key == "tidy-one-room"
        else []
    )
    for day in recurrence.due_days(
        routine.rrule, routine.starts_on, routine.starts_on, today - timedelta(days=1), pauses
    ):
        roll = rng.random()
        if roll < 0.15:
            continue  # an untouched day: history shows "not started", never "missed"
        bad_day = roll < 0.27
        planned = [s for s in steps if s.bad_day] if bad_day else steps
        at = recurrence.local_start(day, routine.at_time or time(9, 0), tz)
        run = RoutineRun(
            routine_id=routine.id,
            client_id=routine.client_id,
            local_day=day,
            bad_day=bad_day,
            planned_count=len(planned),
            started_at=at,
            updated_at=at,
        )
        session.add(run)
        session.flush()
        done = answered = 0
        for position, step in enumerate(planned):
            if roll > 0.8 and position >= len(planned) // 2:
                break  # stopped part way: a partial day
            skip_chance = 0.55 if steps.index(step) == tricky else 0.08
            status = (
                "skipped"
                if rng.random() < skip_chance
                else ("helped" if rng.random() < 0.07 else "done")
            )
            moment = (at + timedelta(minutes=3 * position)).astimezone(UTC)
            session.add(
                StepOutcome(
                    id=_uuid(rng),
                    run_id=run.id,
                    step_id=step.id,
                    status=status,
                    at=moment,
                    recorded_at=moment,
                )
            )
            answered += 1
            done += status in DONE_STATUSES
        run.done_count, run.answered_count = done, answered
        run.completed_at = run.updated_at = at + timedelta(minutes=3 * answered) if answered else at
        if answered < len(planned):
            run.completed_at = None
        session.add(run)
    session.flush()


def _uuid(rng: random.Random) -> uuid.UUID:
    """Deterministic ids from the demo's seeded random source."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)
