"""Templates: the built-in library and a clinic's own, applied by copying into a client's routine."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.errors import NotFound
from app.routines import service
from app.routines.models import Routine, RoutineTemplateRow
from app.routines.recurrence import from_rrule
from app.routines.schemas import RoutineCreate, ScheduleIn, StepIn
from app.routines.templates_library import RoutineTemplate, template_in, templates_in

CLINIC_PREFIX = "clinic-"


def clinic_templates(
    session: Session, organisation_id: uuid.UUID | None
) -> list[RoutineTemplateRow]:
    if organisation_id is None:
        return []
    return list(
        session.exec(
            select(RoutineTemplateRow)
            .where(
                RoutineTemplateRow.organisation_id == organisation_id,
                col(RoutineTemplateRow.archived_at).is_(None),
            )
            .order_by(col(RoutineTemplateRow.title))
        )
    )


def library(
    session: Session, organisation_id: uuid.UUID | None, language: str = "en"
) -> tuple[tuple[RoutineTemplate, ...], list[RoutineTemplateRow]]:
    """The built-in templates in the reader's language, and the clinic's own (as written)."""
    return templates_in(language), clinic_templates(session, organisation_id)


def _schedule(rule: str) -> ScheduleIn:
    s = from_rrule(rule)
    return ScheduleIn(kind=s.kind, days=list(s.days), interval=s.interval, rrule=s.rrule)


def _create_from_builtin(template: RoutineTemplate) -> RoutineCreate:
    return RoutineCreate(
        title=template.title,
        icon=template.icon,
        part_of_day=template.part_of_day,
        at_time=template.time,
        schedule=_schedule(template.rrule),
        steps=[
            StepIn(title=s.title, detail=s.detail, duration_minutes=s.minutes, bad_day=s.bad_day)
            for s in template.steps
        ],
    )


def _create_from_row(row: RoutineTemplateRow) -> RoutineCreate:
    try:
        steps = [StepIn.model_validate(s) for s in row.steps]
    except ValidationError:  # a template saved by an older version: keep what still validates
        steps = [
            StepIn(title=str(s.get("title", "Step"))[:120]) for s in row.steps if s.get("title")
        ]
    return RoutineCreate(
        title=row.title,
        icon=row.icon,
        part_of_day=row.part_of_day,
        at_time=row.at_time,
        schedule=_schedule(row.rrule),
        steps=steps,
    )


def apply_template(*, session: Session, client: User, key: str, created_by: User) -> Routine:
    """Copy a template (built-in key or ``clinic-<uuid>``) into a new routine for the client."""
    if key.startswith(CLINIC_PREFIX):
        try:
            template_id = uuid.UUID(key[len(CLINIC_PREFIX) :])
        except ValueError:
            raise NotFound() from None
        row = session.get(RoutineTemplateRow, template_id)
        if (
            row is None
            or row.archived_at is not None
            or row.organisation_id != client.organisation_id
        ):
            raise NotFound()
        data = _create_from_row(row)
    else:
        # Built in: copied in the client's own language, since the client is the one who uses it.
        template = template_in(key, client.language)
        if template is None:
            raise NotFound()
        data = _create_from_builtin(template)
    return service.create_routine(
        session=session,
        client_id=client.id,
        tz=client.time_zone,
        created_by_id=created_by.id,
        data=data,
        template_key=key,
    )


def save_as_template(
    *, session: Session, routine: Routine, therapist: User, summary: str = ""
) -> RoutineTemplateRow:
    """A therapist keeps a client's routine as a clinic template (steps copied, no photos)."""
    if therapist.organisation_id is None:
        raise NotFound()
    steps: list[dict[str, Any]] = [
        {
            "title": s.title,
            "detail": s.detail,
            "duration_minutes": s.duration_minutes,
            "bad_day": s.bad_day,
        }
        for s in service.steps_of(session, routine.id)
    ]
    row = RoutineTemplateRow(
        organisation_id=therapist.organisation_id,
        created_by_id=therapist.id,
        title=routine.title,
        icon=routine.icon,
        summary=summary or f"{len(steps)} steps",
        part_of_day=routine.part_of_day,
        at_time=routine.at_time,
        rrule=routine.rrule,
        steps=steps,
    )
    session.add(row)
    session.commit()
    return row


def archive_template(*, session: Session, template_id: uuid.UUID, therapist: User) -> None:
    row = session.get(RoutineTemplateRow, template_id)
    if (
        row is None
        or row.organisation_id != therapist.organisation_id
        or row.archived_at is not None
    ):
        raise NotFound()
    row.archived_at = clock.now()
    session.add(row)
    session.commit()
