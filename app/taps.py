"""When a tap happened: the moment a phone stamps on each write it queues while offline.

A write made offline is sent later, maybe after midnight; stored on the day it arrives it would
land on the wrong day (a "done" on Monday night counted for Tuesday, Monday shown as not done).
So every queued write carries `tapped_at` (the phone's clock, with its UTC offset) and the server
judges the write by the client's local day at that moment. The moment is checked: a little ahead
of the server is a phone's clock drifting (taken as now); further ahead, or older than the window
a queued write may wait, is refused with a plain reason instead of being filed on a guessed day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app import clock
from app.errors import Unprocessable

MAX_AGE = timedelta(days=7)
"""How long a write may wait on the phone: a week offline is plausible, a month is a stale queue."""
CLOCK_SKEW = timedelta(minutes=5)
"""Phones' clocks drift; a tap this far ahead of the server is taken as made now."""


def checked(tapped_at: datetime, *, now: datetime, max_age: timedelta = MAX_AGE) -> datetime:
    """The tap's moment, if plausible; never later than now."""
    if tapped_at > now + CLOCK_SKEW:
        raise Unprocessable(
            "The time saved with this entry is in the future. Please check the phone's clock.",
            field="tapped_at",
        )
    if tapped_at < now - max_age:
        days = max_age.days
        raise Unprocessable(
            f"This entry waited on the phone for more than {days} days, so it was not saved.",
            field="tapped_at",
        )
    return min(tapped_at, now)


def local_day(tapped_at: datetime | None, *, tz: str, now: datetime | None = None) -> date:
    """The client's local day when they tapped (today when the write carries no moment)."""
    current = clock.now() if now is None else now
    moment = current if tapped_at is None else checked(tapped_at, now=current)
    return moment.astimezone(clock.zone(tz)).date()
