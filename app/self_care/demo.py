"""Two weeks of self-care history for the demo clients: graded habits, check-ins with the odd
hard day, a pause, mood logs, and one step-up suggestion waiting for Sam."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlmodel import select

from app.accounts.models import User
from app.demo import DemoContext
from app.self_care import suggestions, summary
from app.self_care.ladders import builtin_ladder
from app.self_care.models import (
    Habit,
    HabitCheckIn,
    HabitLevel,
    HabitLevelChange,
    HabitPause,
    MoodLog,
)
from app.self_care.targets import Outcome, TargetKind

DAYS = 15
# (ladder, level, chance of doing it on a given day) per demo client, by position.
PLANS: list[list[tuple[str, int, float]]] = [
    [("washing", 2, 1.0), ("water", 2, 0.8), ("outside", 2, 0.6)],
    [("dressing", 1, 0.7), ("eating", 2, 0.6)],
    [("sleep", 2, 0.75), ("moving", 1, 0.5), ("money", 1, 0.5)],
    [("medication", 2, 0.9), ("social", 1, 0.6), ("leisure", 1, 0.5)],
]


def seed(ctx: DemoContext) -> None:
    for client, plan in zip(ctx.clients, PLANS, strict=False):
        today = ctx.today_for(client)
        start = today - timedelta(days=DAYS)
        for key, level, chance in plan:
            _habit(ctx, client, key, level, chance, start)
        _mood(ctx, client, start)
    # Alex was unwell for three days last week: a pause, so nothing counts against them.
    alex = ctx.clients[1]
    alex_today = ctx.today_for(alex)
    ctx.session.add(
        HabitPause(
            client_id=alex.id,
            starts_on=alex_today - timedelta(days=9),
            ends_on=alex_today - timedelta(days=7),
            reason="Flu",
        )
    )
    ctx.session.flush()
    for client in ctx.clients:
        today = ctx.today_for(client)
        for habit in ctx.session.exec(select(Habit).where(Habit.client_id == client.id)).all():
            suggestions.refresh(session=ctx.session, habit=habit, today=today)
            summary.refresh(session=ctx.session, habit=habit, today=today, changed_from=date.min)
    ctx.session.flush()


def _habit(
    ctx: DemoContext, client: User, key: str, level: int, chance: float, start: date
) -> None:
    ladder = builtin_ladder(key)
    assert ladder is not None
    habit = Habit(
        client_id=client.id,
        created_by_id=client.id,
        life_area=ladder.life_area.value,
        title=ladder.title,
        source=f"builtin:{key}",
        level=level,
        lowest_level=1,
        highest_level=len(ladder.levels),
        level_started_on=start,
        started_on=start,
    )
    ctx.session.add(habit)
    ctx.session.flush()
    for number, spec in enumerate(ladder.levels, start=1):
        t = spec.target
        ctx.session.add(
            HabitLevel(
                habit_id=habit.id,
                number=number,
                description=spec.description,
                target_kind=t.kind.value,
                days="".join(str(d) for d in sorted(t.days)),
                times_per_week=t.times_per_week,
                amount=t.amount,
                unit=t.unit,
            )
        )
    ctx.session.add(
        HabitLevelChange(
            habit_id=habit.id,
            to_level=level,
            reason="started",
            changed_by_id=client.id,
            changed_on=start,
        )
    )
    target = ladder.levels[level - 1].target
    rng = ctx.rng
    for i in range(DAYS):
        day = start + timedelta(days=i)
        if (
            target.kind is TargetKind.WEEKLY
            and rng.random() > (target.times_per_week or 1) / 7 + 0.1
        ):
            continue
        roll = rng.random()
        confidence = rng.choice([7, 8, 8, 9]) if chance >= 0.9 else rng.randint(4, 8)
        if roll < chance:
            outcome, reason = Outcome.DONE, None
        elif roll < chance + 0.15:
            outcome, reason = Outcome.PARTLY, rng.choice(["energy", "time", None])
        else:
            outcome, reason = Outcome.NOT_TODAY, rng.choice(["energy", "mood", "pain", None])
        amount = None
        if target.kind is TargetKind.AMOUNT and outcome is not Outcome.NOT_TODAY:
            full = target.amount or 1
            amount = full if outcome is Outcome.DONE else max(1.0, round(full / 2))
        ctx.session.add(
            HabitCheckIn(
                id=uuid.uuid4(),
                habit_id=habit.id,
                client_id=client.id,
                done_on=day,
                outcome=outcome.value,
                reason=reason,
                level=level,
                confidence=confidence,
                pleasure=rng.randint(3, 8),
                mastery=rng.randint(3, 8),
                amount=amount,
            )
        )
    ctx.session.flush()


def _mood(ctx: DemoContext, client: User, start: date) -> None:
    rng = ctx.rng
    mood = 3
    for i in range(DAYS):
        if rng.random() < 0.15:
            continue  # some days are not logged, and that is fine
        mood = min(5, max(1, mood + rng.choice([-1, 0, 0, 1])))
        ctx.session.add(
            MoodLog(
                id=uuid.uuid4(),
                client_id=client.id,
                logged_on=start + timedelta(days=i),
                mood=mood,
                energy=min(5, max(1, mood + rng.choice([-1, 0, 1]))),
                hours_slept=rng.choice([5.5, 6, 6.5, 7, 7.5, 8, 9]),
            )
        )
