"""The habit page's reads: a fixed number of statements whatever the history's length, and the
same data a plain ORM reading (the reference below: how the page read before its statements were
built once) gives, on a varied random history."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, or_, select

from app import clock
from app.accounts.models import User
from app.self_care import history, levels, progress, summary
from app.self_care.models import (
    Habit,
    HabitCheckIn,
    HabitLevel,
    HabitLevelChange,
    HabitPause,
    HabitSuggestion,
    HabitSummary,
)
from app.self_care.strength import evaluate_week, heat_map, strength_series, week_start
from app.self_care.targets import CheckIn, Outcome
from tests.self_care.helpers import MONDAY, noon, start
from tests.statements import captured_statements


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=rng.randrange(12 * 60))


def _history(
    session: Session,
    client: User,
    key: str,
    days: int,
    today: date,
    seed: int,
    suggest: bool | None = None,
) -> Habit:
    """A habit started `days` ago with random check-ins (several a day, outcomes, amounts, notes),
    pauses (this habit's and all habits'), level changes and maybe a pending suggestion; the
    stored summary is rebuilt, as the write path keeps it."""
    rng = random.Random(seed)
    first = today - timedelta(days=days)
    with clock.frozen_at(noon(first)):
        habit = start(session, client, key, level=2)
    level = habit.level
    for i in range(days + 1):
        day = first + timedelta(days=i)
        if i and rng.random() < 0.04:
            to = rng.randint(1, habit.highest_level)
            session.add(
                HabitLevelChange(
                    habit_id=habit.id,
                    from_level=level,
                    to_level=to,
                    reason="chosen",
                    changed_by_id=client.id,
                    changed_on=day,
                    changed_at=_at(day, rng),
                )
            )
            level = to
        if rng.random() < 0.03:
            session.add(
                HabitPause(
                    client_id=client.id,
                    habit_id=habit.id if rng.random() < 0.6 else None,
                    starts_on=day,
                    ends_on=None if rng.random() < 0.1 else day + timedelta(rng.randrange(6)),
                    created_at=_at(day, rng),
                )
            )
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3])):
            session.add(
                HabitCheckIn(
                    id=uuid.uuid4(),
                    habit_id=habit.id,
                    client_id=client.id,
                    done_on=day,
                    outcome=rng.choice(list(Outcome)).value,
                    level=level,
                    confidence=rng.choice([None, *range(11)]),
                    amount=rng.choice([None, 0.5, 1.0, 2.0, 3.0]),
                    note=rng.choice([None, "", "fine", "hard day"]),
                    created_at=_at(day, rng),
                )
            )
    habit.level = level
    session.add(habit)
    if suggest is None:
        suggest = rng.random() < 0.5
    if suggest:
        session.add(
            HabitSuggestion(
                habit_id=habit.id,
                direction="up",
                from_level=level,
                to_level=min(level + 1, habit.highest_level),
                message="Ready?",
                created_on=today,
            )
        )
    session.flush()
    summary.refresh(session=session, habit=habit, today=today, changed_from=date.min)
    session.commit()
    return habit


def _page_reads(session: Session, habit: Habit, today: date) -> None:
    """What `habit_page` reads: the progress and the step history."""
    progress.habit_progress(session, habit, today)
    levels.step_history(session, habit.id)


def _page_statements(session: Session, habit: Habit, today: date) -> list[str]:
    session.expire_all()  # a fresh request's session: nothing in the identity map...
    session.refresh(habit)  # ...but the habit, which the page's dependency has loaded
    with captured_statements(session) as seen:
        _page_reads(session, habit, today)
    return seen


@pytest.mark.parametrize("suggest", [False, True])
def test_habit_page_statements_do_not_grow_with_history(
    session: Session, client_user: User, suggest: bool
) -> None:
    today = MONDAY + timedelta(days=400)
    short = _history(session, client_user, "washing", 20, today, seed=1, suggest=suggest)
    long = _history(session, client_user, "water", 300, today, seed=2, suggest=suggest)
    with clock.frozen_at(noon(today)):
        seen = [_page_statements(session, h, today) for h in (short, long)]
    # summary, levels, changes, check-ins, pauses, recent, pending (and its row), step history
    assert [len(s) for s in seen] == [8 + suggest] * 2, seen


def _orm_history(session: Session, habit: Habit, today: date, since: date) -> history.HabitHistory:
    """The reference: `history.load` as it was, with ORM selects and whole ORM rows."""
    start_on = max(habit.started_on, since)
    lvs = session.exec(select(HabitLevel).where(HabitLevel.habit_id == habit.id))
    changes = list(
        session.exec(
            select(HabitLevelChange)
            .where(HabitLevelChange.habit_id == habit.id)
            .order_by(col(HabitLevelChange.changed_on), col(HabitLevelChange.changed_at))
        )
    )
    rows = session.exec(
        select(
            col(HabitCheckIn.done_on),
            col(HabitCheckIn.outcome),
            col(HabitCheckIn.confidence),
            col(HabitCheckIn.amount),
        ).where(HabitCheckIn.habit_id == habit.id, HabitCheckIn.done_on >= start_on)
    ).all()
    check_ins = [CheckIn(on, Outcome(o), c, a) for on, o, c, a in rows]
    pauses = session.exec(
        select(HabitPause).where(
            HabitPause.client_id == habit.client_id,
            or_(col(HabitPause.habit_id).is_(None), HabitPause.habit_id == habit.id),
        )
    ).all()
    paused = history.paused_days(pauses, start_on, today)
    levels_by_number: dict[int, history.LevelColumns] = {lv.number: lv for lv in lvs}
    return history.HabitHistory(
        habit, levels_by_number, changes, check_ins, paused, start_on, today
    )


def _old_progress(session: Session, habit: Habit, today: date, weeks: int = 6) -> dict[str, Any]:
    """The habit page's data the way it was read before the prebuilt statements: ORM selects and
    the reference history above."""
    kept = summary.stored(session.get(HabitSummary, habit.id))
    if kept is not None and kept.settled_on > summary.settle_day(today):
        kept = None
    begin = summary.first_day(habit, today) if kept is None else kept.settled_on + timedelta(days=1)
    heat_from = week_start(today) - timedelta(weeks=max(weeks, 2) - 1)
    hist = _orm_history(session, habit, today, since=min(begin, heat_from))
    values = hist.values()
    points = (kept.tail if kept else []) + strength_series(
        target_on=hist.target_on,
        values=values,
        start=begin,
        today=today,
        paused=hist.paused,
        state=kept.state if kept else None,
    )
    monday = week_start(today)

    def week(start_on: date) -> object:
        return evaluate_week(
            start=start_on,
            target=hist.target,
            values=values,
            today=today,
            paused=hist.paused,
            active_from=habit.started_on,
        )

    recent = session.exec(
        select(HabitCheckIn)
        .where(HabitCheckIn.habit_id == habit.id)
        .order_by(col(HabitCheckIn.created_at).desc())
        .limit(10)
    ).all()
    pending = session.exec(
        select(HabitSuggestion).where(
            HabitSuggestion.habit_id == habit.id, HabitSuggestion.state == "pending"
        )
    ).first()
    lvs = sorted(hist.levels.values(), key=lambda lv: lv.number)
    return {
        "levels": [_level(lv) for lv in lvs],
        "steps": [(_level(lv), history.to_target(lv).describe()) for lv in lvs],
        "target": hist.target,
        "strength": points[-1].percent if points else 0,
        "strength_points": points,
        "this_week": week(monday),
        "last_week": week(monday - timedelta(weeks=1)),
        "heat": heat_map(
            target_on=hist.target_on,
            values=values,
            start=habit.started_on,
            today=today,
            weeks=weeks,
            paused=hist.paused,
        ),
        "paused_today": today in hist.paused,
        "today_value": values.get(today, 0.0),
        "today_amount": sum(c.amount or 0.0 for c in hist.check_ins if c.on == today),
        "suggestion": pending,
        "recent": [(c.done_on, c.outcome, c.amount, c.confidence, c.note) for c in recent],
        "history": [
            (h.changed_on, h.from_level, h.to_level)
            for h in levels.level_history(session, habit.id)
        ],
    }


def _level(lv: history.LevelColumns) -> tuple[Any, ...]:
    return (
        lv.number,
        lv.description,
        lv.target_kind,
        lv.days,
        lv.times_per_week,
        lv.amount,
        lv.unit,
    )


def _new_progress(session: Session, habit: Habit, today: date) -> dict[str, Any]:
    p = progress.habit_progress(session, habit, today)
    return {
        "levels": [_level(lv) for lv in p.levels],
        "steps": [(_level(lv), text) for lv, text in p.steps],
        "target": p.target,
        "strength": p.strength,
        "strength_points": p.strength_points,
        "this_week": p.this_week,
        "last_week": p.last_week,
        "heat": p.heat,
        "paused_today": p.paused_today,
        "today_value": p.today_value,
        "today_amount": p.today_amount,
        "suggestion": p.suggestion,
        "recent": [(c.done_on, c.outcome, c.amount, c.confidence, c.note) for c in p.recent],
        "history": [
            (h.changed_on, h.from_level, h.to_level) for h in levels.step_history(session, habit.id)
        ],
    }


@pytest.mark.parametrize("seed", [3, 7, 11])
def test_habit_page_data_equals_the_orm_path(
    session: Session, client_user: User, seed: int
) -> None:
    today = MONDAY + timedelta(days=200)
    key = "water" if seed % 2 else "washing"
    habit = _history(session, client_user, key, 150, today, seed=seed)
    for shift in (0, 1, 3):  # the summary settled today, and a few days on (live days read)
        day = today + timedelta(days=shift)
        with clock.frozen_at(noon(day)):
            session.expire_all()
            new = _new_progress(session, habit, day)
            session.expire_all()
            old = _old_progress(session, habit, day)
        assert new == old
        assert new["recent"]
        assert len(new["history"]) > 2  # level changes, besides the start
    spans = session.exec(select(HabitPause).where(HabitPause.client_id == client_user.id)).all()
    assert len(spans) > 1  # and pauses
