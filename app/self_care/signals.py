"""What self-care tells the caseload dashboard: habit adherence this week and last (paused days
left out), the latest activity, and gentle flags. A fixed number of queries for any caseload."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, case, cast, func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, and_, col, select

from app import clock
from app.accounts import policy
from app.accounts.models import RecordKind
from app.accounts.zones import client_zones
from app.i18n import N_
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
from app.self_care.targets import CheckIn, Outcome, Target, day_values
from app.signals import Adherence, ClientSignals, Flag

LABEL = "Self-care habits"
_OUTCOMES = {o.value: o for o in Outcome}  # a dict lookup, not an Enum call per check-in
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
        core_select(
            col(Habit.id),
            _key(Habit.id),
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
    # Folded per habit, day, outcome and amount (`history.CHECK_IN_FOLD`): a day of many taps is
    # one row, with exactly the values of the single rows.
    habit_key = _key(HabitCheckIn.habit_id)
    check_ins = session.execute(
        core_select(habit_key, *history.CHECK_IN_FOLD, func.count())
        .where(col(HabitCheckIn.client_id).in_(ids), col(HabitCheckIn.done_on) >= earliest)
        .group_by(habit_key, *history.CHECK_IN_FOLD)
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
    # This week's moods are counted in SQL: one condition per distinct local date among the
    # clients (time zones span 26 hours, so at most three), never a row per logged day.
    by_today: dict[date, list[uuid.UUID]] = defaultdict(list)
    for cid, day in today.items():
        by_today[day].append(cid)
    in_week = or_(
        *(
            and_(col(MoodLog.client_id).in_(group), MoodLog.logged_on > day - timedelta(days=7))
            for day, group in by_today.items()
        )
    )
    moods = session.execute(
        select(
            col(MoodLog.client_id),
            func.max(col(MoodLog.updated_at)),
            func.sum(case((in_week, 1), else_=0)),
            func.sum(case((in_week, col(MoodLog.mood)), else_=0)),
        )
        .where(
            col(MoodLog.client_id).in_(ids),
            MoodLog.logged_on >= earliest,
            # A mood log the client keeps private raises no flag and counts as no activity.
            col(MoodLog.client_id).not_in(policy.private_clients(RecordKind.mood)),
        )
        .group_by(col(MoodLog.client_id))
    ).all()
    waiting = dict(
        session.exec(
            select(col(Habit.client_id), func.count(col(HabitSuggestion.id)))
            .join(Habit, col(Habit.id) == HabitSuggestion.habit_id)
            .where(col(Habit.client_id).in_(ids), HabitSuggestion.state == "pending")
            .group_by(col(Habit.client_id))
        ).all()
    )

    by_habit: dict[str, list[CheckIn]] = defaultdict(list)
    for habit_id, on, outcome, amount, count in check_ins:
        by_habit[habit_id].append(CheckIn(on, _OUTCOMES[outcome], None, amount, count))
    pauses_of: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for p in pauses:
        pauses_of[p.client_id].append(p)
    targets: dict[tuple[Any, ...], Target] = {}

    out = {cid: ClientSignals() for cid in ids}
    totals: dict[uuid.UUID, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for habit_id, habit_key, cid, started_on, *level in rows:
        day = today[cid]
        own = [p for p in pauses_of[cid] if p.habit_id in (None, habit_id)]
        paused = history.paused_days(own, day - timedelta(days=14), day) if own else set()
        key = tuple(level)
        target = targets.get(key)
        if target is None:
            target = targets[key] = history.target_of(*level)
        values = day_values(target, [c for c in by_habit[habit_key] if c.on not in paused])
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

    mood_week = {cid: (int(n or 0), int(total or 0)) for cid, _, n, total in moods}
    last_mood = {cid: at for cid, at, _, _ in moods}
    for cid in ids:
        signals = out[cid]
        times = [t for t in (last_check_in.get(cid), last_mood.get(cid)) if t is not None]
        signals.last_activity_at = max(times) if times else None
        _flags(signals, *mood_week.get(cid, (0, 0)), waiting.get(cid, 0))
    return out


def _key(column: Any) -> Any:
    """An id column read as plain text: a UUID object per check-in row cost more than the rest."""
    return cast(col(column), String).label(None)


def _flags(signals: ClientSignals, mood_days: int, mood_total: int, waiting: int) -> None:
    if mood_days >= LOW_MOOD_DAYS and mood_total / mood_days <= 2:
        signals.flags.append(
            Flag("self_care.low_mood", N_("Mood logged as low on most days this week"), "attention")
        )
    if waiting:
        # Catalog messages, translated where the dashboard shows them; the count is on the client's
        # own page, so the flag needs no number (and so no sentence built around one).
        reason = (
            N_("A level suggestion is waiting")
            if waiting == 1
            else N_("Level suggestions are waiting")
        )
        signals.flags.append(Flag("self_care.suggestion", reason, "info"))
