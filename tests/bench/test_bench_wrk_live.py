"""A generated script driven by the real wrk against a local server: what arrives is what was meant."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import wrk

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str, bytes]] = []
    status = 201

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.seen.append((self.command, self.path, self.headers.get("X-CSRF-Token", ""), body))
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()


def _script(tmp_path: Path, expect: int) -> str:
    path = tmp_path / "s.lua"
    path.write_text(
        wrk.lua_script(
            method="POST",
            path="/api/v1/items",
            headers={"X-CSRF-Token": 'tok"en', "Content-Type": "application/json"},
            body='{"id": "{{uuid}}", "note": "café"}',
            expect_status=expect,
        )
    )
    return str(path)


def test_wrk_sends_the_scripted_request_with_a_fresh_uuid_each_time(
    recorder: str, tmp_path: Path
) -> None:
    _Recorder.status = 201
    readings = iter([10.0, 10.75])  # the server's CPU seconds before and after the run
    result = wrk.run(
        url=recorder,
        script=_script(tmp_path, 201),
        connections=2,
        duration_s=1,
        cpu=None,
        server_cpu=lambda: next(readings),
    )
    assert result.server_cpu_s == pytest.approx(0.75)
    assert result.requests > 10
    assert result.errors == 0
    method, path, token, body = _Recorder.seen[0]
    assert (method, path, token) == ("POST", "/api/v1/items", 'tok"en')
    assert '"note": "café"' in body.decode()
    bodies = {b for *_, b in _Recorder.seen[:50]}
    assert len(bodies) == min(50, len(_Recorder.seen))  # every request had its own id


def test_responses_with_an_unexpected_status_count_as_errors(recorder: str, tmp_path: Path) -> None:
    _Recorder.status = 302  # e.g. a lost session redirecting to /login: fast, but wrong
    result = wrk.run(
        url=recorder, script=_script(tmp_path, 201), connections=1, duration_s=1, cpu=None
    )
    assert result.bad_status == result.requests > 0
