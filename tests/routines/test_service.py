"""Service behaviour: building, ordering, local days, partial completion, pauses, idempotent check-offs."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.errors import NotFound, Unprocessable
from app.routines import queries, runs, service, templates_service
from app.routines.models import RoutineRun, StepOutcome
from app.routines.schemas import RoutineCreate, ScheduleIn, StepIn
from app.routines.templates_library import MAX_STEPS
from tests import factories

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def make(
    session: Session, client: User, *, steps: int = 3, bad: tuple[int, ...] = (0,), **fields: object
) -> object:
    data = RoutineCreate(
        title=str(fields.pop("title", "Getting up")),
        steps=[StepIn(title=f"Step {i + 1}", bad_day=i in bad) for i in range(steps)],
        **fields,  # type: ignore[arg-type]
    )
    return service.create_routine(
        session=session,
        client_id=client.id,
        tz=client.time_zone,
        created_by_id=client.id,
        data=data,
    )


def test_create_keeps_counts_and_replayed_id_returns_the_same_routine(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY_NOON):
        rid = uuid.uuid4()
        data = RoutineCreate(
            id=rid,
            title="Shower",
            steps=[StepIn(title="Towel", bad_day=True, duration_minutes=2), StepIn(title="Wash")],
        )
        first = service.create_routine(
            session=session,
            client_id=client_user.id,
            tz="Europe/London",
            created_by_id=client_user.id,
            data=data,
        )
        again = service.create_routine(
            session=session,
            client_id=client_user.id,
            tz="Europe/London",
            created_by_id=client_user.id,
            data=data,
        )
    assert first.id == again.id == rid
    assert (first.step_count, first.bad_day_count, first.total_minutes) == (2, 1, 2)
    assert first.starts_on == date(2026, 11, 23)
    assert len(service.steps_of(session, rid)) == 2


def test_steps_move_reorder_and_remove(session: Session, client_user: User) -> None:
    routine = make(session, client_user, steps=3)
    a, b, c = service.steps_of(session, routine.id)
    service.move_step(session=session, routine=routine, step=c, offset=-1)
    assert [s.title for s in service.steps_of(session, routine.id)] == [
        "Step 1",
        "Step 3",
        "Step 2",
    ]
    service.move_step(
        session=session, routine=routine, step=a, offset=-1
    )  # already first: no change
    assert [s.id for s in service.steps_of(session, routine.id)] == [a.id, c.id, b.id]
    service.reorder_steps(session=session, routine=routine, step_ids=[b.id, a.id, c.id])
    assert [s.id for s in service.steps_of(session, routine.id)] == [b.id, a.id, c.id]
    with pytest.raises(Unprocessable, match="every step once"):
        service.reorder_steps(session=session, routine=routine, step_ids=[b.id, a.id])
    service.remove_step(session=session, routine=routine, step=a)
    assert [s.id for s in service.steps_of(session, routine.id)] == [b.id, c.id]
    assert routine.step_count == 2


def test_too_many_steps_is_refused(session: Session, client_user: User) -> None:
    routine = make(session, client_user, steps=MAX_STEPS)
    with pytest.raises(Unprocessable, match=f"up to {MAX_STEPS} steps"):
        service.add_step(session=session, routine=routine, data=StepIn(title="One more"))


def test_today_lists_due_routines_in_time_order_with_progress(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY_NOON):
        evening = make(session, client_user, title="Wind down", part_of_day="evening")
        morning = make(session, client_user, title="Getting up", at_time=time(8, 0))
        make(session, client_user, title="Laundry", schedule=ScheduleIn(kind="days", days=["SA"]))
        anytime = make(session, client_user, title="Tidy", part_of_day="anytime")
        step = service.steps_of(session, morning.id)[0]
        runs.record_outcome(
            session=session,
            routine=morning,
            tz=client_user.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
        )
        rows = queries.today_rows(session, client_user.id, date(2026, 11, 23))
    assert [r.id for r in rows] == [morning.id, evening.id, anytime.id]
    assert (rows[0].done, rows[0].planned) == (1, 3)
    assert (rows[1].done, rows[1].planned) == (0, 3)


def test_same_check_off_twice_is_applied_once(session: Session, client_user: User) -> None:
    with clock.frozen_at(MONDAY_NOON):
        routine = make(session, client_user)
        step = service.steps_of(session, routine.id)[0]
        oid = uuid.uuid4()
        first, run = runs.record_outcome(
            session=session,
            routine=routine,
            tz="Europe/London",
            outcome_id=oid,
            step_id=step.id,
            status="done",
        )
        again, run2 = runs.record_outcome(
            session=session,
            routine=routine,
            tz="Europe/London",
            outcome_id=oid,
            step_id=step.id,
            status="skipped",
        )
    assert again.id == first.id
    assert again.status == "done"
    assert run2.id == run.id
    assert run2.done_count == 1
    assert len(session.exec(select(StepOutcome).where(StepOutcome.run_id == run.id)).all()) == 1


def test_new_answer_for_a_step_corrects_it_and_partial_days_are_partial(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY_NOON):
        routine = make(session, client_user, steps=4)
        s1, s2, s3, _s4 = service.steps_of(session, routine.id)
        tz = client_user.time_zone
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s1.id,
            status="skipped",
        )
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s1.id,
            status="done",
        )
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s2.id,
            status="helped",
        )
        _, run = runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s3.id,
            status="skipped",
        )
        state = runs.player_state(session, routine, tz)
    assert (run.done_count, run.answered_count, run.planned_count) == (2, 3, 4)
    assert run.completed_at is None
    assert state.current is not None
    assert state.current.id == _s4.id
    assert state.position == 4


def test_bad_day_plans_only_the_minimum_and_keeps_what_was_done(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY_NOON):
        routine = make(session, client_user, steps=4, bad=(0, 2))
        s1, s2, s3, _ = service.steps_of(session, routine.id)
        tz = client_user.time_zone
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s2.id,
            status="done",
        )
        run = runs.set_bad_day(session=session, routine=routine, tz=tz, bad_day=True)
        assert (run.planned_count, run.done_count) == (2, 0)
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s1.id,
            status="done",
        )
        _, run = runs.record_outcome(
            session=session,
            routine=routine,
            tz=tz,
            outcome_id=uuid.uuid4(),
            step_id=s3.id,
            status="done",
        )
        assert (run.planned_count, run.done_count) == (2, 2)
        assert run.completed_at is not None
        state = runs.player_state(session, routine, tz)
        assert [s.id for s in state.steps] == [s1.id, s3.id]
        assert state.current is None
        run = runs.set_bad_day(session=session, routine=routine, tz=tz, bad_day=False)
    assert (run.planned_count, run.done_count) == (4, 3)
    assert run.completed_at is None


def test_local_day_follows_the_clients_zone(session: Session, therapist: User) -> None:
    """23:30 UTC on Sunday is already Monday in Auckland: the tap belongs to Monday there."""
    kiwi = factories.client(session, therapist=therapist, time_zone="Pacific/Auckland")
    instant = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    with clock.frozen_at(instant):
        routine = make(session, kiwi, schedule=ScheduleIn(kind="days", days=["MO"]))
        step = service.steps_of(session, routine.id)[0]
        _, run = runs.record_outcome(
            session=session,
            routine=routine,
            tz=kiwi.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
        )
    assert run.local_day == date(2026, 11, 23)
    assert [r.id for r in queries.today_rows(session, kiwi.id, date(2026, 11, 23))] == [routine.id]
    assert queries.today_rows(session, kiwi.id, date(2026, 11, 22)) == []


def test_late_replay_uses_the_taps_own_time_within_a_week(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY_NOON):
        routine = make(session, client_user)
        step = service.steps_of(session, routine.id)[0]
        routine.starts_on = date(2026, 11, 1)
        yesterday = MONDAY_NOON - timedelta(days=1)
        _, run = runs.record_outcome(
            session=session,
            routine=routine,
            tz="Europe/London",
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
            at=yesterday,
        )
        assert run.local_day == date(2026, 11, 22)
        with pytest.raises(Unprocessable, match="in the future"):
            runs.record_outcome(
                session=session,
                routine=routine,
                tz="Europe/London",
                outcome_id=uuid.uuid4(),
                step_id=step.id,
                status="done",
                at=MONDAY_NOON + timedelta(days=1),
            )


def test_pauses_take_routines_off_today_and_out_of_history(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY_NOON):
        routine = make(session, client_user)
        routine.starts_on = date(2026, 11, 9)
        pause = service.add_pause(
            session=session,
            routine=routine,
            starts_on=date(2026, 11, 20),
            ends_on=date(2026, 11, 23),
        )
        assert queries.today_rows(session, client_user.id, date(2026, 11, 23)) == []
        assert len(queries.today_rows(session, client_user.id, date(2026, 11, 24))) == 1
        data = queries.routine_history(session, routine, date(2026, 11, 23))
        planned = [c.day for c in data.cells if c.planned]
        assert date(2026, 11, 19) in planned
        assert date(2026, 11, 20) not in planned
        with pytest.raises(Unprocessable, match="cannot be before"):
            service.add_pause(
                session=session,
                routine=routine,
                starts_on=date(2026, 12, 2),
                ends_on=date(2026, 12, 1),
            )
        service.remove_pause(session=session, routine=routine, pause_id=pause.id)
        assert len(queries.today_rows(session, client_user.id, date(2026, 11, 23))) == 1


def test_history_shades_partial_days_and_names_the_most_skipped_step(
    session: Session, client_user: User
) -> None:
    routine = make(session, client_user, steps=2)
    s1, s2 = service.steps_of(session, routine.id)
    routine.starts_on = date(2026, 11, 16)
    for offset, answers in (
        (0, ("done", "skipped")),
        (1, ("done", "done")),
        (2, ("skipped", "skipped")),
    ):
        with clock.frozen_at(datetime(2026, 11, 16 + offset, 9, 0, tzinfo=UTC)):
            for step, status in zip((s1, s2), answers, strict=True):
                runs.record_outcome(
                    session=session,
                    routine=routine,
                    tz="Europe/London",
                    outcome_id=uuid.uuid4(),
                    step_id=step.id,
                    status=status,
                )
    data = queries.routine_history(session, routine, date(2026, 11, 19))
    levels = {c.day: c.level for c in data.cells}
    assert levels[date(2026, 11, 16)] == 2
    assert levels[date(2026, 11, 17)] == 4
    assert levels[date(2026, 11, 18)] == 0
    assert data.most_skipped is not None
    assert data.most_skipped.title == "Step 2"
    assert data.this_week.days_planned == 4
    assert data.this_week.days_complete == 1


def test_outcome_for_a_step_of_another_routine_is_not_found(
    session: Session, client_user: User
) -> None:
    one, two = make(session, client_user), make(session, client_user, title="Other")
    foreign = service.steps_of(session, two.id)[0]
    with pytest.raises(NotFound):
        runs.record_outcome(
            session=session,
            routine=one,
            tz="Europe/London",
            outcome_id=uuid.uuid4(),
            step_id=foreign.id,
            status="done",
        )
    assert session.exec(select(RoutineRun)).all() == []


def test_templates_apply_and_save_as_clinic_template(
    session: Session, client_user: User, therapist: User
) -> None:
    routine = templates_service.apply_template(
        session=session, client=client_user, key="getting-up", created_by=therapist
    )
    assert routine.step_count == 6
    assert routine.at_time == time(8, 0)
    assert routine.template_key == "getting-up"
    row = templates_service.save_as_template(session=session, routine=routine, therapist=therapist)
    other = factories.client(session, therapist=therapist)
    copy = templates_service.apply_template(
        session=session, client=other, key=f"clinic-{row.id}", created_by=therapist
    )
    assert [s.title for s in service.steps_of(session, copy.id)] == [
        s.title for s in service.steps_of(session, routine.id)
    ]
    outsider = factories.client(
        session, therapist=factories.therapist(session, factories.clinic(session, name="Elsewhere"))
    )
    with pytest.raises(NotFound):
        templates_service.apply_template(
            session=session, client=outsider, key=f"clinic-{row.id}", created_by=outsider
        )
    with pytest.raises(NotFound):
        templates_service.apply_template(
            session=session, client=client_user, key="no-such-template", created_by=client_user
        )


def test_archived_routines_leave_today(session: Session, client_user: User) -> None:
    with clock.frozen_at(MONDAY_NOON):
        routine = make(session, client_user)
        service.archive_routine(session=session, routine=routine)
        assert queries.today_rows(session, client_user.id, date(2026, 11, 23)) == []
        service.archive_routine(session=session, routine=routine, archived=False)
        assert len(queries.today_rows(session, client_user.id, date(2026, 11, 23))) == 1
