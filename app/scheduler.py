"""The in-process ticker. The database is the record of what is due; APScheduler only wakes us up.

Each domain with periodic work provides `jobs.py` with `JOBS: list[Job]`. Memory job store only:
APScheduler 3 must not share a job store between processes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler

from app.domains import plugins

log = logging.getLogger("groundwork.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    seconds: float


def collect() -> list[Job]:
    return [job for _domain, module in plugins("jobs") for job in getattr(module, "JOBS", [])]


def start() -> BackgroundScheduler | None:
    jobs = collect()
    if not jobs:
        return None
    scheduler = BackgroundScheduler(timezone="UTC")
    for job in jobs:
        scheduler.add_job(
            job.func,
            "interval",
            seconds=job.seconds,
            id=job.name,
            max_instances=1,
            coalesce=True,
            # The default grace is 1 s: a busy process would silently drop ticks.
            misfire_grace_time=max(30, int(job.seconds * 3)),
        )
    scheduler.start()
    log.info("scheduler started with %d jobs", len(jobs))
    return scheduler
