"""The Today section: each active habit with one-tap check-in, yesterday's back-fill, mood log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, and_, col, func, or_, select

from app.accounts.models import User
from app.home.sections import TodaySection
from app.self_care import history
from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitPause, MoodLog
from app.self_care.targets import CheckIn, Outcome, Target, TargetKind, day_values


@dataclass(frozen=True)
class TodayHabit:
    id: uuid.UUID
    title: str
    step: str
    target: Target
    value: float
    amount: float
    paused: bool
    needs_yesterday: bool
    form_ids: tuple[str, ...]  # fresh ids, one per button: a replayed tap stays one check-in

    @property
    def counted(self) -> bool:
        return self.target.kind is TargetKind.AMOUNT

    @property
    def state(self) -> str:
        if self.paused:
            return "Paused"
        if self.value >= 1:
            return "Done today"
        if self.value > 0:
            return (
                f"{self.amount:g} of {self.target.amount:g} {self.target.unit}"
                if self.counted
                else "Partly done"
            )
        return ""


def _recent_check_ins(
    session: Session, client_id: uuid.UUID, since: date
) -> dict[uuid.UUID, list[CheckIn]]:
    """Check-ins since `since`, folded in SQL to one row per habit, day and outcome.

    A busy day (many "+1 glass" taps) stays a handful of rows: `day_values` only needs the best
    outcome and the summed amounts, so the fold gives exactly what the individual rows would.
    """
    amount = col(HabitCheckIn.amount)
    rows = session.exec(
        select(
            col(HabitCheckIn.habit_id),
            col(HabitCheckIn.done_on),
            col(HabitCheckIn.outcome),
            func.sum(amount),
            func.count(amount),
            func.count(),
        )
        .where(HabitCheckIn.client_id == client_id, HabitCheckIn.done_on >= since)
        .group_by(col(HabitCheckIn.habit_id), col(HabitCheckIn.done_on), col(HabitCheckIn.outcome))
    ).all()
    out: dict[uuid.UUID, list[CheckIn]] = {}
    for habit_id, on, outcome, total, with_amount, count in rows:
        mine = out.setdefault(habit_id, [])
        if with_amount:
            mine.append(CheckIn(on, Outcome(outcome), None, float(total)))
        if count > with_amount:
            mine.append(CheckIn(on, Outcome(outcome), None, None))
    return out


def today_section(
    *, session: Session, client: User, day: date, now: datetime
) -> TodaySection | None:
    del now
    rows = session.exec(
        select(col(Habit.id), col(Habit.title), col(Habit.started_on), HabitLevel)
        .join(
            HabitLevel,
            and_(col(HabitLevel.habit_id) == Habit.id, col(HabitLevel.number) == Habit.level),
        )
        .where(Habit.client_id == client.id, col(Habit.archived_at).is_(None))
        .order_by(col(Habit.created_at))
    ).all()
    yesterday = day - timedelta(days=1)
    check_ins = _recent_check_ins(session, client.id, yesterday)
    pauses = list(
        session.exec(
            select(HabitPause).where(
                HabitPause.client_id == client.id,
                HabitPause.starts_on <= day,
                or_(col(HabitPause.ends_on).is_(None), col(HabitPause.ends_on) >= yesterday),
            )
        )
    )
    mood = session.exec(
        select(col(MoodLog.mood)).where(MoodLog.client_id == client.id, MoodLog.logged_on == day)
    ).first()
    habits = []
    for habit_id, title, started_on, level in rows:
        target = history.to_target(level)
        own = [p for p in pauses if p.habit_id in (None, habit_id)]
        paused = history.paused_days(own, yesterday, day)
        mine = check_ins.get(habit_id, [])
        values = day_values(target, mine)
        habits.append(
            TodayHabit(
                id=habit_id,
                title=title,
                step=level.description,
                target=target,
                value=values.get(day, 0.0),
                amount=sum(c.amount or 0 for c in mine if c.on == day),
                paused=day in paused,
                needs_yesterday=(
                    started_on <= yesterday
                    and yesterday not in paused
                    and not any(c.on == yesterday for c in mine)
                    and (target.kind is TargetKind.WEEKLY or target.is_planned(yesterday))
                ),
                form_ids=tuple(str(uuid.uuid4()) for _ in range(8)),
            )
        )
    all_paused = any(
        p.habit_id is None
        for p in pauses
        if p.starts_on <= day and (p.ends_on is None or p.ends_on >= day)
    )
    return TodaySection(
        key="self_care",
        title="Self-care",
        template="self_care/_today.html",
        context={
            "habits": habits,
            "mood_logged": mood,
            "all_paused": all_paused,
            "mood_id": str(uuid.uuid4()),
        },
        order=30,
    )
