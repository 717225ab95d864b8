"""Once a day, log the crisis lines due for their yearly re-check (operators see it in the logs;
clinic managers on their crisis-lines page)."""

from __future__ import annotations

from app import clock
from app.crisis import service
from app.scheduler import Job


def recheck_reminder() -> None:
    service.log_recheck_reminder(clock.now())


JOBS = [Job(name="crisis.recheck_reminder", func=recheck_reminder, seconds=24 * 3600)]
