"""Hands a routine's reminder times to the reminders domain (SEAMS 4), when that domain is present.

The reminder times are stored in this domain's own table either way, so nothing is lost on a build
without reminders; the schedule is registered as soon as both are deployed together.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.i18n import N_
from app.reminders import service as reminders_service
from app.routines.models import Routine, RoutineReminderTime

KIND = "routine"


def sync(*, session: Session, routine: Routine) -> None:
    """Register (or switch off) the routine's reminders; joins the caller's transaction."""
    reminders = reminders_service
    rows = list(
        session.exec(
            select(col(RoutineReminderTime.at_time), RoutineReminderTime.only_if_not_done)
            .where(RoutineReminderTime.routine_id == routine.id)
            .order_by(col(RoutineReminderTime.at_time))
        )
    )
    if not rows:
        reminders.remove_schedule(session=session, kind=KIND, source_id=routine.id)
        return
    reminders.sync_schedule(
        session=session,
        client_id=routine.client_id,
        kind=KIND,
        source_id=routine.id,
        title=f"{routine.icon} {routine.title}",
        # Marked for the catalog; the reminders domain sends it in the client's language.
        body=N_("Ready when you are. One step at a time."),
        url=f"/routines/{routine.id}/play",
        local_times=[t for t, _ in rows],
        rrule=routine.rrule,
        starts_on=routine.starts_on,
        only_if_not_done=any(only for _, only in rows),
        active=routine.archived_at is None,
    )
