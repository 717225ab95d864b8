"""Background load for the row "Today while PDF reports are made" (issue #19, point 5).

A thread logged in as the bench therapist asks for one progress report after another (a different
date range each time, so none is reused), follows each job page until the PDF is ready and
downloads it, for as long as the scenario is measured. The report worker runs beside the server
(its child process, on the same pinned core, at a lower priority), so this row shows what one
therapist's reports cost everyone else's Today.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from bench.server import SESSION_COOKIE, Login


@dataclass
class ReportLoad:
    base: str
    login: Login
    client_id: str
    today: date
    made: int = 0
    failed: int = 0
    seconds: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> ReportLoad:
        self._thread = threading.Thread(target=self._loop, name="report-load", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=180)

    def _loop(self) -> None:
        cookies = {SESSION_COOKIE: self.login.cookie}
        with httpx.Client(base_url=self.base, cookies=cookies, timeout=60) as http:
            i = 0
            while not self._stop.is_set():
                i += 1
                end = self.today - timedelta(days=i % 300)
                self._one(http, end - timedelta(days=28), end)

    def _one(self, http: httpx.Client, start: date, end: date) -> None:
        began = time.monotonic()
        prefix = f"/caseload/{self.client_id}/progress"
        r = http.get(f"{prefix}/report.pdf", params={"start": str(start), "end": str(end)})
        if r.status_code != 303:
            self.failed += 1
            self._stop.wait(1)
            return
        job = r.headers["location"]
        while not self._stop.is_set():
            page = http.get(job)
            if 'data-report-state="ready"' in page.text:
                pdf = http.get(f"{job}/report.pdf")
                ok = pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
                self.made += ok
                self.failed += not ok
                self.seconds.append(time.monotonic() - began)
                return
            if 'data-report-state="working"' not in page.text:
                self.failed += 1
                return
            self._stop.wait(0.5)  # as the page's own refresh would, a little more often

    def note(self) -> str:
        mean = sum(self.seconds) / len(self.seconds) if self.seconds else 0.0
        return (
            f"While this row was measured, a therapist made {self.made} PDF reports one after "
            f"another ({self.failed} failed), each ready {mean:.1f} s after it was asked for on "
            "average; the report worker is the server's child on the same core, at nice 10. "
            "Compare this row's p99 with the plain Today row's. Its CPU per request includes the "
            "therapist's report requests and job-page polls (the PDFs' CPU is the worker's, not "
            "the server's)."
        )
