"""The check-in's reads through Core (issue #19) give what the ORM gave: the habit as an ORM select
leaves it, its level's target and summary as read apart, the new row's columns as `HabitCheckIn(...)`
set them; and the check-in's answers over HTTP are unchanged (201, replay, 404, 409, 422)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import NoResultFound
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.errors import NotFound
from app.self_care import service, summary
from app.self_care.models import Habit, HabitCheckIn, HabitSummary
from app.self_care.schemas import CheckInCreate, CheckInPublic, Reason
from app.self_care.targets import Outcome
from tests import factories
from tests.self_care.helpers import MONDAY, check, noon, start
from tests.statements import captured_statements

COLUMNS = tuple(Habit.__table__.columns.keys())  # type: ignore[attr-defined]  # SQLModel table


def _columns(habit: Habit) -> dict[str, Any]:
    return {key: getattr(habit, key) for key in COLUMNS}


def _orm_habit(session: Session, habit_id: uuid.UUID) -> Habit:
    """The reference: the ORM select the loader ran before, in a session holding nothing."""
    session.expunge_all()
    found = session.exec(select(Habit).where(Habit.id == habit_id)).one()
    session.expunge_all()
    return found


def _habit_with_every_column_set(session: Session, client: User) -> Habit:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client, "water", level=2)
    habit.reminder_time = time(8, 30)
    habit.grading = {"window_weeks": 4}
    habit.next_grade_at = datetime(2026, 11, 9, 0, 5, tzinfo=UTC)
    session.add(habit)
    session.commit()
    return habit


def test_the_own_habit_read_equals_the_orm_select_and_writes_through(
    session: Session, client_user: User
) -> None:
    habit = _habit_with_every_column_set(session, client_user)
    reference = _columns(_orm_habit(session, habit.id))
    for read in (service.get_habit_for, service.habit_to_check_in):
        session.expunge_all()
        found = read(session, client_id=client_user.id, habit_id=habit.id)
        loaded = found if isinstance(found, Habit) else found.habit
        assert _columns(loaded) == reference
        assert inspect(loaded).persistent
        assert not session.is_modified(loaded)
        assert session.get(Habit, habit.id) is loaded  # in the identity map, as a select leaves it
    loaded.next_grade_at = datetime(2026, 11, 16, 0, 5, tzinfo=UTC)  # written back as an UPDATE
    session.add(loaded)
    session.commit()
    assert _orm_habit(session, habit.id).next_grade_at == loaded.next_grade_at


def test_an_instance_the_session_holds_is_the_one_returned(
    session: Session, client_user: User
) -> None:
    habit = start(session, client_user)
    held = session.get(Habit, habit.id)
    assert service.get_habit_for(session, client_id=client_user.id, habit_id=habit.id) is held
    assert (
        service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)[0] is held
    )


def test_a_held_instance_at_another_level_than_its_row_leaves_the_basis_to_the_check_in(
    session: Session, client_user: User
) -> None:
    """The basis is read for the row's level; the check-in is judged on the instance's level (as
    when it read the level itself), so a held instance the row has moved on from gets none."""
    habit = start(session, client_user, level=1)
    table = Habit.__table__  # type: ignore[attr-defined]  # SQLModel table
    session.connection().execute(table.update().where(table.c.id == habit.id).values(level=2))
    read = service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)
    assert (read.habit, read.habit.level, read.basis) == (habit, 1, None)
    session.expunge_all()
    fresh = service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)
    assert fresh.habit.level == 2
    assert fresh.basis is not None


def test_another_clients_habit_or_an_unknown_one_is_not_found(
    session: Session, client_user: User, therapist: User
) -> None:
    habit = start(session, client_user)
    other = factories.client(session, therapist=therapist)
    for read in (service.get_habit_for, service.habit_to_check_in):
        with pytest.raises(NotFound):
            read(session, client_id=other.id, habit_id=habit.id)
        with pytest.raises(NotFound):
            read(session, client_id=client_user.id, habit_id=uuid.uuid4())


def test_the_basis_read_with_the_habit_equals_the_level_and_summary_read_apart(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "water", level=2)
        unsettled = service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)
    for i in range(4):
        with clock.frozen_at(noon(MONDAY + timedelta(days=i))):
            check(session, client_user, habit, amount=1)
    read = service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)
    stored = session.get(HabitSummary, habit.id)
    assert stored is not None
    assert stored.settled_on is not None
    assert read.basis == (service.current_target(session, habit), stored.settled_on)
    assert unsettled.basis is not None
    assert unsettled.basis.settled_on is None
    assert unsettled.basis.target == service.current_target(session, habit)


def _data(**extra: Any) -> CheckInCreate:
    return CheckInCreate(id=uuid.uuid4(), outcome=Outcome.PARTLY, **extra)


def test_the_new_rows_values_are_what_the_orm_object_held(
    session: Session, client_user: User
) -> None:
    """The reference is how the service built the row before: `HabitCheckIn(...)`, its defaults
    (created_at) included."""
    habit = start(session, client_user, "water")
    full = _data(reason=Reason.time, confidence=4, pleasure=3, mastery=5, amount=2, note="x")
    for data in (full, _data(), _data(note="")):
        with clock.frozen_at(noon(MONDAY)):
            values = service.check_in_values(client=client_user, habit=habit, data=data, on=MONDAY)
            reference = HabitCheckIn(
                id=data.id,
                habit_id=habit.id,
                client_id=client_user.id,
                done_on=MONDAY,
                outcome=data.outcome.value,
                reason=data.reason.value if data.reason else None,
                level=habit.level,
                confidence=data.confidence,
                pleasure=data.pleasure,
                mastery=data.mastery,
                amount=float(data.amount) if data.amount is not None else None,
                note=data.note or None,
            )
        columns = HabitCheckIn.__table__.columns.keys()  # type: ignore[attr-defined]  # SQLModel
        assert values == {key: getattr(reference, key) for key in columns}
        assert type(values["amount"]) is type(reference.amount)


def test_a_check_in_on_a_current_summary_reads_once_and_not_at_all_with_its_basis(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user)
    for i in range(3):
        with clock.frozen_at(noon(MONDAY + timedelta(days=i))):
            check(session, client_user, habit)  # the summary is current after these
    with clock.frozen_at(noon(MONDAY + timedelta(days=2))), captured_statements(session) as alone:
        check(session, client_user, habit)
    read = service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)
    with clock.frozen_at(noon(MONDAY + timedelta(days=2))), captured_statements(session) as based:
        service.check_in(
            session=session, client=client_user, habit=habit, data=_data(), basis=read.basis
        )
    selects = [s for s in alone if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    assert "habit_summary" in selects[0]
    assert not any(s.lstrip().upper().startswith("SELECT") for s in based)


def test_a_check_in_with_its_basis_still_settles_a_stale_summary(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user)
        check(session, client_user, habit)
    later = MONDAY + timedelta(days=5)
    read = service.habit_to_check_in(session, client_id=client_user.id, habit_id=habit.id)
    assert read.basis is not None
    assert not summary.up_to_date(read.basis.settled_on, later)
    with clock.frozen_at(noon(later)):
        service.check_in(
            session=session, client=client_user, habit=habit, data=_data(), basis=read.basis
        )
    stored = session.get(HabitSummary, habit.id)
    assert stored is not None
    assert stored.settled_on == summary.settle_day(later)


def test_a_basis_without_a_level_is_refused_unless_the_id_is_a_replay(
    session: Session, client_user: User
) -> None:
    """As when the check-in read the level itself and found none (`.one()`): the replay of a
    stored id is still answered first."""
    habit = start(session, client_user)
    stored = check(session, client_user, habit)
    assert isinstance(stored, HabitCheckIn)
    no_level = service.CheckInBasis(None, None)
    with pytest.raises(NoResultFound):
        service.check_in(
            session=session, client=client_user, habit=habit, data=_data(), basis=no_level
        )
    replay = CheckInCreate(id=stored.id, outcome=Outcome.DONE, confidence=8)
    again = service.check_in(
        session=session, client=client_user, habit=habit, data=replay, basis=no_level
    )
    assert again.id == stored.id


def test_the_check_in_answers_over_http(http: Any, client_user: User, therapist: User) -> None:
    """201 with the row (the same on a replay), 404 for a habit not the client's own, 409 for an
    id used on another habit, 422 for an amount on a habit not counted in amounts."""
    habits = [
        http.as_(client_user).post("/api/v1/habits", json={"ladder": key}).json()["id"]
        for key in ("washing", "water")
    ]
    body = {"id": str(uuid.uuid4()), "outcome": "partly", "reason": "time", "confidence": 3}
    first = http.post(f"/api/v1/habits/{habits[0]}/check-ins", json=body)
    assert first.status_code == 201, first.text
    assert first.json() == CheckInPublic.model_validate(
        {**body, "habit_id": habits[0], "done_on": clock.local_today(client_user.time_zone)}
        | {"level": 1, "pleasure": None, "mastery": None, "amount": None, "note": None}
    ).model_dump(mode="json")
    again = http.post(f"/api/v1/habits/{habits[0]}/check-ins", json=body)
    assert (again.status_code, again.json()) == (201, first.json())
    assert http.post(f"/api/v1/habits/{habits[1]}/check-ins", json=body).status_code == 409
    amount = {"id": str(uuid.uuid4()), "outcome": "done", "amount": 2}
    refused = http.post(f"/api/v1/habits/{habits[0]}/check-ins", json=amount)
    assert refused.status_code == 422
    assert "amount" in refused.text
    other = http.as_(factories.client(http.session, therapist=therapist))
    fresh = {"id": str(uuid.uuid4()), "outcome": "done"}
    assert other.post(f"/api/v1/habits/{habits[0]}/check-ins", json=fresh).status_code == 404
