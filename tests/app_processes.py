"""The app served by real worker processes (`python -m app serve`), for tests of what several
processes on one database must agree on: throttles, kept sessions."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.fixtures import ROOT, free_port, wait_until_ready


@contextmanager
def app_process(env: dict[str, str], log_dir: Path) -> Iterator[str]:
    """One worker on a free port, until its readiness answers; yields its base URL. Its output
    goes to `server-<port>.log` in `log_dir`, quoted if it does not start."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"server-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            env={**env, "GW_BASE_URL": url},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(proc, url, log_path, seconds=60, name=f"worker on port {port}")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)
