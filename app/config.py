"""Settings from the environment (prefix GW_), with secrets generated into ./data on first run."""

from __future__ import annotations

import ipaddress
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev", "development"}


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and a clinic's server."""

    model_config = SettingsConfigDict(env_prefix="GW_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: str = ""
    # After changing GW_SECRET_KEY, list the old one here until `python -m app rotate-totp-key` has
    # re-sealed every two-step secret (docs/operations.md, "Rotating the secret key").
    previous_secret_keys: list[str] = Field(default_factory=list)
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000

    # Clients keep their phone signed in for weeks (repeated logouts are a top complaint);
    # staff sessions are short because they open many people's records.
    client_session_days: int = 60
    staff_session_hours: int = 12

    login_window_minutes: int = 15
    login_account_free_failures: int = 5
    login_address_max_failures: int = 50
    # State-changing requests per signed-in person, per process: far above human pace (a phone
    # replaying a week offline sends a few dozen at once), far below a script's flood. 0 turns it off.
    write_rate_per_minute: float = 60
    write_burst: int = 120

    # Therapists and admins open many people's records: in production they must use two-step login.
    require_staff_totp: bool | None = None

    invite_link_days: int = 7
    reset_link_minutes: int = 60

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Groundwork <no-reply@groundwork.local>"
    # Per SMTP command: a stuck relay fails one reminder email, never a whole batch.
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Reminder emails go out over this many reused SMTP connections per process, in parallel.
    reminder_email_connections: int = Field(default=4, ge=1, le=32)

    vapid_private_key_file: Path | None = None
    vapid_subject: str = "mailto:support@groundwork.local"

    scheduler_enabled: bool = True

    # Capacity (docs/architecture.md, "Capacity and overload"). Requests that use the database are
    # admitted this many at a time per process; the thread pool and the PostgreSQL pool are sized
    # from it, so an admitted request always gets its next thread and its connection. Eight keep
    # one CPU-bound Python process busy (database waits are short); more only share the core and
    # lengthen every answer (docs/benchmarks.md, "Concurrency curve": p99 at 512 connections).
    max_active_requests: int = Field(default=8, ge=1, le=200)
    # Beyond that, a request queues (FIFO, among at most `admission_queue` others) only if it can
    # be answered within `admission_target_seconds` (queue + service, both measured online) and
    # waits at most `admission_wait_seconds`; otherwise it gets 503 with Retry-After at once.
    admission_target_seconds: float = Field(default=0.8, gt=0, le=30)
    admission_wait_seconds: float = Field(default=0.5, gt=0, le=30)
    admission_queue: int = Field(default=256, ge=0)
    # A request shed at once is answered only after this long (it holds no thread, connection or
    # place meanwhile): a client that retries without honouring Retry-After, as load generators and
    # broken clients do, then costs a cheap 503 per second per connection instead of a busy loop.
    admission_shed_hold_seconds: float = Field(default=1.0, ge=0, le=10)
    # Request bodies (forms, JSON); routes taking uploads declare their own limit.
    body_limit_bytes: int = Field(default=64 * 1024, ge=1024)
    log_level: str = "INFO"
    trusted_proxies: list[str] = Field(default_factory=list)

    @field_validator("smtp_host")
    @classmethod
    def _smtp_host(cls, value: str) -> str:
        """Checked at start-up: a bad host would only show as every email failing later."""
        host = value.strip()
        if (
            not host
            or any(c.isspace() or c in "/@" for c in host)
            or ":" in host
            and not _is_ipv6(host)
        ):
            raise ValueError(
                "GW_SMTP_HOST must be a host name or IP address (no scheme, port or spaces; "
                f"the port is GW_SMTP_PORT), e.g. smtp.example.org (got {value!r})"
            )
        return host

    @field_validator("vapid_subject")
    @classmethod
    def _vapid_subject(cls, value: str) -> str:
        """Push services refuse a VAPID subject that is not a contact URL (RFC 8292 section 2.1);
        checked at start-up, not when the first reminder is sent."""
        subject = value.strip()
        parts = urlsplit(subject)
        if parts.scheme == "mailto" and "@" in parts.path and " " not in subject:
            return subject
        if parts.scheme == "https" and parts.hostname:
            return subject
        raise ValueError(
            "GW_VAPID_SUBJECT must be a mailto: address or an https: URL, "
            f"e.g. mailto:support@your-clinic.example (got {value!r})"
        )

    @model_validator(mode="after")
    def _fill_and_guard(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'groundwork.db'}"
        if self.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
            if self.environment == "production" and self.secret_key:
                raise ValueError("GW_SECRET_KEY is a placeholder: set a long random value")
            self.secret_key = _persisted_secret(self.data_dir / "secret_key")
        if self.require_staff_totp is None:
            self.require_staff_totp = self.environment == "production"
        if self.vapid_private_key_file is None:
            self.vapid_private_key_file = self.data_dir / "vapid_private.pem"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


def _is_ipv6(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def _persisted_secret(path: Path) -> str:
    """Generate a secret once and keep it, so sessions and links survive a restart."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
