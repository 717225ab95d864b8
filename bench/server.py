"""The app under test: uvicorn with one worker pinned to core 0, and logged-in bench users.

The server runs exactly as in production (`app.main:create_app`, one worker, no access log) so
the numbers include the middleware, session lookup and CSRF checks a phone's request goes through.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import httpx
import pyotp

SESSION_COOKIE = "gw_session"
_HIDDEN_CSRF = re.compile(r"<input[^>]*name=[\"']csrf_token[\"'][^>]*>", re.IGNORECASE | re.DOTALL)
_META_CSRF = re.compile(r"<meta[^>]*name=[\"']csrf-token[\"'][^>]*>", re.IGNORECASE | re.DOTALL)
_VALUE = re.compile(r"(?:value|content)=[\"']([^\"']*)[\"']", re.IGNORECASE)


@dataclass(frozen=True)
class Login:
    """A logged-in user as wrk will present itself: the session cookie and the CSRF token."""

    cookie: str
    csrf_token: str
    landing: str

    def headers(self, origin: str, *, write: bool) -> dict[str, str]:
        """Cookie always; CSRF token, Origin and Sec-Fetch-Site as a same-origin page script sends."""
        headers = {"Cookie": f"{SESSION_COOKIE}={self.cookie}"}
        if write:
            headers |= {
                "X-CSRF-Token": self.csrf_token,
                "Origin": origin,
                "Sec-Fetch-Site": "same-origin",
            }
        return headers


@contextmanager
def speaking(base: str, login: Login, language: str) -> Iterator[None]:
    """The logged-in user reads `language` inside the block (their setting, through the API), and
    their own language again afterwards: later scenarios see the user as they were."""
    headers = login.headers(base, write=True)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        me = client.get("/api/v1/me").raise_for_status().json()
        profile = {
            "name": me["preferred_name"],
            "time_zone": me["time_zone"],
            "country": me["country"],
        }
        client.patch("/api/v1/me", json={**profile, "language": language}).raise_for_status()
        try:
            yield
        finally:
            client.patch(
                "/api/v1/me", json={**profile, "language": me["language"]}
            ).raise_for_status()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


APP_FACTORY = "app.main:create_app"
# The pure hello world (bench/hello.py): served by the same command, so only the app differs.
HELLO_FACTORY = "bench.hello:create_app"


def server_command(
    port: int, cpu: int | None, factory: str = APP_FACTORY, workers: int = 1
) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return (["taskset", "-c", str(cpu)] if cpu is not None else []) + cmd


@dataclass(frozen=True)
class Server:
    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all its threads) so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self, timeout: float = 180.0) -> float:
        """Wait until the server stops using CPU, and say how long that took: when wrk stops, up
        to 32 requests are still queued (seconds of work for a slow page), and their CPU must not
        be charged to the next measurement."""
        started = time.monotonic()
        last = self.cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(0.1)
            now = self.cpu_seconds()
            if now - last < 0.005:
                break
            last = now
        return time.monotonic() - started


@contextmanager
def running_server(
    *,
    env: Mapping[str, str],
    log_path: Path,
    cpu: int | None,
    cwd: Path,
    factory: str = APP_FACTORY,
    health_path: str = "/healthz",
    workers: int = 1,
) -> Iterator[Server]:
    """Start the app (or the hello world), wait for `health_path` to answer 200, yield it, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            server_command(port, cpu, factory, workers),
            cwd=cwd,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(base, proc, log_path, health_path)
            yield Server(base=base, pid=proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(
    base: str, proc: subprocess.Popen[bytes], log_path: Path, health_path: str = "/healthz"
) -> None:
    deadline = time.monotonic() + 60
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}); see {log_path}")
        try:
            resp = httpx.get(f"{base}{health_path}", timeout=2)
            if resp.status_code == 200:
                return
            last = f"{resp.status_code} {resp.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{health_path} did not answer 200 within 60 s ({last}); see {log_path}")


def hidden_csrf(html: str) -> str:
    """The login form's `<input type=hidden name=csrf_token value=…>`."""
    return _attr(_HIDDEN_CSRF, html, "hidden csrf_token field")


def meta_csrf(html: str) -> str:
    """The page's `<meta name="csrf-token" content="…">`, which page scripts send as X-CSRF-Token."""
    return _attr(_META_CSRF, html, "csrf-token meta tag")


def _attr(tag: re.Pattern[str], html: str, what: str) -> str:
    match = tag.search(html)
    value = _VALUE.search(match.group(0)) if match else None
    if value is None:
        raise ValueError(f"no {what} in the page")
    return unescape(value.group(1))


def login(base: str, email: str, password: str, totp_secret: str | None = None) -> Login:
    """Log in through the real forms (and the two-step code for staff), then read the CSRF token
    from the page it lands on."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        same_origin = {"Origin": base, "Sec-Fetch-Site": "same-origin"}
        form = client.get("/login")
        form.raise_for_status()
        resp = client.post(
            "/login",
            data={
                "email": email,
                "password": password,
                "next": "",
                "csrf_token": hidden_csrf(form.text),
            },
            headers=same_origin,
        )
        cookie = _session_cookie(resp)
        if resp.status_code not in (302, 303) or cookie is None:
            raise RuntimeError(f"login as {email} failed: {resp.status_code} {resp.text[:300]!r}")
        landing = resp.headers.get("location", "/")
        if landing.startswith("/login/verify"):
            if totp_secret is None:
                raise RuntimeError(f"{email} needs a two-step code and the bench has no secret")
            page = client.get(landing, cookies={SESSION_COOKIE: cookie})
            page.raise_for_status()
            resp = client.post(
                landing,
                data={"code": pyotp.TOTP(totp_secret).now(), "csrf_token": hidden_csrf(page.text)},
                headers=same_origin,
                cookies={SESSION_COOKIE: cookie},
            )
            cookie = _session_cookie(resp)
            if resp.status_code not in (302, 303) or cookie is None:
                raise RuntimeError(
                    f"two-step login as {email} failed: {resp.status_code} {resp.text[:300]!r}"
                )
            landing = resp.headers.get("location", "/")
        page = client.get(landing, cookies={SESSION_COOKIE: cookie}, follow_redirects=True)
        page.raise_for_status()
        return Login(cookie=cookie, csrf_token=meta_csrf(page.text), landing=landing)


def _session_cookie(resp: httpx.Response) -> str | None:
    # Read Set-Cookie directly: a cookie jar would hold back a Secure cookie on plain http.
    for header in resp.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name.strip() == SESSION_COOKIE:
            return rest.split(";", 1)[0]
    return None
