"""Login throttling per account and per address: growing waits, never a permanent lockout.

Keys are hashed account names, so the answer is the same whether or not the account exists.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import LoginFailure
from app.accounts.security import token_hash
from app.config import get_settings
from app.errors import TooManyRequests

MAX_WAIT = timedelta(minutes=15)


def account_key(email: str) -> str:
    return token_hash("account:" + email.strip().lower())


def address_key(ip: str) -> str:
    return token_hash("address:" + ip)


def _recent(session: Session, key: str, since: datetime) -> tuple[int, datetime | None]:
    count, last = session.exec(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.key_hash == key, LoginFailure.at >= since
        )
    ).one()
    return int(count), last


def wait_needed(session: Session, *, email: str, ip: str) -> timedelta:
    """How long this person must wait before the next try (zero when they may try now)."""
    settings = get_settings()
    now = clock.now()
    since = now - timedelta(minutes=settings.login_window_minutes)
    failures, last = _recent(session, account_key(email), since)
    wait = timedelta(0)
    over = failures - settings.login_account_free_failures
    if over >= 0 and last is not None:
        # 30 s after the 5th failure, doubling after each further one, capped at 15 minutes.
        delay = min(timedelta(seconds=30 * 2**over), MAX_WAIT)
        wait = max(wait, last + delay - now)
    by_address, last_addr = _recent(session, address_key(ip), since)
    if by_address >= settings.login_address_max_failures and last_addr is not None:
        wait = max(wait, last_addr + MAX_WAIT - now)
    return max(wait, timedelta(0))


def check(session: Session, *, email: str, ip: str) -> None:
    wait = wait_needed(session, email=email, ip=ip)
    if wait > timedelta(0):
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        raise TooManyRequests(
            f"Too many tries. Please wait {minutes} {unit} and try again, "
            "or reset your password by email.",
            headers={"Retry-After": str(int(wait.total_seconds()) + 1)},
        )


def record_failure(session: Session, *, email: str, ip: str) -> None:
    now = clock.now()
    session.add(LoginFailure(key_hash=account_key(email), at=now))
    session.add(LoginFailure(key_hash=address_key(ip), at=now))


def clear_account(session: Session, *, email: str) -> None:
    session.execute(delete(LoginFailure).where(col(LoginFailure.key_hash) == account_key(email)))


def prune(session: Session) -> None:
    cutoff = clock.now() - timedelta(minutes=get_settings().login_window_minutes)
    session.execute(delete(LoginFailure).where(col(LoginFailure.at) < cutoff))
