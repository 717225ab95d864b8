"""What self-care tells the caseload dashboard: habit adherence this week and last (paused days
left out), the latest activity, and gentle flags. A fixed number of queries for any caseload."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, and_, col, select

from app import clock
from app.self_care import history
from app.self_care.models import (
    Habit,
    HabitCheckIn,
    HabitLevel,
    HabitPause,
    HabitSuggestion,
    MoodLog,
)
from app.self_care.strength import evaluate_week
from app.self_care.targets import CheckIn, Outcome, Target, TargetKind, day_values
from app.signals import Adherence, ClientSignals, Flag, client_zones

LABEL = "Self-care habits"
LOW_MOOD_DAYS = 4  # at least this many logs this week averaging "low" or below


def caseload_signals(
    *, session: Session, client_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, ClientSignals]:
    ids = list(client_ids)
    if not ids:
        return {}
    zones = client_zones(session, ids)
    today = {cid: now.astimezone(clock.zone(zones.get(cid, "UTC"))).date() for cid in ids}
    earliest = min(today.values()) - timedelta(days=14)
    rows = session.execute(
        select(
            col(Habit.id),
            col(Habit.client_id),
            col(Habit.started_on),
            col(HabitLevel.target_kind),
            col(HabitLevel.days),
            col(HabitLevel.times_per_week),
            col(HabitLevel.amount),
            col(HabitLevel.unit),
        )
        .join(
            HabitLevel,
            and_(col(HabitLevel.habit_id) == Habit.id, col(HabitLevel.number) == Habit.level),
        )
        .where(col(Habit.client_id).in_(ids), col(Habit.archived_at).is_(None))
    ).all()
    check_ins = session.exec(
        select(
            col(HabitCheckIn.habit_id),
            col(HabitCheckIn.done_on),
            col(HabitCheckIn.outcome),
            col(HabitCheckIn.amount),
        ).where(col(HabitCheckIn.client_id).in_(ids), HabitCheckIn.done_on >= earliest)
    ).all()
    pauses = session.execute(
        select(
            col(HabitPause.client_id),
            col(HabitPause.habit_id),
            col(HabitPause.starts_on),
            col(HabitPause.ends_on),
        ).where(col(HabitPause.client_id).in_(ids))
    ).all()
    last_check_in = dict(
        session.exec(
            select(col(HabitCheckIn.client_id), func.max(col(HabitCheckIn.created_at)))
            .where(col(HabitCheckIn.client_id).in_(ids))
            .group_by(col(HabitCheckIn.client_id))
        ).all()
    )
    moods = session.exec(
        select(
            col(MoodLog.client_id),
            col(MoodLog.logged_on),
            col(MoodLog.mood),
            col(MoodLog.updated_at),
        ).where(col(MoodLog.client_id).in_(ids), MoodLog.logged_on >= earliest)
    ).all()
    waiting = dict(
        session.exec(
            select(col(Habit.client_id), func.count(col(HabitSuggestion.id)))
            .join(Habit, col(Habit.id) == HabitSuggestion.habit_id)
            .where(col(Habit.client_id).in_(ids), HabitSuggestion.state == "pending")
            .group_by(col(Habit.client_id))
        ).all()
    )

    by_habit: dict[uuid.UUID, list[CheckIn]] = defaultdict(list)
    for habit_id, on, outcome, amount in check_ins:
        by_habit[habit_id].append(CheckIn(on, Outcome(outcome), None, amount))
    pauses_of: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for p in pauses:
        pauses_of[p.client_id].append(p)
    targets: dict[tuple[Any, ...], Target] = {}

    out = {cid: ClientSignals() for cid in ids}
    totals: dict[uuid.UUID, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for habit_id, cid, started_on, *level in rows:
        day = today[cid]
        own = [p for p in pauses_of[cid] if p.habit_id in (None, habit_id)]
        paused = history.paused_days(own, day - timedelta(days=14), day) if own else set()
        key = tuple(level)
        target = targets.get(key)
        if target is None:
            target = targets[key] = _target(*level)
        values = day_values(target, [c for c in by_habit[habit_id] if c.on not in paused])
        monday = day - timedelta(days=day.weekday())
        for slot, start in ((0, monday), (2, monday - timedelta(weeks=1))):
            week = evaluate_week(
                start=start,
                target=target,
                values=values,
                today=day,
                paused=paused,
                active_from=started_on,
                active_until=day,
            )
            totals[cid][slot] += week.planned
            totals[cid][slot + 1] += week.done
    for cid, (planned, done, planned_prev, done_prev) in totals.items():
        out[cid].adherence[LABEL] = Adherence(planned, done, planned_prev, done_prev)

    mood_week: dict[uuid.UUID, list[int]] = defaultdict(list)
    last_mood: dict[uuid.UUID, datetime] = {}
    for cid, on, mood, updated_at in moods:
        if on > today[cid] - timedelta(days=7):
            mood_week[cid].append(mood)
        if cid not in last_mood or updated_at > last_mood[cid]:
            last_mood[cid] = updated_at
    for cid in ids:
        signals = out[cid]
        times = [t for t in (last_check_in.get(cid), last_mood.get(cid)) if t is not None]
        signals.last_activity_at = max(times) if times else None
        _flags(signals, mood_week.get(cid, []), waiting.get(cid, 0))
    return out


def _target(
    kind: str, days: str, times_per_week: int | None, amount: float | None, unit: str | None
) -> Target:
    """The same Target as `history.to_target`, from the level's columns (no ORM object)."""
    return Target(
        kind=TargetKind(kind),
        days=frozenset(int(d) for d in days),
        times_per_week=times_per_week,
        amount=amount,
        unit=unit,
    )


def _flags(signals: ClientSignals, week_moods: list[int], waiting: int) -> None:
    if len(week_moods) >= LOW_MOOD_DAYS and sum(week_moods) / len(week_moods) <= 2:
        signals.flags.append(
            Flag("self_care.low_mood", "Mood logged as low on most days this week", "attention")
        )
    if waiting:
        reason = (
            "A level suggestion is waiting"
            if waiting == 1
            else f"{waiting} level suggestions are waiting"
        )
        signals.flags.append(Flag("self_care.suggestion", reason, "info"))
