"""The throttle's two kinds of limit, and forgetting old events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app import clock
from app.accounts import jobs, throttle
from app.accounts.models import LoginFailure
from app.accounts.throttle import Limit

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
GROWING = Limit("test-growing", timedelta(hours=1), 3, timedelta(seconds=10))
CEILING = Limit("test-ceiling", timedelta(minutes=10), 3)


def _waits(session: Session, limit: Limit, events: int) -> list[float]:
    """Record `events` one second apart, saying how long the next one would have had to wait."""
    waits = []
    for _ in range(events):
        waits.append(throttle.wait_needed(session, [(limit, "who")]).total_seconds())
        throttle.record(session, [(limit, "who")])
        session.flush()
        clock.advance(timedelta(seconds=1))
    return waits


def test_a_growing_limit_doubles_the_wait_after_the_free_events(session: Session) -> None:
    with clock.frozen_at(MONDAY):
        assert _waits(session, GROWING, 3) == [0, 0, 0]
        # 10 s after the last of the free three (1 s has passed), then 20 s, 40 s…
        assert throttle.wait_needed(session, [(GROWING, "who")]).total_seconds() == 9
        throttle.record(session, [(GROWING, "who")])
        session.flush()
        assert throttle.wait_needed(session, [(GROWING, "who")]).total_seconds() == 20
        # Someone else is not affected.
        assert throttle.wait_needed(session, [(GROWING, "other")]) == timedelta(0)


def test_a_ceiling_holds_no_more_than_its_events_in_any_window(session: Session) -> None:
    with clock.frozen_at(MONDAY):
        assert _waits(session, CEILING, 3) == [0, 0, 0]
        # The oldest of the three is 3 s old: there is room again when it is 10 minutes old.
        assert throttle.wait_needed(session, [(CEILING, "who")]) == timedelta(
            minutes=10, seconds=-3
        )
        clock.advance(timedelta(minutes=10, seconds=-3))
        assert throttle.wait_needed(session, [(CEILING, "who")]) == timedelta(0)


def test_old_events_are_forgotten(session: Session) -> None:
    with clock.frozen_at(MONDAY):
        throttle.record(session, [(GROWING, "old")])
        clock.advance(throttle.KEEP + timedelta(minutes=1))
        throttle.record(session, [(GROWING, "new")])
        assert throttle.prune(session) == 1
    assert session.exec(select(func.count()).select_from(LoginFailure)).one() == 1


def test_the_hourly_job_forgets_for_real(engine: Engine) -> None:
    key = "job-test-" + uuid.uuid4().hex
    with Session(engine) as db:
        db.add(LoginFailure(key_hash=key[:64], at=clock.now() - throttle.KEEP - timedelta(hours=1)))
        db.commit()
    jobs.JOBS[0].func()
    with Session(engine) as db:
        assert db.exec(select(LoginFailure).where(LoginFailure.key_hash == key[:64])).all() == []
