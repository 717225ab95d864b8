"""PDF reports made off the request path, in one worker process.

WeasyPrint spends 1.7–3.3 s of CPU on a report. Done inside a request, that time is taken from
everyone else's requests on the same core, and the therapist's browser waits on one connection.
Instead the request gathers the data and renders the HTML (milliseconds), hands the HTML to a
`ProcessPoolExecutor` with one worker (started on the first report, `spawn`ed so it inherits no
threads or locks, running at a lower CPU priority), and answers at once with a page that checks
again by itself until the PDF is ready.

Jobs live in this process, for `KEEP_SECONDS`: a report is made to be downloaded straight away,
and the PDF holds health data that should not sit on disk. With several app processes, a job is
known only to the process that started it (another answers "not found", offering to make it
again); the default deployment is one process.

If the worker dies (killed, out of memory), its job fails and the next report starts a new worker;
a job that runs for over `TIMEOUT_SECONDS` (counted from when it starts running, not
while it waits behind other reports) is shown as failed, and its worker is stopped when the
next report starts, so one stuck report never blocks the others.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import secrets
import signal
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from app.progress import report_pdf

State = Literal["working", "ready", "failed"]
TIMEOUT_SECONDS = 120.0
KEEP_SECONDS = 30 * 60.0
MAX_JOBS = 50
# A repeated click (or a reload of the link) within this window reuses the job already made.
REUSE_SECONDS = 60.0
# WeasyPrint's caches grow with every document: a fresh worker every so often bounds its memory.
TASKS_PER_WORKER = 20

Render = Callable[[str], bytes]


@dataclass
class Job:
    """One report: who asked, for whom, for which dates, and the worker's future PDF."""

    id: str
    therapist_id: uuid.UUID
    client_id: uuid.UUID
    start: date
    end: date
    filename: str
    future: Future[bytes]
    started: float = field(default_factory=time.monotonic)
    # When the job was first seen running (not waiting behind other reports): the timeout counts
    # from here, so a queue of healthy reports never looks like a stuck worker.
    running_since: float | None = None

    def state(self, now: float | None = None) -> State:
        if self.future.cancelled():
            return "failed"
        if self.future.done():
            return "failed" if self.future.exception() is not None else "ready"
        at = time.monotonic() if now is None else now
        if self.running_since is None:
            if not self.future.running():
                return "working"
            self.running_since = at
        return "failed" if at - self.running_since > TIMEOUT_SECONDS else "working"

    @property
    def seconds(self) -> int:
        return int(time.monotonic() - self.started)

    def pdf(self) -> bytes | None:
        return self.future.result() if self.state() == "ready" else None


# How often the worker checks that the server that started it is still alive.
PARENT_CHECK_SECONDS = 2.0


def _lower_priority() -> None:
    """The worker yields the core to request handling: reports can wait a moment, pages cannot.
    It also leaves when its server does: a server killed outright (kill -9, an OOM kill) cannot
    stop it, and an orphaned worker would hold its memory and core time for nothing."""
    os.nice(10)
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch_parent, name="report-worker-parent", daemon=True).start()


class ReportJobs:
    """The worker pool and the jobs of this process; thread-safe (routes run in a thread pool)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[str, Job] = {}

    def start(
        self,
        *,
        therapist_id: uuid.UUID,
        client_id: uuid.UUID,
        start: date,
        end: date,
        html: str,
        filename: str,
        render: Render = report_pdf.render_pdf,
    ) -> Job:
        """Queue the PDF of `html`; returns at once. `render` runs in the worker process (it must
        be importable there: a module-level function)."""
        with self._lock:
            self._prune()
            for job in self._jobs.values():
                same = (job.therapist_id, job.client_id, job.start, job.end) == (
                    therapist_id,
                    client_id,
                    start,
                    end,
                )
                if same and job.state() != "failed" and job.seconds < REUSE_SECONDS:
                    return job
            if any(j.state() == "failed" and not j.future.done() for j in self._jobs.values()):
                self._stop_pool()  # a stuck worker: stop it so the reports behind it can run
            future = self._submit(render, html)
            job = Job(
                id=secrets.token_urlsafe(16),
                therapist_id=therapist_id,
                client_id=client_id,
                start=start,
                end=end,
                filename=filename,
                future=future,
            )
            self._jobs[job.id] = job
            return job

    def get(self, job_id: str, *, therapist_id: uuid.UUID, client_id: uuid.UUID) -> Job | None:
        """The job, only for the therapist who started it and the client it is about."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or (job.therapist_id, job.client_id) != (therapist_id, client_id):
            return None
        return job

    def adopt(self, job: Job) -> None:
        """Keep a job made elsewhere, e.g. a finished one in tests about who may see it (they
        must not queue thousands of renders on the one worker)."""
        with self._lock:
            self._prune()
            self._jobs[job.id] = job

    def shutdown(self) -> None:
        """At app shutdown: stop the worker without waiting for a report in progress."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def _submit(self, render: Render, html: str) -> Future[bytes]:
        from concurrent.futures.process import BrokenProcessPool

        for _attempt in range(2):
            pool = self._executor()
            try:
                future: Future[bytes] = pool.submit(render, html)
            except BrokenProcessPool:  # the last worker died: start a new one
                self._pool = None
                continue
            future.add_done_callback(functools.partial(self._forget_broken, pool))
            return future
        raise RuntimeError("the report worker could not be started")

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
                max_tasks_per_child=TASKS_PER_WORKER,
            )
        return self._pool

    def _forget_broken(self, pool: ProcessPoolExecutor, future: Future[bytes]) -> None:
        """After a worker died, the next report gets a new pool (a broken one refuses work)."""
        if future.cancelled() or future.exception() is None:
            return
        if getattr(pool, "_broken", False):
            with self._lock:
                if self._pool is pool:
                    self._pool = None

    def _stop_pool(self) -> None:
        """Kill the worker (its jobs fail with BrokenProcessPool) and drop the pool."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for pid in list(getattr(pool, "_processes", {}) or {}):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        pool.shutdown(wait=False, cancel_futures=True)

    def _prune(self) -> None:
        now = time.monotonic()
        for key in [k for k, j in self._jobs.items() if now - j.started > KEEP_SECONDS]:
            del self._jobs[key]
        for key in sorted(self._jobs, key=lambda k: self._jobs[k].started)[:-MAX_JOBS]:
            del self._jobs[key]

    def worker_pids(self) -> list[int]:
        """The worker's process id(s), for tests and the operations page."""
        with self._lock:
            pool = self._pool
        return list(getattr(pool, "_processes", {}) or {}) if pool is not None else []


jobs = ReportJobs()
