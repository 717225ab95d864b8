"""Self-care service: habits, check-ins, levels, suggestions, pauses (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app import clock, data_version
from app.accounts.models import User
from app.errors import Conflict, Unprocessable
from app.self_care import levels, pauses, progress, reminder_source, service, suggestions
from app.self_care.models import HabitCheckIn, HabitLevel
from app.self_care.schemas import CheckInCreate, PauseCreate, PersonalHabitCreate, Reason
from app.self_care.targets import LifeArea, Outcome, TargetKind
from tests.self_care.helpers import MONDAY, check, daily_check_ins, noon, start


def test_starting_a_ladder_copies_its_levels_and_records_the_start(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    rows = session.exec(select(HabitLevel).where(HabitLevel.habit_id == habit.id)).all()
    assert len(rows) == 5
    assert (habit.level, habit.lowest_level, habit.highest_level) == (2, 1, 5)
    assert habit.started_on == MONDAY
    history = levels.level_history(session, habit.id)
    assert [(h.from_level, h.to_level, h.reason) for h in history] == [(None, 2, "started")]


def test_replaying_a_check_in_returns_the_stored_row_without_a_duplicate(
    session: Session, client_user: User
) -> None:
    habit = start(session, client_user)
    data = CheckInCreate(id=uuid.uuid4(), outcome=Outcome.DONE, confidence=6)
    first = service.check_in(session=session, client=client_user, habit=habit, data=data)
    again = service.check_in(session=session, client=client_user, habit=habit, data=data)
    assert first.id == again.id
    rows = session.exec(select(HabitCheckIn).where(HabitCheckIn.habit_id == habit.id)).all()
    assert len(rows) == 1


def test_a_replay_the_checks_would_now_refuse_still_returns_the_stored_row(
    session: Session, client_user: User
) -> None:
    """The replay is answered before the day and amount checks: a tap queued on Monday and
    replayed on Wednesday (its day no longer open) is the stored row, not a refusal."""
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user)
        data = CheckInCreate(id=uuid.uuid4(), outcome=Outcome.DONE, on=MONDAY, confidence=6)
        first = service.check_in(session=session, client=client_user, habit=habit, data=data)
    with clock.frozen_at(noon(MONDAY + timedelta(days=2))):
        again = service.check_in(session=session, client=client_user, habit=habit, data=data)
        with pytest.raises(Unprocessable):  # the same request with a new id is refused
            service.check_in(
                session=session,
                client=client_user,
                habit=habit,
                data=data.model_copy(update={"id": uuid.uuid4()}),
            )
    assert (again.id, again.done_on, again.confidence) == (first.id, MONDAY, 6)
    rows = session.exec(select(HabitCheckIn).where(HabitCheckIn.habit_id == habit.id)).all()
    assert len(rows) == 1


def test_the_stored_check_in_is_the_row_returned_and_bumps_the_data_version_once(
    session: Session, client_user: User
) -> None:
    """The row goes in through Core: every column as the returned object has it, the client's
    data version changed by the check-in (the dashboard's cache) and not by its replay."""
    water = start(session, client_user, "water")
    data = CheckInCreate(
        id=uuid.uuid4(),
        outcome=Outcome.PARTLY,
        reason=Reason.energy,
        confidence=4,
        pleasure=3,
        mastery=5,
        amount=1,
        note="after lunch",
    )
    before = data_version.versions(session, [client_user.id]).get(client_user.id)
    row = service.check_in(session=session, client=client_user, habit=water, data=data)
    after = data_version.versions(session, [client_user.id]).get(client_user.id)
    session.expunge_all()
    stored = session.get(HabitCheckIn, data.id)
    assert stored is not None
    assert stored.model_dump() == row.model_dump()
    assert (stored.reason, stored.amount, stored.note) == ("energy", 1.0, "after lunch")
    assert after is not None
    assert after != before
    service.check_in(session=session, client=client_user, habit=water, data=data)
    assert data_version.versions(session, [client_user.id])[client_user.id] == after


def test_a_check_in_id_used_for_another_habit_conflicts(
    session: Session, client_user: User
) -> None:
    washing, water = start(session, client_user), start(session, client_user, "water")
    data = CheckInCreate(id=uuid.uuid4(), outcome=Outcome.DONE)
    service.check_in(session=session, client=client_user, habit=washing, data=data)
    with pytest.raises(Conflict):
        service.check_in(session=session, client=client_user, habit=water, data=data)


def test_back_fill_of_yesterday_is_allowed_but_not_older_days(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user)
    with clock.frozen_at(noon(MONDAY + timedelta(days=1))):
        row = check(session, client_user, habit, on=MONDAY)
        assert row.done_on == MONDAY  # type: ignore[attr-defined]
    with clock.frozen_at(noon(MONDAY + timedelta(days=2))), pytest.raises(Unprocessable):
        check(session, client_user, habit, on=MONDAY)


def test_local_day_follows_the_clients_time_zone(session: Session, therapist: User) -> None:
    from tests import factories

    sydney = factories.client(session, therapist=therapist, time_zone="Australia/Sydney")
    habit = start(session, sydney)
    late_utc = noon(MONDAY).replace(hour=20)  # already Tuesday in Sydney
    with clock.frozen_at(late_utc):
        row = check(session, sydney, habit)
    assert row.done_on == MONDAY + timedelta(days=1)  # type: ignore[attr-defined]


def test_amount_only_for_counted_habits(session: Session, client_user: User) -> None:
    washing, water = start(session, client_user), start(session, client_user, "water")
    with pytest.raises(Unprocessable, match="amount"):
        check(session, client_user, washing, amount=2)
    row = check(session, client_user, water, amount=2)
    assert row.amount == 2  # type: ignore[attr-defined]


def test_several_check_ins_a_day_add_up_for_a_counted_habit(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        water = start(session, client_user, "water")  # level 1: 2 glasses a day
        check(session, client_user, water, amount=1)
        assert progress.habit_progress(session, water, MONDAY).today_value == 0.5
        check(session, client_user, water, amount=1)
        p = progress.habit_progress(session, water, MONDAY)
    assert p.today_value == 1.0
    assert p.today_amount == 2


def test_level_outside_the_bounds_is_refused(
    session: Session, client_user: User, therapist: User
) -> None:
    habit = start(session, client_user)
    levels.set_bounds(session=session, actor=therapist, habit=habit, lowest=1, highest=3)
    with pytest.raises(Unprocessable, match="outside"):
        levels.change_level(
            session=session, actor=therapist, habit=habit, to_level=4, reason="set_by_therapist"
        )
    levels.change_level(
        session=session, actor=therapist, habit=habit, to_level=3, reason="set_by_therapist"
    )
    assert habit.level == 3


def test_narrowing_the_bounds_moves_the_level_inside_and_records_it(
    session: Session, client_user: User, therapist: User
) -> None:
    habit = start(session, client_user, level=4)
    levels.set_bounds(session=session, actor=therapist, habit=habit, lowest=1, highest=2)
    assert habit.level == 2
    assert levels.level_history(session, habit.id)[0].reason == "bounds"
    with pytest.raises(Unprocessable):
        levels.set_bounds(session=session, actor=therapist, habit=habit, lowest=2, highest=9)


def test_confident_weeks_produce_a_step_up_suggestion_the_client_can_accept(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)  # every day
    daily_check_ins(session, client_user, habit, MONDAY, 15, confidence=8)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    assert (waiting.direction, waiting.from_level, waiting.to_level) == ("up", 2, 3)
    with clock.frozen_at(noon(MONDAY + timedelta(days=15))):
        levels.decide(
            session=session, actor=client_user, suggestion=waiting, habit=habit, state="accepted"
        )
    assert habit.level == 3
    assert habit.level_started_on == MONDAY + timedelta(days=15)
    assert levels.level_history(session, habit.id)[0].reason == "accepted"
    with pytest.raises(Conflict):
        levels.decide(
            session=session, actor=client_user, suggestion=waiting, habit=habit, state="accepted"
        )


def test_hard_weeks_suggest_an_easier_step(session: Session, client_user: User) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    for week in range(2):
        with clock.frozen_at(noon(MONDAY + timedelta(weeks=week))):
            check(session, client_user, habit, Outcome.NOT_TODAY, reason="energy")
    with clock.frozen_at(noon(MONDAY + timedelta(weeks=2))):
        check(session, client_user, habit)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    assert (waiting.direction, waiting.to_level) == ("down", 1)
    assert "okay" in waiting.message


def test_declining_keeps_the_level_and_quietens_the_suggestion(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    daily_check_ins(session, client_user, habit, MONDAY, 15)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    with clock.frozen_at(noon(MONDAY + timedelta(days=15))):
        levels.decide(
            session=session, actor=client_user, suggestion=waiting, habit=habit, state="declined"
        )
    daily_check_ins(session, client_user, habit, MONDAY + timedelta(days=15), 3)
    assert habit.level == 2
    assert suggestions.pending(session, habit) is None


def test_therapist_override_sets_another_level(
    session: Session, client_user: User, therapist: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    daily_check_ins(session, client_user, habit, MONDAY, 15)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    levels.decide(
        session=session,
        actor=therapist,
        suggestion=waiting,
        habit=habit,
        state="overridden",
        level=4,
    )
    assert habit.level == 4
    assert waiting.state == "overridden"
    change = levels.level_history(session, habit.id)[0]
    assert (change.reason, change.changed_by_id) == ("set_by_therapist", therapist.id)


def test_paused_days_are_left_out_of_the_week_and_silence_reminders(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)  # every day
        pauses.pause(
            session=session,
            client=client_user,
            habit=None,
            data=PauseCreate(ends_on=MONDAY + timedelta(days=3)),
        )
    friday = MONDAY + timedelta(days=4)
    assert not reminder_source.still_due(session=session, source_id=habit.id, local_day=MONDAY)
    assert reminder_source.still_due(session=session, source_id=habit.id, local_day=friday)
    daily_check_ins(session, client_user, habit, friday, 3)
    p = progress.habit_progress(session, habit, MONDAY + timedelta(days=7))
    assert (p.last_week.planned, p.last_week.met) == (3, True)
    assert not reminder_source.still_due(session=session, source_id=habit.id, local_day=friday)


def test_resume_ends_a_pause_yesterday(session: Session, client_user: User) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user)
        pauses.pause(session=session, client=client_user, habit=habit, data=PauseCreate())
    with clock.frozen_at(noon(MONDAY + timedelta(days=3))):
        assert pauses.habit_paused_on(session, habit, MONDAY + timedelta(days=3)) is not None
        assert pauses.resume(session=session, client=client_user, habit=habit) == 1
        assert pauses.habit_paused_on(session, habit, MONDAY + timedelta(days=3)) is None
        assert pauses.habit_paused_on(session, habit, MONDAY + timedelta(days=2)) is not None


def test_pause_cannot_end_before_it_starts(session: Session, client_user: User) -> None:
    with clock.frozen_at(noon(MONDAY)), pytest.raises(Unprocessable):
        pauses.pause(
            session=session,
            client=client_user,
            habit=None,
            data=PauseCreate(ends_on=MONDAY - timedelta(days=1)),
        )


def test_personal_habit_has_one_level(session: Session, client_user: User) -> None:
    data = PersonalHabitCreate(
        title="Water the plants",
        life_area=LifeArea.HOUSEHOLD,
        target_kind=TargetKind.WEEKLY,
        times_per_week=2,
    )
    habit = service.create_personal(session=session, client=client_user, data=data)
    assert (habit.level, habit.lowest_level, habit.highest_level) == (1, 1, 1)
    assert service.current_target(session, habit).describe() == "2 times a week"
    bad = PersonalHabitCreate(
        title="Walk", life_area=LifeArea.MOVING, target_kind=TargetKind.AMOUNT
    )
    with pytest.raises(Unprocessable, match="how much"):
        service.create_personal(session=session, client=client_user, data=bad)


def test_strength_rises_with_check_ins_and_heat_map_shows_them(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    daily_check_ins(session, client_user, habit, MONDAY, 3)
    p = progress.habit_progress(session, habit, MONDAY + timedelta(days=2))
    assert p.strength > 0
    cells = {c.on: c.state.value for row in p.heat for c in row}
    assert [cells[MONDAY + timedelta(days=i)] for i in range(3)] == ["done"] * 3
    later = progress.habit_progress(session, habit, MONDAY + timedelta(days=3))
    assert later.strength == p.strength  # the new day is not over: no drop yet


def test_archived_habit_leaves_the_active_list(session: Session, client_user: User) -> None:
    habit = start(session, client_user)
    service.archive(session=session, habit=habit)
    assert service.active_habits(session, client_user.id) == []
    assert not reminder_source.still_due(session=session, source_id=habit.id, local_day=MONDAY)


def test_weekly_job_suggests_an_easier_step_when_check_ins_stopped(
    session: Session, client_user: User
) -> None:
    from app.self_care import jobs

    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    # Two whole weeks with nothing logged at all: no check-in ever triggered the rules.
    with clock.frozen_at(noon(MONDAY + timedelta(weeks=2))):
        assert jobs.grade_weekly(session=session, limit=10_000) >= 1
        waiting = suggestions.pending(session, habit)
        assert waiting is not None
        assert waiting.direction == "down"
        assert habit.next_grade_at is not None
        assert habit.next_grade_at > clock.now()
        before = habit.next_grade_at
        jobs.grade_weekly(session=session, limit=10_000)
        assert habit.next_grade_at == before  # not due again until next week


def test_next_week_starts_at_local_monday() -> None:
    from datetime import UTC, datetime

    from app.self_care.suggestions import next_week_starts_at

    sunday_evening = datetime(2026, 11, 8, 20, tzinfo=UTC)  # already Monday 9 Nov in Sydney
    assert next_week_starts_at(sunday_evening, "Europe/London") == datetime(
        2026, 11, 9, 0, 5, tzinfo=UTC
    )
    assert next_week_starts_at(sunday_evening, "Australia/Sydney") == datetime(
        2026, 11, 15, 13, 5, tzinfo=UTC
    )
