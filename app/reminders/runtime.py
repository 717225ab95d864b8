"""The process-wide channels (VAPID keys, one push sender, SMTP settings), built once from settings."""

from __future__ import annotations

import os
import socket
import threading
from functools import lru_cache
from pathlib import Path

from app.config import get_settings
from app.reminders.dispatcher import Channels
from app.reminders.email import SmtpSettings
from app.reminders.webpush import VapidKeys, WebPushSender

_lock = threading.Lock()
_channels: Channels | None = None


def worker_id() -> str:
    """Names this process in claims (host:pid), so a lease shows who holds a row."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def secret() -> bytes:
    """Signs notification-action and unsubscribe tokens (the app's secret key)."""
    return get_settings().secret_key.encode()


def vapid_keys() -> VapidKeys:
    """The server's VAPID key pair, generated into the data directory on first run."""
    path = get_settings().vapid_private_key_file
    assert path is not None  # filled in by Settings
    return _keys_at(str(path))


@lru_cache(maxsize=4)
def _keys_at(path: str) -> VapidKeys:
    return VapidKeys.load_or_create(Path(path))


def channels() -> Channels:
    global _channels
    with _lock:
        if _channels is None:
            settings = get_settings()
            _channels = Channels(
                secret=secret(),
                base_url=settings.base_url.rstrip("/"),
                push=WebPushSender(vapid_keys(), settings.vapid_subject),
                smtp=SmtpSettings(
                    host=settings.smtp_host,
                    port=settings.smtp_port,
                    from_addr=settings.mail_from,
                    username=settings.smtp_username or None,
                    password=settings.smtp_password or None,
                    starttls=settings.smtp_starttls,
                    timeout=settings.smtp_timeout_seconds,
                    connections=settings.reminder_email_connections,
                ),
            )
        return _channels


def set_channels(value: Channels | None) -> None:
    """Swap the channels (tests point them at the local push service and SMTP server)."""
    global _channels
    with _lock:
        if _channels is not None and value is not _channels:
            _channels.close()
        _channels = value
