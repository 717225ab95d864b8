"""Seams between domains that only hold once they ship together."""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.reminders import service as reminders
from app.reminders.models import ReminderItem, ReminderSchedule
from tests.homework.helpers import assignment


def test_an_every_other_day_schedule_counts_from_its_own_first_day(
    session: Session, client_user: User
) -> None:
    import uuid

    source = uuid.uuid4()
    # Yesterday: counted from its own first day the rule skips today; counted from today it wouldn't.
    first_day = clock.local_today(client_user.time_zone) - timedelta(days=1)
    reminders.sync_schedule(
        session=session,
        client_id=client_user.id,
        kind="routine",
        source_id=source,
        title="Plants",
        body="Water the plants",
        url="/routines",
        local_times=[time(9, 0)],
        rrule="FREQ=DAILY;INTERVAL=2",
        only_if_not_done=True,
        active=True,
        starts_on=first_day,
    )
    schedule = session.exec(
        select(ReminderSchedule).where(ReminderSchedule.source_id == source)
    ).one()
    assert schedule.start_on == first_day
    days = session.exec(
        select(ReminderItem.local_day).where(ReminderItem.source_id == source)
    ).all()
    assert days
    assert all((day - first_day).days % 2 == 0 for day in days)


def test_assigning_and_revising_homework_tells_the_client(
    session: Session, therapist: User, client_user: User
) -> None:
    homework = assignment(session, therapist, client_user)
    titles = session.exec(
        select(ReminderItem.title).where(
            ReminderItem.source_id == homework.id, col(ReminderItem.kind) == "homework"
        )
    ).all()
    assert "New homework from your therapist" in titles
