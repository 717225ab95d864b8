"""The set-based routines signals give the same days and counts as the per-client expansion did."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.routines import recurrence, runs, service, signals
from app.routines.models import RoutinePause
from app.routines.schemas import RoutineCreate, ScheduleIn, StepIn

RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;BYDAY=SA",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYMONTHDAY=1,17",
    "FREQ=MONTHLY;BYDAY=-1FR",
]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("starts_on", [date(2025, 11, 20), date(2026, 11, 12), date(2026, 11, 20)])
def test_window_matches_the_full_expansion(rule: str, starts_on: date) -> None:
    for first in (date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)):
        last = first + timedelta(days=6)
        expected = recurrence.occurrences_between(rule, starts_on, first, last)
        got = signals._window(rule, starts_on, first, last)
        assert [d for d, _ in got] == expected
        assert [k for _, k in got] == [d.isoformat() for d in expected]


def test_weekly_days_pauses_and_half_done_days(session: Session, client_user: User) -> None:
    wednesday = datetime(2026, 11, 18, 12, tzinfo=UTC)
    with clock.frozen_at(datetime(2026, 11, 2, 9, tzinfo=UTC)):
        weekly = service.create_routine(
            session=session,
            client_id=client_user.id,
            tz=client_user.time_zone,
            created_by_id=client_user.id,
            data=RoutineCreate(
                title="Walk",
                steps=[StepIn(title="a"), StepIn(title="b")],
                schedule=ScheduleIn(kind="days", days=["MO", "WE", "FR"]),
            ),
        )
        daily = service.create_routine(
            session=session,
            client_id=client_user.id,
            tz=client_user.time_zone,
            created_by_id=client_user.id,
            data=RoutineCreate(title="Wash", steps=[StepIn(title="w")]),
        )
    session.add(
        RoutinePause(routine_id=daily.id, starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 12))
    )
    session.commit()
    with clock.frozen_at(wednesday):
        step = service.steps_of(session, weekly.id)[0]
        runs.record_outcome(
            session=session,
            routine=weekly,
            tz=client_user.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
        )
        result = signals.caseload_signals(
            session=session, client_ids=[client_user.id], now=wednesday
        )
    mine = result[client_user.id]
    adherence = mine.adherence[signals.LABEL]
    # This week (Mon 16 – Wed 18): weekly on Mon and Wed, daily on three days; half of Wednesday.
    assert (adherence.planned, adherence.done) == (5, 0.5)
    # Last week: weekly Mon, Wed, Fri; daily seven days less the three paused ones.
    assert (adherence.planned_prev, adherence.done_prev) == (7, 0)
    assert [f.code for f in mine.flags] == ["routines_quiet"]
    assert mine.last_activity_at == wednesday
