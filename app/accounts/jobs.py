"""Forgetting old throttle events, so the table stays small and every check stays an index probe."""

from __future__ import annotations

import logging

from app.accounts import throttle
from app.db import write_session
from app.scheduler import Job

log = logging.getLogger("groundwork.accounts")


def _prune() -> None:
    with write_session() as session:
        removed = throttle.prune(session)
    if removed:
        log.info("throttle: forgot %d old events", removed)


JOBS = [Job(name="accounts.prune_throttle", func=_prune, seconds=3600)]
