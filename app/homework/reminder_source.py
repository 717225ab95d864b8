"""Reminders for homework (seam 4): due while the homework is open and not yet done that day."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session, select

from app.homework.models import HomeworkAssignment, HomeworkCompletion
from app.homework.schedule import is_due_on
from app.homework.service import OPEN_STATES, is_closed_for_client, recurrence

KIND = "homework"


def still_due(*, session: Session, source_id: uuid.UUID, local_day: date) -> bool:
    """False once the homework is closed (or its therapist's care ended), practised that day, or
    not planned that day."""
    a = session.get(HomeworkAssignment, source_id)
    if a is None or a.state not in OPEN_STATES or is_closed_for_client(session, a):
        return False
    rec = recurrence(a)
    if a.frequency != "once" and not is_due_on(rec, local_day):
        return False
    if a.frequency == "once" and local_day > a.due_on:
        return False
    done = session.exec(
        select(HomeworkCompletion.id).where(
            HomeworkCompletion.assignment_id == a.id, HomeworkCompletion.done_on == local_day
        )
    ).first()
    return done is None
