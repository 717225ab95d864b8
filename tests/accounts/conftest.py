"""Account tests send real email to a local SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.config import get_settings
from tests.reminders.smtp_server import Inbox, smtp_server


@pytest.fixture
def inbox(monkeypatch: Any) -> Iterator[Inbox]:
    with smtp_server() as (received, port):
        monkeypatch.setattr(get_settings(), "smtp_port", port)
        yield received
