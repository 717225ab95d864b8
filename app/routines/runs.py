"""Doing a routine: today's run, step outcomes (applied once per phone-made id), the bad-day switch
and where the player picks up again.

A run is one routine on one local day of the client. Counts on the run are kept current here so
Today and history never walk the outcomes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import clock, taps
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_
from app.routines import recurrence
from app.routines.history import DONE_STATUSES
from app.routines.models import Routine, RoutineRun, RoutineStep, StepOutcome
from app.routines.service import steps_of


def run_for(session: Session, routine_id: uuid.UUID, day: date) -> RoutineRun | None:
    return session.exec(
        select(RoutineRun).where(RoutineRun.routine_id == routine_id, RoutineRun.local_day == day)
    ).first()


def planned_steps(steps: list[RoutineStep], bad_day: bool) -> list[RoutineStep]:
    """The bad-day version is the steps flagged for it (all steps if none are flagged)."""
    if bad_day:
        minimum = [s for s in steps if s.bad_day]
        return minimum or steps
    return steps


def _ensure_run(session: Session, routine: Routine, day: date) -> RoutineRun:
    """Today's run, made on first use. Two taps racing to make it meet the unique constraint:
    the loser re-reads the winner's row inside a savepoint instead of failing."""
    run = run_for(session, routine.id, day)
    if run is not None:
        return run
    run = RoutineRun(
        routine_id=routine.id,
        client_id=routine.client_id,
        local_day=day,
        planned_count=routine.step_count,
    )
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        found = run_for(session, routine.id, day)
        if found is None:
            raise
        return found
    return run


def _recount(session: Session, run: RoutineRun, steps: list[RoutineStep]) -> None:
    planned = {s.id for s in planned_steps(steps, run.bad_day)}
    outcomes = session.exec(
        select(StepOutcome.step_id, StepOutcome.status).where(StepOutcome.run_id == run.id)
    ).all()
    run.planned_count = len(planned)
    run.done_count = sum(
        1 for step_id, status in outcomes if step_id in planned and status in DONE_STATUSES
    )
    run.answered_count = sum(1 for step_id, _ in outcomes if step_id in planned)
    now = clock.now()
    run.updated_at = now
    if run.planned_count and run.answered_count >= run.planned_count:
        run.completed_at = run.completed_at or now
    else:
        run.completed_at = None
    session.add(run)


def outcome_day(*, at: datetime | None, tz: str) -> tuple[datetime, date]:
    """The instant and local day an outcome belongs to: the tap's own moment, checked by the
    rules every queued write follows (app/taps.py), so a step done at 23:50 and sent at 00:20
    counts for the evening it was done."""
    now = clock.now()
    if at is None:
        return now, recurrence.local_day(now, tz)
    if at.tzinfo is None:
        raise Unprocessable(N_("The time of the step needs a time zone."))
    when = taps.checked(at, now=now)
    return when, recurrence.local_day(when, tz)


def record_outcome(
    *,
    session: Session,
    routine: Routine,
    tz: str,
    outcome_id: uuid.UUID,
    step_id: uuid.UUID,
    status: str,
    at: datetime | None = None,
) -> tuple[StepOutcome, RoutineRun]:
    """Done / skipped / needed help for one step. The same outcome id again changes nothing; a
    new id for a step already answered today corrects the answer."""
    existing = session.get(StepOutcome, outcome_id)
    if existing is not None:
        run = session.get(RoutineRun, existing.run_id)
        if run is None or run.routine_id != routine.id:
            raise NotFound()
        return existing, run
    steps = steps_of(session, routine.id)
    if step_id not in {s.id for s in steps}:
        raise NotFound(N_("That step is not part of this routine any more. Please reload."))
    when, day = outcome_day(at=at, tz=tz)
    run = _ensure_run(session, routine, day)
    outcome = session.exec(
        select(StepOutcome).where(StepOutcome.run_id == run.id, StepOutcome.step_id == step_id)
    ).first()
    if outcome is None:
        outcome = StepOutcome(id=outcome_id, run_id=run.id, step_id=step_id, status=status, at=when)
    else:
        outcome.status, outcome.at, outcome.recorded_at = status, when, clock.now()
    session.add(outcome)
    session.flush()
    _recount(session, run, steps)
    session.commit()
    return outcome, run


UNDO_DAYS = 1
"""An answer can be taken back on its day, or the next (a tap before midnight sent after it)."""


def undo_outcome(
    *, session: Session, routine: Routine, tz: str, outcome_id: uuid.UUID
) -> RoutineRun | None:
    """Take back one step answer, so the step is unanswered again (a mis-tap in the player).

    Undoing what is already gone changes nothing (a retried request). Earlier days' answers
    stay as history has shown them.
    """
    outcome = session.get(StepOutcome, outcome_id)
    if outcome is None:
        return None
    run = session.get(RoutineRun, outcome.run_id)
    if run is None or run.routine_id != routine.id:
        raise NotFound()
    today = recurrence.local_day(clock.now(), tz)
    if run.local_day < today - timedelta(days=UNDO_DAYS):
        raise Conflict(N_("Answers from earlier days stay as they are."))
    session.delete(outcome)
    session.flush()
    _recount(session, run, steps_of(session, routine.id))
    session.commit()
    return run


def last_answer(session: Session, run: RoutineRun | None) -> StepOutcome | None:
    """The answer given most recently in this run: what "Undo" in the player takes back."""
    if run is None:
        return None
    return session.exec(
        select(StepOutcome)
        .where(StepOutcome.run_id == run.id)
        .order_by(col(StepOutcome.recorded_at).desc())
    ).first()


def set_bad_day(*, session: Session, routine: Routine, tz: str, bad_day: bool) -> RoutineRun:
    """Switch today's run to the minimum steps (or back); what was done still counts."""
    day = recurrence.local_day(clock.now(), tz)
    run = _ensure_run(session, routine, day)
    run.bad_day = bad_day
    session.flush()
    _recount(session, run, steps_of(session, routine.id))
    session.commit()
    return run


def restart(*, session: Session, routine: Routine, tz: str) -> None:
    """Clear today's answers so the player starts from the first step again."""
    run = run_for(session, routine.id, recurrence.local_day(clock.now(), tz))
    if run is None:
        return
    for outcome in session.exec(select(StepOutcome).where(StepOutcome.run_id == run.id)):
        session.delete(outcome)
    session.flush()
    _recount(session, run, steps_of(session, routine.id))
    session.commit()


@dataclass(frozen=True)
class PlayerState:
    """What the player shows: the planned steps, answers so far and the step to show next."""

    day: date
    steps: list[RoutineStep]
    answers: dict[uuid.UUID, str]
    bad_day: bool
    current: RoutineStep | None
    last: StepOutcome | None = None  # the latest answer, which the player offers to undo
    answer_ids: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if self.answers.get(s.id) in DONE_STATUSES)

    @property
    def position(self) -> int:
        """1-based number of the current step (total + 1 when finished)."""
        return self.steps.index(self.current) + 1 if self.current else self.total + 1


def player_state(
    session: Session, routine: Routine, tz: str, *, step_id: uuid.UUID | None = None
) -> PlayerState:
    """Resume at the first unanswered step, or show a chosen step (going back to change it)."""
    day = recurrence.local_day(clock.now(), tz)
    run = run_for(session, routine.id, day)
    bad_day = run.bad_day if run else False
    steps = planned_steps(steps_of(session, routine.id), bad_day)
    answers: dict[uuid.UUID, str] = {}
    answer_ids: dict[uuid.UUID, uuid.UUID] = {}
    if run is not None:
        for step, status, outcome_id in session.exec(
            select(StepOutcome.step_id, StepOutcome.status, StepOutcome.id).where(
                StepOutcome.run_id == run.id
            )
        ):
            answers[step], answer_ids[step] = status, outcome_id
    current = next((s for s in steps if s.id == step_id), None) if step_id else None
    if current is None:
        current = next((s for s in steps if s.id not in answers), None)
    last = last_answer(session, run)
    if last is not None and last.step_id not in {s.id for s in steps}:
        last = None  # answered before a bad-day switch left that step out
    return PlayerState(
        day=day,
        steps=steps,
        answers=answers,
        bad_day=bad_day,
        current=current,
        last=last,
        answer_ids=answer_ids,
    )
