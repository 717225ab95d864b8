"""Throttling: how often someone may try something, with growing waits and never a permanent lockout.

One module for every limit in the app:

- **Guesses and sign-ups** (logins, two-step codes, invite and link codes, sign-ups, reset requests)
  are rows in `login_failure` keyed by a keyed hash of what they are about (an account name, an
  address, a whole code space), so several processes on one database throttle together and the
  answer is the same whether or not an account exists. A `Limit` says how many events a window
  allows free and what happens after: a wait that doubles with each further event (`first_wait`),
  or a hard ceiling per window (`first_wait=None`) where a bound must be provable.
- **Writes per person** (`WriteBuckets`) are a token bucket held in each process's memory: checking
  it costs no database round trip on the hottest path (check-ins) and cannot wait on anything. With
  N processes a person may write N times the rate, still far below any flood that matters.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.support import LazyProxy
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import LoginFailure
from app.accounts.security import token_hash
from app.config import get_settings
from app.errors import Message, TooManyRequests
from app.i18n import N_, ngettext

MAX_WAIT = timedelta(minutes=15)
# Rows older than this are pruned: longer than every window below.
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """How many events of one kind a key may have in `window` before it must wait."""

    scope: str
    window: timedelta
    free: int
    # After `free` events, wait this long after the last one, doubling with each further event
    # (capped at `max_wait`). None: a ceiling instead; the next event waits until the oldest of
    # the last `free` leaves the window, so no window ever holds more than `free` events.
    first_wait: timedelta | None = None
    max_wait: timedelta = MAX_WAIT

    def key(self, subject: str) -> str:
        return token_hash(f"{self.scope}:{subject}")


def _login_account() -> Limit:
    s = get_settings()
    window = timedelta(minutes=s.login_window_minutes)
    # 30 s after the 5th failure, doubling after each further one, capped at 15 minutes.
    return Limit("account", window, s.login_account_free_failures, timedelta(seconds=30))


def _login_address() -> Limit:
    s = get_settings()
    window = timedelta(minutes=s.login_window_minutes)
    return Limit("address", window, s.login_address_max_failures, MAX_WAIT)


# Invite and link codes (read out over the phone). Per address: ten wrong codes an hour, then
# growing waits. Across the whole code space, whoever is guessing from however many addresses:
# at most CODE_SPACE_PER_HOUR wrong codes an hour. docs/operations.md shows why that and
# security.CODE_LENGTH make a year of guessing a < 1e-6 chance per live code.
CODE_SPACE_PER_HOUR = 300
CODE_ADDRESS = Limit("code-address", timedelta(hours=1), 10, timedelta(seconds=30))
CODE_SPACE = Limit("code-space", timedelta(hours=1), CODE_SPACE_PER_HOUR)
# Sign-ups: a clinic's group session on one network signs up together; a script does not.
SIGNUP_ADDRESS = Limit("signup-address", timedelta(hours=1), 10, timedelta(minutes=1))
# "Someone tried to sign up with your email": at most one such email an hour per account.
SIGNUP_NOTICE = Limit("signup-notice", timedelta(hours=1), 1)

Check = tuple[Limit, str]


def login_checks(*, email: str, ip: str) -> list[Check]:
    return [(_login_account(), email.strip().lower()), (_login_address(), ip)]


def code_checks(*, ip: str) -> list[Check]:
    return [(CODE_ADDRESS, ip), (CODE_SPACE, "")]


def _wait_for(session: Session, limit: Limit, subject: str, now: datetime) -> timedelta:
    since = now - limit.window
    key = limit.key(subject)
    if limit.first_wait is None:
        # The `free`-th newest event in the window: once it leaves, there is room again.
        oldest = session.exec(
            select(LoginFailure.at)
            .where(LoginFailure.key_hash == key, LoginFailure.at >= since)
            .order_by(col(LoginFailure.at).desc())
            .offset(limit.free - 1)
            .limit(1)
        ).first()
        return oldest + limit.window - now if oldest is not None else timedelta(0)
    count, last = session.exec(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.key_hash == key, LoginFailure.at >= since
        )
    ).one()
    over = int(count) - limit.free
    if over < 0 or last is None:
        return timedelta(0)
    delay = min(limit.first_wait * 2 ** min(over, 20), limit.max_wait)
    wait: timedelta = last + delay - now
    return wait


def wait_needed(session: Session, checks: Iterable[Check]) -> timedelta:
    """How long before the next try is allowed (zero when it may happen now)."""
    now = clock.now()
    waits = [_wait_for(session, limit, subject, now) for limit, subject in checks]
    return max([timedelta(0), *waits])


def _minutes(minutes: int) -> str:
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


def wait_words(wait: timedelta) -> LazyProxy:
    """ "3 minutes", worded in the language of whoever reads it (evaluated when shown)."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return LazyProxy(_minutes, minutes, enable_cache=False)


def refusal(wait: timedelta, message: str) -> TooManyRequests:
    return TooManyRequests(
        Message(message, wait=wait_words(wait)),
        headers={"Retry-After": str(math.ceil(wait.total_seconds()))},
    )


def require(session: Session, checks: Iterable[Check], message: str) -> None:
    """Raise TooManyRequests (with Retry-After) when any check says wait. `message` is a catalog
    message (`N_`) whose `%(wait)s` becomes "3 minutes" in the reader's language."""
    wait = wait_needed(session, checks)
    if wait > timedelta(0):
        raise refusal(wait, message)


def record(session: Session, checks: Iterable[Check]) -> None:
    """Count one event against each check, in the caller's transaction."""
    now = clock.now()
    session.add_all(LoginFailure(key_hash=limit.key(subject), at=now) for limit, subject in checks)


# Logins keep their own small vocabulary: auth.py reads best with it.
LOGIN_MESSAGE = N_(
    "Too many tries. Please wait %(wait)s and try again, or reset your password by email."
)


def check(session: Session, *, email: str, ip: str) -> None:
    require(session, login_checks(email=email, ip=ip), LOGIN_MESSAGE)


def record_failure(session: Session, *, email: str, ip: str) -> None:
    record(session, login_checks(email=email, ip=ip))


def clear_account(session: Session, *, email: str) -> None:
    key = _login_account().key(email.strip().lower())
    session.execute(delete(LoginFailure).where(col(LoginFailure.key_hash) == key))


def prune(session: Session) -> int:
    """Forget events older than every window; returns how many. Commits."""
    result = session.execute(delete(LoginFailure).where(col(LoginFailure.at) < clock.now() - KEEP))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


class WriteBuckets:
    """A token bucket per person for state-changing requests, in this process's memory.

    `take` never blocks on anything but a dict lookup under a lock held for microseconds, so the
    limit can never itself make a request hang. Buckets idle long enough to be full are dropped,
    so memory is bounded by the people writing in the last few minutes."""

    def __init__(self, *, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._lock = threading.Lock()
        self._buckets: dict[uuid.UUID, tuple[float, float]] = {}
        self._next_sweep = 0.0

    def take(self, who: uuid.UUID, now: float | None = None) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until one is available."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, at = self._buckets.get(who, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[who] = (tokens - 1.0, now)
                self._sweep(now)
                return 0.0
            self._buckets[who] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def __len__(self) -> int:
        return len(self._buckets)

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        full_after = self.burst / self.rate
        self._buckets = {
            k: (t, at) for k, (t, at) in self._buckets.items() if now - at < full_after
        }
        self._next_sweep = now + 60.0


_writes: WriteBuckets | None = None


def write_buckets() -> WriteBuckets:
    global _writes
    if _writes is None:
        s = get_settings()
        _writes = WriteBuckets(per_minute=s.write_rate_per_minute, burst=s.write_burst)
    return _writes


def reset_write_buckets() -> None:
    """Forget every bucket (settings changed; tests)."""
    global _writes
    _writes = None


WRITE_MESSAGE = N_(
    "That is a lot of changes in a short time, so this one was not saved. "
    "Please wait a moment and try again."
)


def limit_writes(who: uuid.UUID) -> None:
    """Raise TooManyRequests with Retry-After when this person writes faster than any human does."""
    wait = write_buckets().take(who)
    if wait > 0:
        raise TooManyRequests(WRITE_MESSAGE, headers={"Retry-After": str(math.ceil(wait))})
