"""Browser test fixtures: a live server (subprocess, real uvicorn), Debian's Chromium driven by
Playwright, a phone-sized context, a local SMTP server, and axe-core checks."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.settings_env import REQUIRE_BROWSER

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the local SMTP server received."""

    messages: list[Message] = field(default_factory=list)

    def last_to(self, address: str) -> Message:
        for message in reversed(self.messages):
            if address.lower() in str(message["To"]).lower():
                return message
        raise AssertionError(f"no email to {address}")

    def body_of(self, message: Message) -> str:
        if message.is_multipart():
            part = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
            return str(part.get_content())
        return str(message.get_payload(decode=True).decode())  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
            from email import policy

            mailbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    mailbox: Mailbox
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return result.stdout


@contextmanager
def demo_clinic(
    smtp_server: tuple[int, Mailbox], *, prefix: str, sql: str | None = None
) -> Iterator[LiveServer]:
    """The real app under uvicorn in its own data directory, migrated and seeded with the demo
    clinic; `sql` (one statement) adjusts the seeded data before the server starts."""
    smtp_port, mailbox = smtp_server
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GW_")}
    env.update(
        {
            "GW_ENVIRONMENT": "test",
            "GW_DATA_DIR": str(data_dir),
            "GW_PORT": str(port),
            "GW_BASE_URL": f"http://127.0.0.1:{port}",
            "GW_SMTP_PORT": str(smtp_port),
            "GW_SCHEDULER_ENABLED": "false",
        }
    )
    server = LiveServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, mailbox=mailbox, env=env)
    server.cli("migrate")
    server.cli("demo")
    if sql:
        with sqlite3.connect(data_dir / "groundwork.db") as db:
            db.execute(sql)
    with _serving(
        [sys.executable, "-m", "app", "serve"], env=env, data_dir=data_dir, url=server.url
    ):
        yield server


@pytest.fixture(scope="module")
def live_server(smtp_server: tuple[int, Mailbox]) -> Iterator[LiveServer]:
    """The real app under uvicorn, migrated and seeded with the demo clinic: a fresh one per test
    file, so what one file's tests change (a closed account, a throttled login, a new suggestion)
    never decides whether another file's pass, whichever files share a worker."""
    with demo_clinic(smtp_server, prefix="gw-live-") as server:
        yield server


@dataclass
class ShiftedServer:
    """A live server whose clock the test moves (tests/self_care/shifted_clock_server.py)."""

    url: str
    offset_file: Path
    data_dir: Path

    def set_day(self, days: float) -> None:
        self.offset_file.write_text(str(days))

    def set_now(self, moment: datetime) -> None:
        """From now on the server's clock reads `moment`, then runs on in real time."""
        self.set_day((moment - datetime.now(UTC)).total_seconds() / 86_400)


@contextmanager
def shifted_clock_server(prefix: str) -> Iterator[ShiftedServer]:
    """A real uvicorn process, migrated and demo-seeded, with a clock the test can move."""
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GW_")}
    env.update(
        {
            "GW_ENVIRONMENT": "test",
            "GW_DATA_DIR": str(data_dir),
            "GW_PORT": str(port),
            "GW_BASE_URL": f"http://127.0.0.1:{port}",
            "GW_SCHEDULER_ENABLED": "false",
        }
    )
    for command in ("migrate", "demo"):
        subprocess.run(
            [sys.executable, "-m", "app", command],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
    server = ShiftedServer(f"http://127.0.0.1:{port}", data_dir / "clock-offset-days", data_dir)
    with _serving(
        # Run as a script, not as tests.…: importing the tests package would reset GW_DATA_DIR.
        [sys.executable, str(ROOT / "tests" / "self_care" / "shifted_clock_server.py")],
        env={**env, "PYTHONPATH": str(ROOT)},
        data_dir=data_dir,
        url=server.url,
    ):
        yield server


def wait_until_ready(
    proc: subprocess.Popen[bytes], url: str, log_path: Path, *, seconds: float, name: str
) -> None:
    """Until the server's readiness answers 200; its log in the error if it exits first or takes
    longer than `seconds` (be generous: CI machines are shared and noisy)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start:\n" + log_path.read_text())
        time.sleep(0.2)


@contextmanager
def _serving(
    command: list[str], *, env: dict[str, str], data_dir: Path, url: str
) -> Iterator[None]:
    """Run a server process until its readiness answers (generous: CI machines are shared and
    noisy); stop it and remove its data directory afterwards."""
    log = open(data_dir / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(proc, url, data_dir / "server.log", seconds=90, name=command[-1])
        yield
    finally:
        died = proc.poll()  # the server stopped before the tests were done with it
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        if died is None:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:  # keep its data and say why, for whoever reads the failures it caused
            tail = (data_dir / "server.log").read_text(errors="replace")[-4000:]
            sys.stderr.write(f"\n{command[-1]} exited early ({died}); kept {data_dir}:\n{tail}\n")


def _chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message + " and REQUIRE_BROWSER=1")
        pytest.skip(message + "; set REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def phone(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh phone-sized browser context (its own cookies) with a page open."""
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def new_phone(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Factory for extra contexts (a therapist and a client side by side)."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**{"viewport": PHONE, "base_url": live_server.url, **options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page: Any, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def assert_accessible(page: Any, name: str) -> None:
    """axe-core on the current page: 0 violations. Saves a screenshot for people to look at."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    violations = results.response.get("violations", [])
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe violations on {name}: {summary}"
