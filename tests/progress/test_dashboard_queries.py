"""The dashboard's SQL statement count is the same for 2, 10 and 30 clients (no N+1), with every
domain's rows present for every client: routines (a weekly rule, a pause, a half-done run), habits
with check-ins and moods, calm episodes, homework, failing reminders and a sensory diet."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.coping import service as coping
from app.progress import dashboard
from app.reminders.models import ItemStatus, PushSubscription, ReminderItem
from app.routines import runs
from app.routines import service as routines
from app.routines.models import RoutinePause
from app.routines.schemas import RoutineCreate, ScheduleIn, StepIn
from app.self_care.models import MoodLog
from app.self_care.targets import Outcome
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from tests import factories
from tests.homework.helpers import assignment
from tests.self_care.helpers import check, start
from tests.statements import captured_statements

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a Wednesday
WEEK_AGO = NOW - timedelta(days=7)


def _busy_client(session: Session, therapist: User, n: int) -> User:
    client = factories.client(session, therapist=therapist, name=f"Client {n:02d}")
    with clock.frozen_at(WEEK_AGO - timedelta(days=7)):
        weekly = routines.create_routine(
            session=session,
            client_id=client.id,
            tz=client.time_zone,
            created_by_id=client.id,
            data=RoutineCreate(
                title="Walk",
                steps=[StepIn(title="out"), StepIn(title="back")],
                schedule=ScheduleIn(kind="days", days=["MO", "WE", "FR"]),
            ),
        )
        daily = routines.create_routine(
            session=session,
            client_id=client.id,
            tz=client.time_zone,
            created_by_id=client.id,
            data=RoutineCreate(title="Wash", steps=[StepIn(title="wash")]),
        )
        session.add(
            RoutinePause(
                routine_id=daily.id, starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 11)
            )
        )
        habit = start(session, client, "washing", level=2)
    with clock.frozen_at(NOW):
        step = routines.steps_of(session, weekly.id)[0]
        runs.record_outcome(
            session=session,
            routine=weekly,
            tz=client.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
        )
        check(session, client, habit, Outcome.PARTLY)
        coping.record_episode(
            session=session,
            client=client,
            data=coping.EpisodeInput(
                id=uuid.uuid4(),
                strategy_key="box-breathing",
                before=8,
                after=4,
                seconds=90,
                started_at=NOW - timedelta(hours=1),
            ),
        )
        assignment(session, therapist, client, frequency="daily")
    for day in range(3):
        on = NOW.date() - timedelta(days=day)
        session.add(MoodLog(id=uuid.uuid4(), client_id=client.id, logged_on=on, mood=2))
        session.add(
            ReminderItem(
                client_id=client.id,
                kind="routine",
                source_id=weekly.id,
                occurrence_key=f"k{day}",
                local_day=on,
                title="Walk",
                planned_at=NOW - timedelta(days=day, hours=2),
                due_at=NOW - timedelta(days=day, hours=2),
                status=ItemStatus.failed,
            )
        )
    session.add(
        PushSubscription(
            client_id=client.id,
            endpoint=f"https://push.example/{uuid.uuid4()}",
            p256dh="k",
            auth="a",
            device_name="Phone",
            gone_at=NOW - timedelta(days=1),
        )
    )
    item = SensoryDietItem(
        client_id=client.id,
        title="Rocking chair",
        activity_id="rocking_chair",
        local_time=time(15),
        days_mask=127,
        minutes=10,
        effect="calming",
        course="main_course",
        remind=False,
        starts_on=date(2026, 11, 2),
        created_by_id=client.id,
    )
    session.add(item)
    session.flush()
    session.add(
        SensoryDietCheckoff(
            item_id=item.id,
            client_id=client.id,
            done_on=NOW.date(),
            felt_after="just_right",
            created_by_id=client.id,
            created_at=NOW,
        )
    )
    session.commit()
    return client


def _dashboard_statements(session: Session, therapist: User) -> tuple[int, list[Any]]:
    # Frozen: homework's signals read the local day from the app clock, not from `now`, so on the
    # real date the seeded week would be long past and the test would depend on today's date.
    with clock.frozen_at(NOW), captured_statements(session) as statements:
        rows = dashboard.rows(session, therapist_id=therapist.id, now=NOW)
    return len(statements), rows


@pytest.mark.parametrize("sizes", [(2, 10, 30)])
def test_statement_count_is_the_same_for_2_10_and_30_clients(
    session: Session, therapist: User, sizes: tuple[int, ...]
) -> None:
    counts, made = [], 0
    for size in sizes:
        while made < size:
            _busy_client(session, therapist, made)
            made += 1
        count, rows = _dashboard_statements(session, therapist)
        counts.append(count)
        assert len(rows) == size
        for row in rows:  # every domain's rows were really read for every client
            assert set(row.by_label) >= {"Routines", "Self-care habits", "Sensory diet", "homework"}
            assert row.episodes == 1
            codes = {f.code for f in row.flags}
            assert {"reminders_failing", "reminders_device_gone"} <= codes
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 30, counts  # caseload, shared time zones, and each domain's few queries
