"""Every process builds queued downloads every few seconds; the claim makes that safe."""

from __future__ import annotations

import logging
import os
import socket

from app import clock
from app.my_data import worker
from app.scheduler import Job

log = logging.getLogger("groundwork.my_data")
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def build_tick() -> None:
    try:
        worker.purge_expired(now=clock.now())
        for _ in range(5):  # bounded: one tick never runs for ever
            if worker.run_once(now=clock.now, worker=WORKER) is None:
                break
    except Exception:
        log.exception("download tick failed")


JOBS = [Job(name="my_data.build", func=build_tick, seconds=5)]
