"""Building routines: create from scratch or a template, edit, order steps, photos, pauses, archive.

Every write commits once, at the end, before the caller answers. Access checks are not here: the
caller got the routine through the policy dependencies.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, time

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import clock, versioning
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_
from app.i18n import gettext as _
from app.routines import edits, photos, recurrence, reminders_link
from app.routines.models import (
    Routine,
    RoutinePause,
    RoutinePhoto,
    RoutineReminderTime,
    RoutineStep,
)
from app.routines.schemas import RoutineCreate, RoutineFields, StepIn
from app.routines.templates_library import MAX_STEPS


def list_routines(
    session: Session, *, client_id: uuid.UUID, archived: bool = False
) -> list[Routine]:
    stmt = select(Routine).where(Routine.client_id == client_id)
    stmt = stmt.where(
        col(Routine.archived_at).is_not(None) if archived else col(Routine.archived_at).is_(None)
    )
    return list(session.exec(stmt.order_by(col(Routine.at_time), col(Routine.title))))


def steps_of(session: Session, routine_id: uuid.UUID) -> list[RoutineStep]:
    return list(
        session.exec(
            select(RoutineStep)
            .where(RoutineStep.routine_id == routine_id, col(RoutineStep.removed_at).is_(None))
            .order_by(col(RoutineStep.position))
        )
    )


def pauses_of(session: Session, routine_id: uuid.UUID) -> list[RoutinePause]:
    return list(
        session.exec(
            select(RoutinePause)
            .where(RoutinePause.routine_id == routine_id)
            .order_by(col(RoutinePause.starts_on))
        )
    )


def reminder_times_of(session: Session, routine_id: uuid.UUID) -> list[RoutineReminderTime]:
    return list(
        session.exec(
            select(RoutineReminderTime)
            .where(RoutineReminderTime.routine_id == routine_id)
            .order_by(col(RoutineReminderTime.at_time))
        )
    )


def _apply_fields(routine: Routine, data: RoutineFields, today: date) -> None:
    routine.title = data.title
    routine.icon = data.icon
    routine.part_of_day = data.part_of_day
    routine.at_time = data.at_time
    routine.rrule = data.schedule.to_rrule()
    routine.starts_on = data.starts_on or routine.starts_on or today


def create_routine(
    *,
    session: Session,
    client_id: uuid.UUID,
    tz: str,
    created_by_id: uuid.UUID,
    data: RoutineCreate,
    template_key: str | None = None,
) -> Routine:
    """A new routine with its steps. A replayed create with the same id returns the stored one."""
    if data.id is not None:
        existing = session.get(Routine, data.id)
        if existing is not None:
            if existing.client_id != client_id:
                raise Conflict(N_("That id is already used."))
            return existing
    routine = Routine(
        client_id=client_id,
        created_by_id=created_by_id,
        title=data.title,
        starts_on=clock.local_today(tz),
    )
    if data.id is not None:
        routine.id = data.id
    _apply_fields(routine, data, clock.local_today(tz))
    routine.template_key = template_key
    session.add(routine)
    for position, step in enumerate(data.steps):
        session.add(_new_step(routine.id, position, step))
    _set_counts(routine, data.steps)
    session.commit()
    return routine


def _new_step(routine_id: uuid.UUID, position: int, data: StepIn) -> RoutineStep:
    return RoutineStep(
        routine_id=routine_id,
        position=position,
        title=data.title,
        detail=data.detail,
        duration_minutes=data.duration_minutes,
        bad_day=data.bad_day,
    )


def _set_counts(routine: Routine, steps: Sequence[StepIn | RoutineStep]) -> None:
    """Today reads these counts straight from the routine row."""
    routine.step_count = len(steps)
    routine.bad_day_count = sum(1 for s in steps if s.bad_day)
    routine.total_minutes = sum(s.duration_minutes or 0 for s in steps)
    routine.updated_at = clock.now()


def _refresh_counts(session: Session, routine: Routine) -> None:
    session.flush()
    _set_counts(routine, steps_of(session, routine.id))


def update_routine(
    *,
    session: Session,
    routine: Routine,
    data: RoutineFields,
    expected: versioning.Expected = None,
) -> Routine:
    """`expected`: the versions the person edited from; a newer routine that differs raises
    EditConflict (nothing saved)."""
    versioning.require(
        expected,
        what="routine",
        version=routine.version,
        fields=edits.ROUTINE_FIELDS,
        yours=edits.routine_proposed(data, routine),
        current=edits.routine_snapshot(routine),
    )
    _apply_fields(routine, data, routine.starts_on)
    routine.updated_at = clock.now()
    routine.version += 1
    session.add(routine)
    reminders_link.sync(session=session, routine=routine)
    session.commit()
    return routine


def archive_routine(*, session: Session, routine: Routine, archived: bool = True) -> Routine:
    """Archived routines leave Today and the calendar; their history is kept."""
    routine.archived_at = clock.now() if archived else None
    routine.updated_at = clock.now()
    routine.version += 1
    session.add(routine)
    reminders_link.sync(session=session, routine=routine)
    session.commit()
    return routine


def add_step(*, session: Session, routine: Routine, data: StepIn) -> RoutineStep:
    steps = steps_of(session, routine.id)
    if len(steps) >= MAX_STEPS:
        raise Unprocessable(
            _("A routine can have up to %(max)s steps. Try splitting it in two.", max=MAX_STEPS)
        )
    position = (steps[-1].position + 1) if steps else 0
    step = _new_step(routine.id, position, data)
    session.add(step)
    _refresh_counts(session, routine)
    session.add(routine)
    session.commit()
    return step


def get_step(session: Session, *, routine: Routine, step_id: uuid.UUID) -> RoutineStep:
    step = session.get(RoutineStep, step_id)
    if step is None or step.routine_id != routine.id or step.removed_at is not None:
        raise NotFound()
    return step


def update_step(
    *,
    session: Session,
    routine: Routine,
    step: RoutineStep,
    data: StepIn,
    expected: versioning.Expected = None,
) -> RoutineStep:
    versioning.require(
        expected,
        what="step",
        version=step.version,
        fields=edits.STEP_FIELDS,
        yours=edits.step_proposed(data),
        current=edits.step_snapshot(step),
    )
    step.title, step.detail = data.title, data.detail
    step.duration_minutes, step.bad_day = data.duration_minutes, data.bad_day
    step.version += 1
    session.add(step)
    _refresh_counts(session, routine)
    session.add(routine)
    session.commit()
    return step


def remove_step(
    *,
    session: Session,
    routine: Routine,
    step: RoutineStep,
    expected: versioning.Expected = None,
) -> None:
    """Soft removal: past outcomes keep pointing at a step that still has its title. A step
    changed since the person last saw it is not removed (EditConflict shows it as it is now)."""
    versioning.require_unchanged(
        expected,
        what="step",
        version=step.version,
        fields=edits.STEP_FIELDS,
        current=edits.step_snapshot(step),
    )
    step.removed_at = clock.now()
    step.version += 1
    session.add(step)
    _refresh_counts(session, routine)
    session.add(routine)
    session.commit()


def move_step(*, session: Session, routine: Routine, step: RoutineStep, offset: int) -> None:
    """Up (-1) or down (+1) by one place, for the keyboard-accessible buttons."""
    steps = steps_of(session, routine.id)
    index = next(i for i, s in enumerate(steps) if s.id == step.id)
    target = index + offset
    if 0 <= target < len(steps):
        steps[index], steps[target] = steps[target], steps[index]
        _renumber(session, steps)
        routine.updated_at = clock.now()
        session.add(routine)
    session.commit()


def reorder_steps(
    *, session: Session, routine: Routine, step_ids: Sequence[uuid.UUID]
) -> list[RoutineStep]:
    """The whole order at once (after a drag); it must name every current step exactly once."""
    steps = steps_of(session, routine.id)
    by_id = {s.id: s for s in steps}
    if len(step_ids) != len(by_id) or set(step_ids) != set(by_id):
        raise Unprocessable(
            N_("The new order must list every step once. Please reload and try again.")
        )
    ordered = [by_id[i] for i in step_ids]
    _renumber(session, ordered)
    routine.updated_at = clock.now()
    session.add(routine)
    session.commit()
    return ordered


def _renumber(session: Session, steps: Sequence[RoutineStep]) -> None:
    for position, step in enumerate(steps):
        if step.position != position:
            step.position = position
            session.add(step)


def set_step_photo(
    *, session: Session, routine: Routine, step: RoutineStep, data: bytes
) -> RoutinePhoto:
    """Raises photos.PhotoError with a message for the photo field."""
    processed = photos.process_upload(data)
    photo = RoutinePhoto(
        client_id=routine.client_id,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        data=processed.data,
    )
    session.add(photo)
    old_id = step.photo_id
    step.photo_id = photo.id
    step.version += 1
    session.add(step)
    session.flush()
    if old_id is not None:
        _delete_photo_if_unused(session, old_id)
    session.commit()
    return photo


def remove_step_photo(*, session: Session, step: RoutineStep) -> None:
    old_id, step.photo_id = step.photo_id, None
    step.version += 1
    session.add(step)
    session.flush()
    if old_id is not None:
        _delete_photo_if_unused(session, old_id)
    session.commit()


def _delete_photo_if_unused(session: Session, photo_id: uuid.UUID) -> None:
    users = session.exec(
        select(func.count()).select_from(RoutineStep).where(RoutineStep.photo_id == photo_id)
    ).one()
    if users == 0:
        photo = session.get(RoutinePhoto, photo_id)
        if photo is not None:
            session.delete(photo)


def add_pause(
    *, session: Session, routine: Routine, starts_on: date, ends_on: date | None
) -> RoutinePause:
    try:
        recurrence.validate_pause(starts_on, ends_on)
    except recurrence.ScheduleError as exc:
        raise Unprocessable(str(exc)) from None
    pause = RoutinePause(routine_id=routine.id, starts_on=starts_on, ends_on=ends_on)
    session.add(pause)
    session.commit()
    return pause


def remove_pause(*, session: Session, routine: Routine, pause_id: uuid.UUID) -> None:
    pause = session.get(RoutinePause, pause_id)
    if pause is None or pause.routine_id != routine.id:
        raise NotFound()
    session.delete(pause)
    session.commit()


def set_reminder_times(
    *, session: Session, routine: Routine, times: Sequence[time], only_if_not_done: bool
) -> list[RoutineReminderTime]:
    """Several reminder times per routine; each "only if not done yet" or always."""
    for row in reminder_times_of(session, routine.id):
        session.delete(row)
    session.flush()
    rows = [
        RoutineReminderTime(routine_id=routine.id, at_time=t, only_if_not_done=only_if_not_done)
        for t in sorted(set(times))
    ]
    session.add_all(rows)
    session.flush()
    reminders_link.sync(session=session, routine=routine)
    session.commit()
    return rows
