"""Reminder times reach the reminders domain (SEAMS 4) once both are deployed together."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.routines import service
from app.routines.schemas import RoutineCreate, StepIn

reminders_models = pytest.importorskip(
    "app.reminders.models", reason="the reminders domain is not on this branch"
)


def test_reminder_times_register_switch_off_and_remove_a_schedule(
    session: Session, client_user: User
) -> None:
    schedule_model = reminders_models.ReminderSchedule
    with clock.frozen_at(datetime(2026, 11, 23, 6, 0, tzinfo=UTC)):
        routine = service.create_routine(
            session=session,
            client_id=client_user.id,
            tz=client_user.time_zone,
            created_by_id=client_user.id,
            data=RoutineCreate(title="Up", steps=[StepIn(title="Sit up")]),
        )
        service.set_reminder_times(
            session=session, routine=routine, times=[time(9, 30), time(8, 0)], only_if_not_done=True
        )
        schedule = session.exec(
            select(schedule_model).where(schedule_model.source_id == routine.id)
        ).one()
        assert schedule.kind == "routine"
        assert schedule.active
        assert schedule.rrule == "FREQ=DAILY"
        assert schedule.only_if_not_done
        service.archive_routine(session=session, routine=routine)
        session.refresh(schedule)
        assert not schedule.active
        service.archive_routine(session=session, routine=routine, archived=False)
        service.set_reminder_times(
            session=session, routine=routine, times=[], only_if_not_done=True
        )
        session.refresh(schedule)
        assert not schedule.active
