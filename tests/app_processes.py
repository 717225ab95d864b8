"""The app served by real worker processes (`python -m app serve`), for tests of what several
processes on one database must agree on: throttles, kept sessions."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.browser.fixtures import ROOT, free_port


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
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text())
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)
