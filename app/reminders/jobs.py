"""The reminders ticker: APScheduler only wakes us up; the outbox in the database says what is due.

Every process runs these jobs (BackgroundScheduler, memory job store, max_instances=1 and an
explicit misfire_grace_time, set by app/scheduler.py); the atomic claim makes that safe.
"""

from __future__ import annotations

import logging

from app import clock
from app.db import open_session
from app.reminders import dispatcher, outbox, runtime
from app.scheduler import Job

log = logging.getLogger("groundwork.reminders")


def dispatch_tick() -> None:
    """Send what is due now."""
    try:
        report = dispatcher.run_tick(
            channels=runtime.channels(), now=clock.now, worker=runtime.worker_id()
        )
    except Exception:
        log.exception("reminder dispatch tick failed")
        return
    if report.claimed:
        log.info("reminders: %d claimed %s", report.claimed, report.counts)


def refill_tick() -> None:
    """Keep two days of occurrences in the outbox for every active schedule."""
    try:
        for _ in range(50):  # a fresh database with many schedules fills in a few ticks
            with open_session(write=True) as session:
                if outbox.refill(session=session, now=clock.now()) == 0:
                    break
    except Exception:
        log.exception("reminder refill failed")


JOBS = [
    Job(name="reminders.dispatch", func=dispatch_tick, seconds=5),
    Job(name="reminders.refill", func=refill_tick, seconds=60),
]
