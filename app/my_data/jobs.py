"""Every process builds queued downloads every few seconds (the claim makes that safe) and erases
accounts whose grace period has passed (each erasure re-checks the row in its own transaction)."""

from __future__ import annotations

import logging
import os
import socket

from app import clock
from app.my_data import closure, worker
from app.scheduler import Job

log = logging.getLogger("groundwork.my_data")
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def erase_tick() -> None:
    try:
        erased = closure.erase_due(now=clock.now())
        closure.delete_retained_due(now=clock.now())
    except Exception:
        log.exception("erase tick failed")
        return
    if erased:
        log.info("erased %d closed accounts after their grace period", erased)


def build_tick() -> None:
    try:
        worker.purge_expired(now=clock.now())
        for _ in range(5):  # bounded: one tick never runs for ever
            if worker.run_once(now=clock.now, worker=WORKER) is None:
                break
    except Exception:
        log.exception("download tick failed")


JOBS = [
    Job(name="my_data.build", func=build_tick, seconds=5),
    Job(name="my_data.erase", func=erase_tick, seconds=300),
]
