"""Registering habit reminders with the reminders domain (seam 4).

The reminders domain owns delivery; we hand it the schedule."""

from __future__ import annotations

from types import ModuleType

from sqlmodel import Session

from app.accounts.models import User
from app.i18n import DEFAULT_LANGUAGE, use_language
from app.reminders import service as reminders_service
from app.self_care import words
from app.self_care.models import Habit

KIND = "habit"


def service() -> ModuleType:
    """The reminders service (seam 4): it owns delivery, we hand it the schedule."""
    return reminders_service


def sync_habit(*, session: Session, habit: Habit, level_text: str) -> None:
    """The reminder's words are the client's: a built-in ladder's title and step in their language
    (the push is written now, by a job later, outside any request)."""
    session.flush()
    client = session.get(User, habit.client_id)
    with use_language(client.language if client is not None else DEFAULT_LANGUAGE):
        title = words.habit_title(habit.source, habit.title)
        body = words.habit_level(habit.source, habit.level, level_text)
    reminders_service.sync_schedule(
        session=session,
        client_id=habit.client_id,
        kind=KIND,
        source_id=habit.id,
        title=title,
        body=body,
        url=f"/self-care/habits/{habit.id}",
        local_times=[habit.reminder_time] if habit.reminder_time else [],
        rrule=None,
        only_if_not_done=True,
        active=habit.archived_at is None and habit.reminder_time is not None,
    )


def remove_habit(*, session: Session, habit: Habit) -> None:
    reminders_service.remove_schedule(session=session, kind=KIND, source_id=habit.id)
