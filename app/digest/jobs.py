"""The digest ticker: every minute, send the digests whose local send hour has come.

Every process runs it (see app/scheduler.py); the (therapist, day) claim in digest.sender makes
that safe.
"""

from __future__ import annotations

import logging

from app import clock
from app.digest import sender
from app.scheduler import Job

log = logging.getLogger("groundwork.digest")


def digest_tick() -> None:
    try:
        report = sender.run_tick(now=clock.now())
    except Exception:
        log.exception("digest tick failed")
        return
    if report.sent or report.failed:
        log.info("digest: %d sent, %d failed", len(report.sent), len(report.failed))


JOBS = [Job(name="digest.send", func=digest_tick, seconds=60)]
