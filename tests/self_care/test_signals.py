"""Dashboard signals, Today section, reminders seam and the mood pattern, against the database."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.self_care import mood, pauses, reminder_source, service, signals, today
from app.self_care.models import MoodLog
from app.self_care.schemas import PauseCreate
from app.self_care.targets import Outcome
from tests import factories
from tests.self_care.helpers import MONDAY, check, daily_check_ins, noon, start
from tests.statements import captured_statements


def _selects(statements: list[str]) -> int:
    """How many of the captured statements are SELECTs (writes and savepoints are not counted)."""
    return sum(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_adherence_counts_this_and_last_week_leaving_out_paused_days(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY - timedelta(weeks=1))):
        habit = start(session, client_user, "washing", level=2)  # every day
        pauses.pause(
            session=session,
            client=client_user,
            habit=habit,
            data=PauseCreate(ends_on=MONDAY - timedelta(days=5)),
        )
    daily_check_ins(session, client_user, habit, MONDAY - timedelta(days=4), 4)
    daily_check_ins(session, client_user, habit, MONDAY, 2)
    with clock.frozen_at(noon(MONDAY + timedelta(days=2))):
        check(session, client_user, habit, Outcome.PARTLY)
    now = noon(MONDAY + timedelta(days=2))
    result = signals.caseload_signals(session=session, client_ids=[client_user.id], now=now)
    adherence = result[client_user.id].adherence[signals.LABEL]
    assert (adherence.planned_prev, adherence.done_prev) == (4, 4)  # 3 paused days left out
    assert (adherence.planned, adherence.done) == (3, 2.5)  # so far: Monday to Wednesday
    assert result[client_user.id].last_activity_at is not None


def test_signals_use_a_fixed_number_of_queries(session: Session, therapist: User) -> None:
    clients = [factories.client(session, therapist=therapist) for _ in range(6)]
    for person in clients:
        habit = start(session, person, "water")
        check(session, person, habit, amount=1)
    now = clock.now()
    with captured_statements(session) as one:
        signals.caseload_signals(session=session, client_ids=[clients[0].id], now=now)
    with captured_statements(session) as many:
        found = signals.caseload_signals(
            session=session, client_ids=[c.id for c in clients], now=now
        )
    assert _selects(many) == _selects(one)
    assert all(found[c.id].adherence[signals.LABEL].done == 0.5 for c in clients)


def test_low_mood_week_and_waiting_suggestion_raise_gentle_flags(
    session: Session, client_user: User
) -> None:
    for i in range(4):
        session.add(
            MoodLog(
                id=uuid.uuid4(),
                client_id=client_user.id,
                logged_on=MONDAY + timedelta(days=i),
                mood=1,
            )
        )
    session.flush()
    result = signals.caseload_signals(
        session=session, client_ids=[client_user.id], now=noon(MONDAY + timedelta(days=4))
    )
    flags = {f.code: f for f in result[client_user.id].flags}
    assert flags["self_care.low_mood"].severity == "attention"
    assert "self_care.suggestion" not in flags


def test_today_section_lists_habits_with_state_and_mood_prompt(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        water = start(session, client_user, "water")
        check(session, client_user, water, amount=1)
        section = today.today_section(
            session=session, client=client_user, day=MONDAY, now=clock.now()
        )
    assert section is not None
    [item] = section.context["habits"]
    assert item.state == "1 of 2 glasses"
    assert item.counted
    assert section.context["mood_logged"] is None
    assert len(set(item.form_ids)) == len(item.form_ids)


def test_today_is_few_queries_whatever_the_number_of_habits(
    session: Session, client_user: User
) -> None:
    start(session, client_user, "water")
    day = clock.local_today(client_user.time_zone)
    with captured_statements(session) as one:
        today.today_section(session=session, client=client_user, day=day, now=clock.now())
    for key in ("washing", "money", "sleep", "moving"):
        start(session, client_user, key)
    with captured_statements(session) as five:
        today.today_section(session=session, client=client_user, day=day, now=clock.now())
    assert _selects(five) == _selects(one) <= 4


def test_reminder_is_silent_once_done_or_said_not_today(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
        assert reminder_source.still_due(session=session, source_id=habit.id, local_day=MONDAY)
        check(session, client_user, habit, Outcome.NOT_TODAY)
    assert not reminder_source.still_due(session=session, source_id=habit.id, local_day=MONDAY)
    assert reminder_source.still_due(
        session=session, source_id=habit.id, local_day=MONDAY + timedelta(days=1)
    )
    assert not reminder_source.still_due(session=session, source_id=uuid.uuid4(), local_day=MONDAY)


def test_pattern_appears_after_fourteen_logged_days_with_both_kinds(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "outside", level=2)
    for i in range(14):
        day = MONDAY + timedelta(days=i)
        walked = i % 2 == 0
        session.add(
            MoodLog(
                id=uuid.uuid4(), client_id=client_user.id, logged_on=day, mood=4 if walked else 2
            )
        )
        if walked:
            with clock.frozen_at(noon(day)):
                check(session, client_user, habit)
    session.flush()
    last = MONDAY + timedelta(days=13)
    found = mood.observation(session, client_user.id, last)
    assert found is not None
    assert "Step outside the front door" not in found.text  # the habit's own title is used
    assert "Getting outside" in found.text
    assert "not proof" in found.text
    assert mood.observation(session, client_user.id, last - timedelta(days=1)) is None


def test_mood_reminder_is_silent_once_logged_today(session: Session, client_user: User) -> None:
    from datetime import time

    from app.self_care import mood_reminders

    row = mood_reminders.set_time(session=session, client=client_user, at=time(20, 0))
    assert row is not None
    assert mood_reminders.still_due(session=session, source_id=client_user.id, local_day=MONDAY)
    session.add(MoodLog(id=uuid.uuid4(), client_id=client_user.id, logged_on=MONDAY, mood=3))
    session.flush()
    assert not mood_reminders.still_due(session=session, source_id=client_user.id, local_day=MONDAY)
    assert mood_reminders.set_time(session=session, client=client_user, at=None) is None
    assert mood_reminders.current(session, client_user.id) is None


def test_habit_reminder_time_is_kept(session: Session, client_user: User) -> None:
    from datetime import time

    habit = start(session, client_user)
    service.set_reminder(session=session, habit=habit, at=time(8, 30))
    assert habit.reminder_time == time(8, 30)


def test_mid_week_check_ins_skip_the_grading_work(session: Session, client_user: User) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    tuesday = MONDAY + timedelta(weeks=1, days=1)
    with clock.frozen_at(noon(tuesday)):
        with captured_statements(session) as first:
            check(session, client_user, habit)
        with captured_statements(session) as second:
            check(session, client_user, habit)
        assert _selects(second) < _selects(first)
        # A back-fill into the week that already ended is judged again.
        with captured_statements(session) as backfill:
            check(session, client_user, habit, on=tuesday - timedelta(days=1))
        # Monday is in this week: still nothing to judge.
        assert _selects(backfill) == _selects(second)
    with clock.frozen_at(noon(MONDAY + timedelta(weeks=2))), captured_statements(session) as sunday:
        check(session, client_user, habit, on=MONDAY + timedelta(weeks=2, days=-1))
    assert _selects(sunday) > _selects(second)
