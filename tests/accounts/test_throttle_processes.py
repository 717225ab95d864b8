"""Two real uvicorn processes on one PostgreSQL throttle guesses together, and answer at once."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from app.accounts import throttle
from tests.app_processes import app_process
from tests.browser.fixtures import ROOT
from tests.databases import throwaway_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def two_processes() -> Iterator[tuple[str, str]]:
    data_dir = Path(tempfile.mkdtemp(prefix="gw-two-"))
    with throwaway_postgres("gw_throttle") as db_url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GW_")}
        env.update(
            {
                "GW_ENVIRONMENT": "test",
                "GW_DATA_DIR": str(data_dir),
                "GW_DATABASE_URL": db_url,
                "GW_SECRET_KEY": secrets.token_urlsafe(32),
                "GW_SCHEDULER_ENABLED": "false",
                "GW_SMTP_PORT": "1",
            }
        )
        subprocess.run(
            [sys.executable, "-m", "app", "migrate"], env=env, cwd=ROOT, check=True, timeout=120
        )
        with ExitStack() as stack:
            first = stack.enter_context(app_process(env, data_dir))
            second = stack.enter_context(app_process(env, data_dir))
            yield first, second


def _guess(client: httpx.Client) -> httpx.Response:
    token = client.cookies.get("gw_csrf") or ""
    started = time.monotonic()
    response = client.post("/join", data={"code": "ZZZZZ-ZZZZZ", "csrf_token": token})
    # Over a limit is an answer, not a wait.
    assert time.monotonic() - started < 5
    return response


def test_wrong_codes_count_across_processes(two_processes: tuple[str, str]) -> None:
    clients = [httpx.Client(base_url=url, timeout=10) for url in two_processes]
    try:
        for client in clients:
            assert client.get("/join").status_code == 200  # the anonymous CSRF cookie
        free = throttle.CODE_ADDRESS.free
        answers = [_guess(clients[n % 2]).status_code for n in range(free)]
        assert answers == [404] * free
        # Both processes now refuse this address: the count lives in the shared database.
        for client in clients:
            refused = _guess(client)
            assert refused.status_code == 429
            assert int(refused.headers["retry-after"]) > 0
    finally:
        for client in clients:
            client.close()
