"""Pure planning of reminder occurrences: local wall times -> UTC instants.

Why local wall time is the anchor: a client who asked for 08:00 wants 08:00 on the clock on their
wall, in summer and in winter. Each occurrence is therefore identified by its *local* day and time
(``occurrence_key``); the UTC instant is derived from it and re-derived when the client's time zone
changes, so re-planning never duplicates an occurrence.

Daylight-saving rules (documented in docs/reminders.md):
- a local time that does not exist (spring forward gap) fires at the first valid minute after the
  gap (01:30 on the London spring-forward day fires at 02:00 BST);
- a local time that happens twice (fall back) fires once, at its first (summer-time) instant.

Quiet hours: an occurrence inside the client's quiet hours is *deferred* to the end of quiet hours
when that end falls on the same local day (a 06:30 reminder with quiet hours until 07:30 arrives at
07:30); otherwise (late-evening quiet hours) it is *held*: not pushed or emailed, but shown in the
in-app inbox, so nobody is woken up and nobody gets yesterday's reminder the next morning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

# An occurrence this late (after downtime) is recorded as missed instead of sent: never a flood.
DEFAULT_GRACE = timedelta(minutes=30)
# Retry delays after a failed delivery attempt; the last attempt is len(RETRY_DELAYS) + 1.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=8),
)
SNOOZE_CHOICES: dict[str, timedelta] = {"10m": timedelta(minutes=10), "1h": timedelta(hours=1)}
_MAX_GAP_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One planned reminder: its local wall day/time and the UTC instant it is due."""

    local_day: date
    local_time: time
    due_at: datetime

    @property
    def key(self) -> str:
        return occurrence_key(self.local_day, self.local_time)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily local window (may wrap past midnight) in which nothing is pushed or emailed."""

    start: time
    end: time

    def contains(self, wall: time) -> bool:
        wall = wall.replace(second=0, microsecond=0, tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


class QuietDecision(StrEnum):
    SEND = "send"
    DEFER = "defer"
    HOLD = "hold"


def occurrence_key(local_day: date, local_time: time) -> str:
    """The stable identity of an occurrence within its schedule (unique key in the outbox)."""
    return f"{local_day.isoformat()}T{local_time.strftime('%H:%M')}"


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back == naive


def local_to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time, resolving DST gaps forward and folds to the first."""
    naive = datetime.combine(day, wall.replace(second=0, microsecond=0, tzinfo=None))
    candidate = naive
    for _ in range(_MAX_GAP_MINUTES):
        if _exists(candidate, zone):
            # fold=0 picks the first of two instants when the wall time repeats (fall back).
            return candidate.replace(tzinfo=zone, fold=0).astimezone(UTC)
        candidate += timedelta(minutes=1)
    raise ValueError(f"no valid local time after {naive} in {zone.key}")


def _days(
    rule_text: str | None, start_on: date, first: date, last: date, until_on: date | None
) -> Iterable[date]:
    """Local days in [first, last] selected by the RRULE (every day when there is none)."""
    lo = max(first, start_on)
    hi = min(last, until_on) if until_on else last
    if hi < lo:
        return []
    if not rule_text:
        return (lo + timedelta(days=n) for n in range((hi - lo).days + 1))
    rule = parse_rrule(rule_text, start_on)
    found = rule.between(datetime.combine(lo, time.min), datetime.combine(hi, time.max), inc=True)
    return sorted({d.date() for d in found})


def parse_rrule(rule_text: str, start_on: date) -> rrule:
    """Parse an RFC 5545 RRULE (with or without the ``RRULE:`` prefix) anchored at local midnight.

    The rule selects days; the times of day come from the schedule's ``local_times``.
    Raises ValueError for anything dateutil cannot read, so sources can reject it at their edge.
    """
    text = rule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper() or "\n" in text:
        raise ValueError("give the recurrence as a single RRULE without DTSTART")
    parsed = rrulestr(text, dtstart=datetime.combine(start_on, time.min))
    if not isinstance(parsed, rrule):
        raise ValueError("unsupported recurrence")
    return parsed


def expand(
    *,
    local_times: Sequence[time],
    rule_text: str | None,
    zone: ZoneInfo,
    start_on: date,
    window_start: datetime,
    window_end: datetime,
    until_on: date | None = None,
) -> list[Occurrence]:
    """Occurrences due in [window_start, window_end) (UTC), ordered by due time.

    Days are enumerated in local time one day either side of the window, so a window edge never
    loses an occurrence whose local day differs from its UTC day.
    """
    first = window_start.astimezone(zone).date() - timedelta(days=1)
    last = window_end.astimezone(zone).date() + timedelta(days=1)
    times = sorted({t.replace(second=0, microsecond=0, tzinfo=None) for t in local_times})
    out: list[Occurrence] = []
    for day in _days(rule_text, start_on, first, last, until_on):
        for wall in times:
            due = local_to_utc(day, wall, zone)
            if window_start <= due < window_end:
                out.append(Occurrence(local_day=day, local_time=wall, due_at=due))
    out.sort(key=lambda o: o.due_at)
    return out


def quiet_decision(due_at: datetime, zone: ZoneInfo, quiet: QuietHours | None) -> QuietDecision:
    """Whether a reminder due at ``due_at`` may go out, is deferred, or is held for the inbox."""
    if quiet is None:
        return QuietDecision.SEND
    local = due_at.astimezone(zone)
    if not quiet.contains(local.time()):
        return QuietDecision.SEND
    # Quiet hours ending later on this same local day: defer to their end.
    if quiet.end > local.time().replace(tzinfo=None):
        return QuietDecision.DEFER
    return QuietDecision.HOLD


def quiet_end_utc(due_at: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """The UTC instant quiet hours end on the local day of ``due_at`` (for DEFER decisions)."""
    local_day = due_at.astimezone(zone).date()
    return local_to_utc(local_day, quiet.end, zone)


def is_missed(due_at: datetime, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """True when an occurrence is more than ``grace`` late: it is shown as missed, not sent."""
    return now - due_at > grace


def retry_at(attempts: int, failed_at: datetime) -> datetime | None:
    """When to retry after the ``attempts``-th failed attempt, or None when we stop trying."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    return failed_at + RETRY_DELAYS[attempts - 1]


def snooze_until(choice: str, now: datetime) -> datetime:
    """The new due instant for a snooze choice ('10m' or '1h'); ValueError for anything else."""
    try:
        return now + SNOOZE_CHOICES[choice]
    except KeyError:
        raise ValueError(f"unknown snooze choice {choice!r}") from None


def local_day_of(instant: datetime, zone: ZoneInfo) -> date:
    """The client's local calendar day at ``instant`` (what "only if not done" is checked for)."""
    return instant.astimezone(zone).date()
