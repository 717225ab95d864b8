"""The PDF report is made in a worker process: the request answers at once, the page follows the
job to a download link, and a worker that dies or hangs fails its job (with a retry) without
stopping the next report."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.progress import report_jobs
from app.progress.report_jobs import ReportJobs
from tests import factories
from tests.progress import pdf_facts, report_worker_tasks


def _wait(job: report_jobs.Job, *, until: set[str], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while (state := job.state()) not in until and time.monotonic() < deadline:
        time.sleep(0.05)
    return state


@pytest.fixture
def own_jobs() -> Iterator[ReportJobs]:
    """A registry of its own, so a killed or hung worker here never touches the app's."""
    registry = ReportJobs()
    try:
        yield registry
    finally:
        registry.shutdown()


def _start(registry: ReportJobs, render: report_jobs.Render, html: str = "<h1>Hi</h1>") -> Any:
    return registry.start(
        therapist_id=uuid.uuid4(),
        client_id=uuid.uuid4(),
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        html=html,
        filename="r.pdf",
        render=render,
    )


def _follow(http: Any, location: str, seconds: float = 60) -> Any:
    """Reload the job page as its script does, until it stops saying it is working."""
    deadline = time.monotonic() + seconds
    page = http.get(location)
    while 'data-report-state="working"' in page.text and time.monotonic() < deadline:
        assert "progress/report_job.js" in page.text  # asks again until the state changes
        time.sleep(0.2)
        page = http.get(location)
    return page


def follow_report(http: Any, url: str) -> Any:
    """The PDF behind a report link: start the job, follow its page until ready, download."""
    r = http.get(url)
    assert r.status_code == 303, r.text
    page = _follow(http, r.headers["location"])
    assert 'data-report-state="ready"' in page.text, page.text
    return http.get(r.headers["location"] + "/report.pdf")


def test_the_report_request_answers_at_once_and_the_page_leads_to_the_real_pdf(
    http: Any, session: Session, therapist: User, client_user: User, monkeypatch: Any
) -> None:
    # WeasyPrint refuses to run in this process: the request must leave it to the (spawned)
    # worker, which imports its own, untouched copy. A deterministic check, unlike a timing.
    import weasyprint

    def not_here(*_args: Any, **_kwargs: Any) -> bytes:
        raise AssertionError("the PDF was rendered inside the request")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", not_here)
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/progress"
    with clock.frozen_at(clock.now()):
        r = http.get(f"{base}/report.pdf?start=2026-01-01&end=2026-01-31")
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith(f"{base}/report-jobs/")
    page = _follow(http, location)
    assert 'data-report-state="ready"' in page.text, page.text
    assert "The report is ready" in page.text
    assert "report_job.js" not in page.text
    pdf = http.get(f"{location}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    name = "".join(ch for ch in client_user.preferred_name if ch.isalnum())
    assert f'filename="progress-{name}-20260101-20260131.pdf"' in pdf.headers["content-disposition"]
    assert f"Progress report: {client_user.preferred_name}" in pdf_facts.strings(pdf.content)
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.client_id == client_user.id)
    ).all()
    assert "export.report_pdf" in actions
    # The same click again within a minute reuses the job instead of making a second PDF.
    assert (
        http.get(f"{base}/report.pdf?start=2026-01-01&end=2026-01-31").headers["location"]
        == location
    )


def test_a_job_is_only_visible_to_the_therapist_who_started_it_about_that_client(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/progress"
    location = http.get(f"{base}/report.pdf?start=2026-02-01&end=2026-02-28").headers["location"]
    job_id = location.rsplit("/", 1)[1]
    other_client = factories.client(session, therapist=therapist)
    assert http.get(f"/caseload/{other_client.id}/progress/report-jobs/{job_id}").status_code == 404
    assert http.get(f"{base}/report-jobs/not-a-job").status_code == 404
    colleague = factories.therapist(session, factories.clinic(session, name="Elsewhere"))
    http.as_(colleague)
    assert http.get(location).status_code == 404
    assert http.get(f"{location}/report.pdf").status_code == 404
    http.as_(client_user)
    assert http.get(location).status_code == 403


def test_a_bad_range_shows_the_form_with_the_error_and_starts_nothing(
    http: Any, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    r = http.get(f"/caseload/{client_user.id}/progress/report.pdf?start=2026-05-01&end=2026-04-01")
    assert r.status_code == 422
    assert "Please check the dates" in r.text


def test_a_request_never_waits_for_a_slow_report(own_jobs: ReportJobs) -> None:
    started = time.monotonic()
    job = _start(own_jobs, report_worker_tasks.slow)
    assert time.monotonic() - started < 0.5
    assert job.state() == "working"
    assert job.pdf() is None
    assert _wait(job, until={"ready", "failed"}) == "ready"
    pdf = job.pdf()
    assert pdf is not None
    assert pdf.startswith(b"%PDF")


def test_a_cancelled_job_reads_as_failed_and_a_waiting_one_never_times_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from concurrent.futures import Future

    monkeypatch.setattr(report_jobs, "TIMEOUT_SECONDS", 0.0)
    waiting: Future[bytes] = Future()
    job = report_jobs.Job(
        "j",
        uuid.uuid4(),
        uuid.uuid4(),
        date(2026, 1, 1),
        date(2026, 1, 2),
        "r.pdf",
        waiting,
        started=time.monotonic() - 3600,
    )
    assert job.state() == "working"  # queued behind other reports, however long
    waiting.cancel()
    assert job.state() == "failed"


def test_a_worker_that_dies_fails_its_job_and_the_next_report_gets_a_new_worker(
    own_jobs: ReportJobs,
) -> None:
    dead = _start(own_jobs, report_worker_tasks.die)
    assert _wait(dead, until={"failed", "ready"}) == "failed"
    assert dead.pdf() is None
    again = _start(own_jobs, report_worker_tasks.slow)
    assert again.id != dead.id
    assert _wait(again, until={"failed", "ready"}) == "ready"


def test_a_hung_worker_is_shown_as_failed_and_stopped_for_the_next_report(
    own_jobs: ReportJobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = _start(own_jobs, report_worker_tasks.hang)
    deadline = time.monotonic() + 30
    while not own_jobs.worker_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    (pid,) = own_jobs.worker_pids()
    while not stuck.future.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stuck.state() == "working"  # seen running: the timeout counts from now
    monkeypatch.setattr(report_jobs, "TIMEOUT_SECONDS", 0.2)
    time.sleep(0.3)
    assert stuck.state() == "failed"
    after = _start(own_jobs, report_worker_tasks.slow)
    monkeypatch.undo()  # the next report has the usual time
    assert _wait(after, until={"ready", "failed"}) == "ready"
    assert pid not in own_jobs.worker_pids()
    assert stuck.future.done()  # its worker was killed, not left running


def test_the_failed_page_offers_a_retry_that_makes_the_report(
    http: Any, therapist: User, client_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = ReportJobs()
    monkeypatch.setattr(report_jobs, "jobs", registry)
    try:
        dead = registry.start(
            therapist_id=therapist.id,
            client_id=client_user.id,
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
            html="<h1>x</h1>",
            filename="x.pdf",
            render=report_worker_tasks.die,
        )
        assert _wait(dead, until={"failed", "ready"}) == "failed"
        http.as_(therapist)
        base = f"/caseload/{client_user.id}/progress"
        page = http.get(f"{base}/report-jobs/{dead.id}")
        assert page.status_code == 200
        assert "The report could not be made" in page.text
        retry = f"{base}/report.pdf?start=2026-01-01&amp;end=2026-01-31"
        assert f'href="{retry}">Try again' in page.text
        assert http.get(f"{base}/report-jobs/{dead.id}/report.pdf").status_code == 303
        r = http.get(retry.replace("&amp;", "&"))
        assert r.status_code == 303
        assert r.headers["location"] != f"{base}/report-jobs/{dead.id}"
        assert 'data-report-state="ready"' in _follow(http, r.headers["location"]).text
    finally:
        registry.shutdown()


_ORPHAN_PARENT = """
import os, sys, time
from app.progress.report_jobs import ReportJobs
jobs = ReportJobs()
print(jobs._executor().submit(os.getpid).result(), flush=True)
time.sleep(600)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's exit is reaped by whoever adopted it, maybe never)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_the_worker_leaves_when_its_server_is_killed_outright() -> None:
    """kill -9 of the server cannot stop its report worker: the worker notices and exits."""
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_PARENT], cwd=root, stdout=subprocess.PIPE, text=True
    ) as parent:
        try:
            assert parent.stdout is not None
            worker = int(parent.stdout.readline())
            assert _running(worker)  # alive while its server is
        finally:
            parent.send_signal(signal.SIGKILL)
            parent.wait()
    deadline = time.monotonic() + 10 * report_jobs.PARENT_CHECK_SECONDS
    while time.monotonic() < deadline:
        if not _running(worker):
            return
        time.sleep(0.1)
    os.kill(worker, signal.SIGKILL)
    pytest.fail("the report worker outlived its killed server")
