"""The pure hello world runs in a real uvicorn process beside the app, and wrk charges its CPU to it."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from bench import hello, run, server, wrk

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def test_the_hello_world_is_served_by_the_same_uvicorn_command_and_its_cpu_is_measured(
    tmp_path: Path,
) -> None:
    cmd = server.server_command(8000, 0, server.HELLO_FACTORY)
    assert cmd == [
        *server.server_command(8000, 0)[: cmd.index(server.HELLO_FACTORY)],
        server.HELLO_FACTORY,
        *server.server_command(8000, 0)[cmd.index(server.HELLO_FACTORY) + 1 :],
    ]
    with server.running_server(
        env={},
        log_path=tmp_path / "hello.log",
        cpu=None,
        cwd=Path(run.ROOT),
        factory=server.HELLO_FACTORY,
        health_path=hello.PATH,
    ) as srv:
        assert httpx.get(srv.base + hello.PATH).json() == {"hello": "world"}
        script = tmp_path / "hello.lua"
        script.write_text(
            wrk.lua_script(method="GET", path=hello.PATH, headers={}, body=None, expect_status=200)
        )
        result = run.Hello(srv.base, srv.cpu_seconds, script).run(4, 1.0)
    assert result.requests > 100
    assert result.errors == 0
    cost = result.cpu_ms_per_request
    assert cost is not None
    assert 0 < cost < 50
