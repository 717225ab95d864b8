"""Per-habit strength summaries, kept current on write (`habit_summary`).

Strength is a moving average over the whole history, so recomputing it on every read walked a
year of check-ins. Instead every write that can change it (a check-in, a level change, a pause or
resume) folds the *settled* days into the stored state in the same transaction, and a read only
steps over the days since. A day is settled once no check-in can reach it any more: check-ins
go back to yesterday, so everything up to the day before yesterday. Writes that reach further
back (a back-dated pause, a client whose time zone moved) rebuild the summary from scratch.

The fold uses the very arithmetic `strength.strength_series` uses, in the same order, so the
stored state equals a from-scratch recomputation exactly (tests/self_care/test_summary.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import clock, prebuilt
from app.accounts.models import User
from app.self_care import history
from app.self_care.models import Habit, HabitSummary
from app.self_care.strength import StrengthPoint, StrengthState, strength_series

SETTLE_DAYS = 2  # check-ins reach today and yesterday; the day before yesterday is settled
TAIL_DAYS = 15  # daily scores kept before `settled_on`: enough for "a week ago" on any later day

# Built once (app/prebuilt.py): every check-in asks whether its habit's summary is current, and it
# almost always is, so the row is loaded as an ORM object only when there is something to fold.
_SETTLED_ON = core_select(col(HabitSummary.settled_on)).where(
    col(HabitSummary.habit_id) == bindparam("habit_id")
)
SETTLED_ON = _SETTLED_ON.scalar_subquery()
"""The summary's `settled_on` as a column of another prebuilt statement on the same `habit_id`
(the check-in reads it with the level's target: one statement fewer), then given to `up_to_date`."""


@dataclass(frozen=True)
class Stored:
    """A summary as the read path uses it: continue from `state` on the day after `settled_on`."""

    settled_on: date
    state: StrengthState
    tail: list[StrengthPoint]


def settle_day(today: date) -> date:
    return today - timedelta(days=SETTLE_DAYS)


def first_day(habit: Habit, today: date) -> date:
    """Where a from-scratch series starts: the habit's start, at most a bounded history back."""
    return max(habit.started_on, today - timedelta(days=history.HISTORY_DAYS))


class SummaryColumns(Protocol):
    """What `stored` reads: a `HabitSummary` or a row of those columns (the habit page's read)."""

    @property
    def settled_on(self) -> date | None: ...
    @property
    def score(self) -> float: ...
    @property
    def recent(self) -> list[float]: ...
    @property
    def tail(self) -> list[list[Any]]: ...  # [ISO day, score] pairs


def stored(row: SummaryColumns | None) -> Stored | None:
    if row is None or row.settled_on is None:
        return None
    tail = [StrengthPoint(date.fromisoformat(on), score) for on, score in row.tail]
    return Stored(row.settled_on, StrengthState(row.score, tuple(row.recent)), tail)


def trim(points: list[StrengthPoint], settled: date) -> list[StrengthPoint]:
    """Points from TAIL_DAYS before `settled`, plus the last one before that (the value in force)."""
    cut = settled - timedelta(days=TAIL_DAYS)
    keep = [p for p in points if p.on >= cut]
    before = [p for p in points if p.on < cut]
    return before[-1:] + keep


def _untouched(settle: date, changed_from: date | None) -> bool:
    """Whether the write left every settled day as it was (else the summary is rebuilt)."""
    return changed_from is None or changed_from > settle


def up_to_date(settled_on: date | None, today: date, changed_from: date | None = None) -> bool:
    """Whether a summary settled on `settled_on` needs nothing after a write from `changed_from`:
    `refresh`'s first test, for a caller that has read `settled_on` already (`SETTLED_ON`)."""
    settle = settle_day(today)
    return _untouched(settle, changed_from) and settled_on == settle


def refresh(
    *, session: Session, habit: Habit, today: date, changed_from: date | None = None
) -> None:
    """Bring the habit's summary up to the settled day; call before the write's commit.

    `changed_from` is the earliest day the write touched: a day already folded in means the
    stored state is no longer right, so the summary is rebuilt from the habit's start.
    """
    settle = settle_day(today)
    # Most writes find it up to date; that is decided without loading the row (and not asked
    # when `changed_from` reaches a settled day: then it is rebuilt whatever is stored).
    if _untouched(settle, changed_from) and (
        prebuilt.scalar(session, _SETTLED_ON, habit_id=habit.id) == settle
    ):
        return
    row = session.get(HabitSummary, habit.id)
    if row is None:
        row = HabitSummary(habit_id=habit.id, client_id=habit.client_id)
    current = stored(row)
    if current is not None and changed_from is not None and changed_from <= current.settled_on:
        current = None
    if current is not None and current.settled_on > settle:
        current = None  # the client's today moved back (a new time zone): start again
    begin = first_day(habit, settle) if current is None else current.settled_on + timedelta(days=1)
    if current is not None and begin > settle:
        return  # already up to date
    hist = history.load(session, habit, settle, since=begin)
    points = strength_series(
        target_on=hist.target_on,
        values=hist.values(),
        start=begin,
        today=settle,
        end=settle,
        paused=hist.paused,
        state=current.state if current else None,
    )
    state = points[-1].state if points else (current.state if current else StrengthState())
    tail = trim((current.tail if current else []) + points, settle)
    row.settled_on = settle if begin <= settle else None
    row.score = state.score
    row.recent = list(state.recent)
    row.tail = [[p.on.isoformat(), p.score] for p in tail]
    row.updated_at = clock.now()
    session.add(row)


def rebuild_all(session: Session) -> int:
    """Backfill: a fresh summary for every habit (migration `self_care_0002`, demo, bench data)."""
    zones = dict(session.exec(select(User.id, User.time_zone)).all())
    count = 0
    for habit in session.exec(select(Habit)).all():
        today = clock.local_today(zones.get(habit.client_id) or "UTC")
        refresh(session=session, habit=habit, today=today, changed_from=date.min)
        count += 1
    session.flush()
    return count
