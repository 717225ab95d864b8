"""Self-care: graded habit ladders, check-ins, pauses, and the mood, energy and sleep log."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any


class _MoodLogReminders:
    """The second reminder kind this domain owns ("mood_log"); reminders discovers one KIND per
    module, so this one is installed through its documented `register` hook."""

    KIND = "mood_log"

    @staticmethod
    def still_due(*, session: Any, source_id: uuid.UUID, local_day: date) -> bool:
        from app.self_care.mood_reminders import still_due

        return still_due(session=session, source_id=source_id, local_day=local_day)


def _register_mood_log_reminders() -> None:
    from app.reminders import sources

    sources.register(_MoodLogReminders.KIND, _MoodLogReminders)


_register_mood_log_reminders()
