"""Load and fault acceptance (issue #15), against the real app under uvicorn in its own process,
on SQLite and on PostgreSQL: every request is answered (201 or 503 + Retry-After, never a 500 or
silence), also with two processes behind one address, acknowledged writes survive kill -9, huge
bodies are refused before they are read, and a database outage is a calm 503 that heals by itself.

Marked `load`: each test takes seconds of real time (`-m "not load"` leaves them out)."""

from __future__ import annotations

import select
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.databases import skip_or_fail_without_postgres
from tests.platform.load_support import (
    AppServer,
    Writer,
    migrated_database,
    run_writers,
    seed_writers,
    start_habits,
    stored_check_ins,
)
from tests.settings_env import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.load

WRITERS = 200
BACKENDS = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "postgres":
        skip_or_fail_without_postgres()
    with migrated_database(request.param) as url:
        yield url


@pytest.fixture
def server(database: str) -> Iterator[AppServer]:
    app = AppServer(database).start()
    try:
        yield app
    finally:
        app.stop()


def test_200_concurrent_writers_get_201_or_503_and_every_201_is_stored(
    database: str, server: AppServer
) -> None:
    writers = seed_writers(database, WRITERS)
    start_habits(server.base, writers)

    result = run_writers(server.base, writers, seconds=10, timeout=10)

    unanswered = [o for o in result.outcomes if o.status is None]
    assert unanswered == [], f"{len(unanswered)} requests got no answer: {unanswered[:3]}"
    assert set(result.statuses) <= {201, 503}, result.summary()
    assert all(o.retry_after for o in result.outcomes if o.status == 503)
    assert result.statuses[201] >= WRITERS, "the server must keep making progress under load"
    acknowledged = result.acknowledged()
    assert stored_check_ins(database, acknowledged) == acknowledged
    assert server.server_errors() == []


def test_acknowledged_writes_survive_kill_9_mid_run_three_times(
    database: str, server: AppServer
) -> None:
    writers = seed_writers(database, WRITERS)
    start_habits(server.base, writers)
    acknowledged: set[str] = set()
    for round_ in range(3):
        if round_:
            server.start()
        result = run_writers(
            server.base,
            writers,
            seconds=5,
            timeout=10,
            kill_after=3.0 + round_ / 2,
            on_kill=server.kill,
        )
        assert set(result.statuses) <= {201, 503, None}, result.summary()
        assert result.statuses[201] > 0, f"round {round_}: nothing acknowledged before the kill"
        acknowledged |= result.acknowledged()
    assert stored_check_ins(database, acknowledged) == acknowledged


def test_two_processes_behind_one_address_keep_the_same_guarantees(database: str) -> None:
    """The scale-out path (docs/operations.md, "Past one machine"): N stateless processes behind
    one address. The sessions were written to the database by this test, not by either process,
    and both processes accept them; 200 writers still get only 201 or 503, and every 201 is
    stored."""
    server = AppServer(database, workers=2, env_extra={"GW_LOG_LEVEL": "INFO"}).start()
    try:
        writers = seed_writers(database, WRITERS)
        start_habits(server.base, writers)
        offset = server.log_path.stat().st_size

        result = run_writers(server.base, writers, seconds=10, timeout=10)

        assert [o for o in result.outcomes if o.status is None] == []
        assert set(result.statuses) <= {201, 503}, result.summary()
        assert all(o.retry_after for o in result.outcomes if o.status == 503)
        acknowledged = result.acknowledged()
        assert stored_check_ins(database, acknowledged) == acknowledged
        # One person's session, on a fresh connection each time (either process may accept it).
        for _ in range(20):
            answer = httpx.get(
                f"{server.base}/api/v1/me", headers=writers[0].headers(server.base), timeout=10
            )
            assert answer.status_code == 200, answer.text
        answered = {e["pid"] for e in server.log_entries(offset) if e.get("status") == 201}
        assert len(answered) == 2, "both processes served the seeded sessions"
        assert server.server_errors() == []
    finally:
        server.stop()


def _post_huge(base: str, path: str, size: int, *, chunked: bool) -> tuple[int, float]:
    """Send a `size`-byte form body as fast as the server takes it; return the status and the
    seconds until the answer arrived (the body is abandoned once it does)."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n\r\n".encode()
    )
    piece = b"a" * 65536
    payload = (b"%x\r\n" % len(piece) + piece + b"\r\n") if chunked else piece
    started = time.monotonic()
    sent = 0
    answer = b""
    try:
        while sent < size and time.monotonic() - started < 10:
            readable, writable, _ = select.select([sock], [sock], [], 1)
            if readable:
                break
            if writable:
                sock.sendall(payload)
                sent += len(piece)
    except OSError:  # the server answered and closed while we were still sending
        pass
    sock.settimeout(5)
    try:
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        elapsed = time.monotonic() - started
        sock.close()
    return int(answer.split()[1]), elapsed


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_20_mb_login_form_is_refused_at_once_without_growing_memory(
    server: AppServer, chunked: bool
) -> None:
    httpx.get(server.base + "/login")  # warm: templates and routes loaded before measuring
    before = server.rss_kb()

    status, seconds = _post_huge(server.base, "/login", 20 * 1024 * 1024, chunked=chunked)

    assert status == 413
    assert seconds < 1.0
    assert server.rss_kb() - before < 4 * 1024, "the server buffered the body"
    assert httpx.get(server.base + "/healthz/live").status_code == 200


# ---- the database goes away ----------------------------------------------------------------


def _signed_in_samples(base: str, writer: Writer) -> dict[str, httpx.Response]:
    """One request to each kind of route, as the signed-in client."""
    cookie = {"Cookie": writer.headers(base)["Cookie"]}
    with httpx.Client(base_url=base, timeout=10) as client:
        return {
            "api read": client.get("/api/v1/habits", headers=cookie),
            "api write": client.post(
                f"/api/v1/habits/{writer.habit_id}/check-ins",
                json={"id": str(uuid.uuid4()), "outcome": "done"},
                headers=writer.headers(base),
            ),
            "page": client.get("/today", headers=cookie),
            "page (self-care)": client.get("/self-care", headers=cookie),
        }


def _assert_outage_answers(samples: dict[str, httpx.Response]) -> None:
    for name, resp in samples.items():
        assert resp.status_code == 503, (name, resp.status_code, resp.text[:300])
        assert int(resp.headers["retry-after"]) > 0, name
        if name.startswith("api"):
            assert resp.headers["content-type"] == "application/problem+json", name
            assert resp.json()["type"] == "/problems/unavailable"
        else:
            assert "back shortly" in resp.text, name
            assert 'href="/crisis"' in resp.text, name


def _all_normal(samples: dict[str, httpx.Response]) -> bool:
    expected = {"api read": 200, "api write": 201, "page": 200, "page (self-care)": 200}
    return all(samples[name].status_code == code for name, code in expected.items())


@pytest.mark.postgres
def test_postgresql_refusing_connections_is_a_calm_503_everywhere_and_heals_within_2_s() -> None:
    skip_or_fail_without_postgres()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with migrated_database("postgres") as url:
        name = url.rsplit("/", 1)[1]
        writer = seed_writers(url, 1)[0]
        server = AppServer(url).start()
        try:
            start_habits(server.base, [writer])
            assert _all_normal(_signed_in_samples(server.base, writer))
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                    ),
                    {"n": name},
                )
            # Several rounds: the first finds the pool's dead connections, later ones are refused.
            for _ in range(3):
                _assert_outage_answers(_signed_in_samples(server.base, writer))
            cookie = {"Cookie": writer.headers(server.base)["Cookie"]}
            assert httpx.get(server.base + "/healthz").status_code == 503
            assert httpx.get(server.base + "/healthz/live", headers=cookie).status_code == 200
            crisis = httpx.get(server.base + "/crisis", headers=cookie)
            assert crisis.status_code == 200, "the crisis lines stay reachable in an outage"

            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            back = time.monotonic()
            while not _all_normal(_signed_in_samples(server.base, writer)):
                assert time.monotonic() - back < 2.0, "not back to normal within 2 s"
                time.sleep(0.1)
            assert httpx.get(server.base + "/healthz").status_code == 200
            assert server.server_errors() == []
        finally:
            server.stop()
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()


def test_sqlite_volume_missing_is_a_calm_503_everywhere_and_heals_within_2_s(
    tmp_path: Path,
) -> None:
    """The database's volume is not there (not mounted yet, or gone): every connection fails."""
    with migrated_database("sqlite") as real_url:
        real_file = Path(real_url.removeprefix("sqlite:///"))
        volume = tmp_path / "volume"
        volume.symlink_to(real_file.parent)
        url = f"sqlite:///{volume / real_file.name}"
        writer = seed_writers(url, 1)[0]
        writer.habit_id = str(uuid.uuid4())  # its habit is started once the volume is back
        volume.unlink()
        server = AppServer(url).start(wait_for="/healthz/live")
        try:
            for _ in range(3):
                _assert_outage_answers(_signed_in_samples(server.base, writer))
            cookie = {"Cookie": writer.headers(server.base)["Cookie"]}
            assert httpx.get(server.base + "/healthz").status_code == 503
            assert httpx.get(server.base + "/healthz/live", headers=cookie).status_code == 200
            assert httpx.get(server.base + "/crisis", headers=cookie).status_code == 200

            volume.symlink_to(real_file.parent)
            back = time.monotonic()
            start_habits(server.base, [writer])
            while not _all_normal(_signed_in_samples(server.base, writer)):
                assert time.monotonic() - back < 2.0, "not back to normal within 2 s"
                time.sleep(0.1)
            assert httpx.get(server.base + "/healthz").status_code == 200
            assert not (errors := server.server_errors()), "\n\n".join(errors)
        finally:
            server.stop()
