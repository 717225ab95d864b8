"""A local SMTP server (aiosmtpd) that records what it receives, for email tests."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Inbox:
    """Messages received, parsed; ``refuse`` makes RCPT TO answer that code for an address."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, int] = field(default_factory=dict)

    async def handle_RCPT(
        self,
        _server: SMTP,
        _session: Session,
        envelope: Envelope,
        address: str,
        _options: list[str],
    ) -> str:
        code = self.refuse.get(address)
        if code:
            return f"{code} mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@dataclass
class SlowInbox(Inbox):
    """An SMTP server that takes ``delay`` seconds to accept each message (a slow relay); counts
    SMTP sessions, so a test can see connections being reused."""

    delay: float = 1.0
    received_at: list[float] = field(default_factory=list)
    sessions: int = 0

    async def handle_EHLO(
        self,
        _server: SMTP,
        session: Session,
        _envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(self.delay)
        answer = await super().handle_DATA(server, session, envelope)
        self.received_at.append(time.time())
        return answer


@contextmanager
def slow_smtp_server(delay: float) -> Iterator[tuple[SlowInbox, int]]:
    inbox = SlowInbox(delay=delay)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
