"""Stored habit summaries: always equal to a from-scratch recomputation; Today's query count is
fixed; the migration backfills existing habits (on SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, delete

from app import clock
from app.accounts.models import User
from app.self_care import history, levels, pauses, progress, summary
from app.self_care.models import Habit, HabitSummary
from app.self_care.schemas import PauseCreate
from app.self_care.strength import StrengthPoint, strength_series
from app.self_care.targets import Outcome
from app.self_care.today import today_section
from tests.self_care.helpers import MONDAY, check, noon, start
from tests.statements import captured_statements

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _scratch(session: Session, habit: Habit, settled: date) -> list[StrengthPoint]:
    begin = summary.first_day(habit, settled)
    hist = history.load(session, habit, settled, since=begin)
    return strength_series(
        target_on=hist.target_on,
        values=hist.values(),
        start=begin,
        today=settled,
        end=settled,
        paused=hist.paused,
    )


def _assert_matches_scratch(session: Session, habit: Habit) -> None:
    row = session.get(HabitSummary, habit.id)
    assert row is not None
    session.refresh(row)
    if row.settled_on is None:
        assert row.score == 0.0
        return
    points = _scratch(session, habit, row.settled_on)
    assert row.score == (points[-1].score if points else 0.0)  # exact: same arithmetic
    assert tuple(row.recent) == (points[-1].recent if points else ())
    assert row.tail == [[p.on.isoformat(), p.score] for p in summary.trim(points, row.settled_on)]


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("check"), st.sampled_from(list(Outcome)), st.booleans()),
        st.tuples(st.just("days"), st.integers(1, 9)),
        st.tuples(st.just("level"), st.integers(1, 5)),
        st.tuples(st.just("pause"), st.integers(0, 14), st.integers(0, 5)),
        st.tuples(st.just("resume")),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_stored_summary_equals_a_recomputation_after_any_writes(
    session: Session, client_user: User, ops: list[tuple[Any, ...]]
) -> None:
    day = MONDAY
    with clock.frozen_at(noon(day)):
        habit = start(session, client_user, "washing", level=2)
    for op in ops:
        with clock.frozen_at(noon(day)):
            if op[0] == "check":
                on = day - timedelta(days=1) if op[2] and day > habit.started_on else None
                check(session, client_user, habit, op[1], on=on)
            elif op[0] == "days":
                day += timedelta(days=op[1])
            elif op[0] == "level":
                levels.change_level(
                    session=session, actor=client_user, habit=habit, to_level=op[1], reason="chosen"
                )
            elif op[0] == "pause":
                starts = max(day - timedelta(days=op[1]), habit.started_on)
                pauses.pause(
                    session=session,
                    client=client_user,
                    habit=habit,
                    data=PauseCreate(starts_on=starts, ends_on=starts + timedelta(days=op[2])),
                )
            else:
                pauses.resume(session=session, client=client_user, habit=habit)
        if op[0] != "days" and session.get(HabitSummary, habit.id) is not None:
            _assert_matches_scratch(session, habit)
    # And what a page shows equals the strength computed from the whole history.
    with clock.frozen_at(noon(day)):
        shown = progress.habit_progress(session, habit, day)
    begin = summary.first_day(habit, day)
    hist = history.load(session, habit, day, since=begin)
    full = strength_series(
        target_on=hist.target_on, values=hist.values(), start=begin, today=day, paused=hist.paused
    )
    assert shown.strength == (full[-1].percent if full else 0)
    week_ago = [p for p in full if p.on <= day - timedelta(days=7)]
    assert shown.strength_week_ago == (week_ago[-1].percent if week_ago else 0)


def _count_today_statements(session: Session, client: User, day: date) -> int:
    with captured_statements(session) as seen:
        section = today_section(session=session, client=client, day=day, now=clock.now())
    assert section is not None
    return len(seen)


def test_todays_habits_take_the_same_queries_for_one_or_eight_habits(
    session: Session, client_user: User, therapist: User
) -> None:
    from tests import factories

    other = factories.client(session, therapist=therapist)
    keys = ["washing", "water", "outside", "dressing", "sleep", "money", "washing", "water"]
    day = MONDAY + timedelta(days=20)
    for who, count in ((client_user, 1), (other, 8)):
        for key in keys[:count]:
            with clock.frozen_at(noon(MONDAY)):
                habit = start(session, who, key)
            for i in range(0, 21, 2):
                with clock.frozen_at(noon(MONDAY + timedelta(days=i))):
                    check(session, who, habit, Outcome.DONE)
    session.expire_all()
    session.refresh(client_user)
    session.refresh(other)
    one = _count_today_statements(session, client_user, day)
    eight = _count_today_statements(session, other, day)
    assert one == eight
    assert one <= 4


def _migration() -> Any:
    path = ROOT / "app" / "migrations" / "versions" / "20261123_self_care_0002.py"
    spec = importlib.util.spec_from_file_location("self_care_0002", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_backfills_summaries_of_existing_habits(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    for i in range(12):
        with clock.frozen_at(noon(MONDAY + timedelta(days=i))):
            check(session, client_user, habit, Outcome.DONE if i % 3 else Outcome.PARTLY)
    # As before the migration: habits and check-ins, no summaries.
    session.exec(delete(HabitSummary))  # type: ignore[call-overload]
    session.flush()
    assert session.get(HabitSummary, habit.id) is None
    with clock.frozen_at(noon(MONDAY + timedelta(days=12))):
        _migration().backfill(session.connection())
    session.expire_all()
    row = session.get(HabitSummary, habit.id)
    assert row is not None
    assert row.settled_on == MONDAY + timedelta(days=10)
    assert row.score > 0
    _assert_matches_scratch(session, habit)
