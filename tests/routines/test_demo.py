"""The demo seed gives every demo client routines with two weeks of partial and full days."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from app import clock, demo
from app.routines import queries
from app.routines.models import Routine, RoutineRun


def test_demo_seed_makes_routines_with_history(session: Session) -> None:
    with clock.frozen_at(datetime(2026, 11, 23, 10, 0, tzinfo=UTC)):
        logins = demo.seed(session)
        clients = [login for login in logins if login.role == "client"]
        routines = session.exec(select(Routine)).all()
        assert len(routines) == 3 * len(clients)
        runs = session.exec(select(RoutineRun)).all()
        assert runs
        assert any(0 < r.done_count < r.planned_count for r in runs)  # partial days exist
        assert any(r.done_count == r.planned_count for r in runs)
        routine = routines[0]
        history = queries.routine_history(session, routine, clock.local_today("Europe/London"))
        assert sum(c.done for c in history.cells) > 0
