"""Forgetting old throttle events (so every check stays an index probe) and expired sign-ups."""

from __future__ import annotations

import logging

from app.accounts import signup, throttle
from app.db import write_session
from app.scheduler import Job

log = logging.getLogger("groundwork.accounts")


def _prune() -> None:
    with write_session() as session:
        removed = throttle.prune(session)
        expired = signup.prune(session)
    if removed or expired:
        log.info("forgot %d old throttle events and %d expired sign-ups", removed, expired)


JOBS = [Job(name="accounts.prune", func=_prune, seconds=3600)]
