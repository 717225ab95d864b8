"""Seams other domains call: Today section, therapist overview, caseload signals, reminder source."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.routines import overview, reminder_source, runs, service, signals, today
from app.routines.schemas import RoutineCreate, ScheduleIn, StepIn
from tests import factories

MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _routine(session: Session, client: User, steps: int = 2, **fields: object) -> object:
    data = RoutineCreate(
        title="Walk", steps=[StepIn(title=f"s{i}") for i in range(steps)], **fields
    )  # type: ignore[arg-type]
    return service.create_routine(
        session=session,
        client_id=client.id,
        tz=client.time_zone,
        created_by_id=client.id,
        data=data,
    )


def test_today_and_overview_sections(session: Session, client_user: User) -> None:
    with clock.frozen_at(MONDAY):
        routine = _routine(session, client_user)
        section = today.today_section(
            session=session, client=client_user, day=date(2026, 11, 23), now=MONDAY
        )
        assert section is not None
        assert [r.id for r in section.context["rows"]] == [routine.id]
        card = overview.client_overview(session=session, client=client_user, now=MONDAY)
        assert card is not None
        assert card.context["entries"][0]["week"].days_planned == 1


def test_caseload_signals_count_partial_days_fractionally_in_fixed_queries(
    session: Session, therapist: User, client_user: User
) -> None:
    quiet = factories.client(session, therapist=therapist)
    with clock.frozen_at(datetime(2026, 11, 16, 9, 0, tzinfo=UTC)):
        busy = _routine(session, client_user, steps=2)
        _routine(session, quiet, steps=2)
    with clock.frozen_at(MONDAY):
        step = service.steps_of(session, busy.id)[0]
        runs.record_outcome(
            session=session,
            routine=busy,
            tz=client_user.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="done",
        )
        result = signals.caseload_signals(
            session=session, client_ids=[client_user.id, quiet.id], now=MONDAY
        )
    mine = result[client_user.id].adherence["Routines"]
    assert (mine.planned, mine.done) == (1, 0.5)  # today: half the steps
    assert mine.planned_prev == 7
    assert result[client_user.id].last_activity_at is not None
    theirs = result[quiet.id]
    assert theirs.last_activity_at is None
    assert [f.code for f in theirs.flags] == ["routines_quiet"]
    assert signals.caseload_signals(session=session, client_ids=[], now=MONDAY) == {}


def test_still_due_is_false_when_done_paused_archived_or_not_planned(
    session: Session, client_user: User
) -> None:
    with clock.frozen_at(MONDAY):
        routine = _routine(
            session,
            client_user,
            steps=1,
            schedule=ScheduleIn(kind="days", days=["MO"]),
            at_time=time(8, 0),
        )
        day = date(2026, 11, 23)
        assert reminder_source.still_due(session=session, source_id=routine.id, local_day=day)
        assert not reminder_source.still_due(
            session=session, source_id=routine.id, local_day=date(2026, 11, 24)
        )
        pause = service.add_pause(session=session, routine=routine, starts_on=day, ends_on=day)
        assert not reminder_source.still_due(session=session, source_id=routine.id, local_day=day)
        service.remove_pause(session=session, routine=routine, pause_id=pause.id)
        step = service.steps_of(session, routine.id)[0]
        runs.record_outcome(
            session=session,
            routine=routine,
            tz=client_user.time_zone,
            outcome_id=uuid.uuid4(),
            step_id=step.id,
            status="skipped",
        )
        assert not reminder_source.still_due(session=session, source_id=routine.id, local_day=day)
        assert reminder_source.still_due(
            session=session, source_id=routine.id, local_day=date(2026, 11, 30)
        )
        service.archive_routine(session=session, routine=routine)
        assert not reminder_source.still_due(
            session=session, source_id=routine.id, local_day=date(2026, 11, 30)
        )
        assert not reminder_source.still_due(session=session, source_id=uuid.uuid4(), local_day=day)
        assert reminder_source.KIND == "routine"
