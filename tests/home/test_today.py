"""GET /today: a fixed number of statements whatever the client has (no section may add an N+1),
and every section's content for a client with a little of everything."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.homework.models import HomeworkAssignment
from app.progress.models import MeasureSchedule
from app.routines.models import Routine
from app.sensory.models import SensoryDietItem
from tests import factories
from tests.self_care.helpers import start
from tests.statements import captured_executions, captured_statements

# Today's statements when drawn afresh, whatever the client has: session lookup 1, the client's
# data version 1 (app/sections.py), routines 1, self-care 3, sensory 1, homework 1, reminders 1-2,
# questionnaires 1 (see app/prebuilt.py). A view whose sections are kept: tests/home/test_today_memo.py.
MAX_STATEMENTS = 12


def _without_transaction_control(statements: list[str]) -> list[str]:
    skip = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")
    return [s for s in statements if not s.lstrip().upper().startswith(skip)]


def give(session: Session, client: User, therapist: User, n: int) -> None:
    """n of everything Today shows: routines, habits, homework, sensory items, questionnaires."""
    today = clock.local_today(client.time_zone)
    ladders = ["washing", "water", "sleep", "money", "moving", "outside"]
    for i in range(n):
        session.add(
            Routine(
                client_id=client.id,
                title=f"Routine {i}",
                starts_on=today,
                rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
                step_count=3,
            )
        )
        session.add(
            HomeworkAssignment(
                client_id=client.id,
                therapist_id=therapist.id,
                kind="activity",
                title=f"Homework {i}",
                frequency="daily",
                start_on=today - timedelta(days=1),
                due_on=today + timedelta(days=5),
                state="accepted",
            )
        )
        session.add(
            SensoryDietItem(
                client_id=client.id,
                title=f"Item {i}",
                local_time=time(9, i),
                effect="calming",
                course="snack",
                starts_on=today,
                created_by_id=therapist.id,
            )
        )
        session.add(
            MeasureSchedule(
                client_id=client.id,
                code=("phq9", "gad7")[i % 2],
                next_due_on=today,
                created_by_id=therapist.id,
            )
        )
    session.flush()
    for key in ladders[:n]:
        start(session, client, key)


def test_today_takes_the_same_statements_for_one_or_six_of_everything(
    http: Any, session: Session, therapist: User
) -> None:
    one, six = (
        factories.client(session, therapist=therapist),
        factories.client(session, therapist=therapist),
    )
    give(session, one, therapist, 1)
    give(session, six, therapist, 6)
    counts = []
    for client, titles in ((one, ["Routine 0"]), (six, [f"Routine {i}" for i in range(6)])):
        http.as_(client)
        with captured_statements(session) as seen:
            page = http.get("/today")
        assert page.status_code == 200
        for title in titles:  # every section really ran and showed its rows
            assert title in page.text
            assert title.replace("Routine", "Homework") in page.text
            assert title.replace("Routine", "Item") in page.text
        assert "Pick a habit from the library" not in page.text
        assert "A short questionnaire" in page.text
        counts.append(len(_without_transaction_control(seen)))
    assert counts[0] == counts[1] <= MAX_STATEMENTS, counts


def test_reminders_section_agrees_with_the_inbox(session: Session, therapist: User) -> None:
    """Today restates the inbox's "visible" rule for speed: both must pick the same entries."""
    from app.reminders import inbox
    from app.reminders.models import ItemStatus
    from app.reminders.today import today_section
    from tests.reminders.test_api import sent_item

    me, other = (factories.client(session, therapist=therapist) for _ in range(2))
    now = clock.now()
    for n, status in enumerate(ItemStatus):
        for snoozed in (False, True):
            for read in (False, True):
                sent_item(
                    session,
                    me,
                    status=status,
                    snoozed=snoozed,
                    occurrence_key=f"{n}-{snoozed}-{read}",
                    planned_at=now - timedelta(minutes=n),
                    read_at=now if read else None,
                )
    sent_item(session, other, occurrence_key="someone-else")
    section = today_section(session=session, client=me, day=now.date(), now=now)
    assert section is not None
    listed = inbox.entries(session, me.id, limit=1000)
    expected = min(10, sum(e.read_at is None and e.acknowledged_at is None for e in listed))
    assert 0 < section.context["unread"] == expected
    newest = [e for e in inbox.entries(session, me.id, limit=3) if e.read_at is None]
    assert [(e.title, e.planned_at) for e in section.context["recent"]] == [
        (e.title, e.planned_at) for e in newest
    ]


def test_todays_reminder_count_reads_the_partial_unread_index(
    session: Session, client_user: User
) -> None:
    from app.reminders import today as reminders_today

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's planner needs real table sizes")
    with captured_executions(session) as captured:
        now = clock.now()
        reminders_today.today_section(session=session, client=client_user, day=now.date(), now=now)
    ((statement, params),) = [c for c in captured if "count(" in c[0].lower()]
    plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    assert any("ix_reminder_item_unread" in str(row) for row in plan), plan
