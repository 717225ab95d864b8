"""The Today section: each active habit with one-tap check-in, yesterday's back-fill, mood log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Exists, bindparam, exists, select
from sqlmodel import Session, and_, col, func, or_

from app import clock, prebuilt
from app.accounts.models import User
from app.i18n import N_, format_number, gettext
from app.sections import TodaySection, local_day, render_id
from app.self_care import history, words
from app.self_care.models import Habit, HabitCheckIn, HabitLevel, HabitPause, MoodLog
from app.self_care.targets import (
    CheckIn,
    Outcome,
    Target,
    TargetKind,
    amount_total,
    day_values,
    unit_words,
)


@dataclass(frozen=True)
class TodayHabit:
    id: uuid.UUID
    title: str
    step: str
    target: Target
    value: float
    amount: float
    paused: bool
    needs_yesterday: bool
    form_ids: tuple[str, ...]  # fresh ids, one per button: a replayed tap stays one check-in
    last_today: tuple[str, str] | None = None  # (id, what was tapped) of a check-in made today
    source: str | None = None
    number: int = 1

    # Read while the page renders, so in the reader's language.
    @property
    def shown_title(self) -> str:
        return words.habit_title(self.source, self.title)

    @property
    def authored(self) -> bool:
        return not words.is_builtin(self.source, self.title)

    @property
    def shown_step(self) -> str:
        return words.habit_level(self.source, self.number, self.step)

    @property
    def unit_words(self) -> str:
        return unit_words(self.target.unit)

    @property
    def undo_words(self) -> str:
        return gettext(self.last_today[1]) if self.last_today else ""

    @property
    def counted(self) -> bool:
        return self.target.kind is TargetKind.AMOUNT

    @property
    def state(self) -> str:
        if self.paused:
            return gettext("Paused")
        if self.value >= 1:
            return gettext("Done today")
        if self.value > 0:
            if not self.counted:
                return gettext("Partly done")
            return gettext(
                "%(done)s of %(total)s %(unit)s",
                done=format_number(self.amount),
                total=format_number(self.target.amount or 0),
                unit=unit_words(self.target.unit),
            )
        return ""


_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")


def _paused_on(day: BindParameter[Any], *, any_habit: bool) -> Exists:
    """A pause covering `day`: one for all habits, or (with any_habit) one for the row's habit."""
    habit: ColumnElement[bool] = col(HabitPause.habit_id).is_(None)
    if any_habit:
        habit = or_(habit, col(HabitPause.habit_id) == Habit.id)
    return exists().where(
        col(HabitPause.client_id) == _CLIENT,
        habit,
        col(HabitPause.starts_on) <= day,
        or_(col(HabitPause.ends_on).is_(None), col(HabitPause.ends_on) >= day),
    )


def _latest_made_today(column: Any) -> Any:
    """A column of the habit's latest check-in made since the start of the client's day: the one
    Today offers to undo (service.undo_check_in). Read from the (habit_id, created_at) index."""
    return (
        select(column)
        .where(
            col(HabitCheckIn.habit_id) == Habit.id,
            col(HabitCheckIn.created_at) >= bindparam("day_start"),
        )
        .order_by(col(HabitCheckIn.created_at).desc())
        .limit(1)
        .scalar_subquery()
    )


# Built once (see app/prebuilt.py): every per-request value is a bound parameter.
_HABITS = (
    select(
        col(Habit.id),
        col(Habit.title),
        col(Habit.source),
        col(Habit.level),
        col(Habit.started_on),
        col(HabitLevel.description),
        *history.TARGET_COLUMNS,
        _paused_on(bindparam("day"), any_habit=True).label("paused_today"),
        _paused_on(bindparam("yesterday"), any_habit=True).label("paused_yesterday"),
        _latest_made_today(col(HabitCheckIn.id)).label("undo_id"),
        _latest_made_today(col(HabitCheckIn.outcome)).label("undo_outcome"),
        _latest_made_today(col(HabitCheckIn.done_on)).label("undo_on"),
    )
    .join(
        HabitLevel,
        and_(col(HabitLevel.habit_id) == Habit.id, col(HabitLevel.number) == Habit.level),
    )
    .where(col(Habit.client_id) == _CLIENT, col(Habit.archived_at).is_(None))
    .order_by(col(Habit.created_at))
)
# Check-ins since yesterday, folded in SQL to one row per habit, day, outcome and amount
# (`history.CHECK_IN_FOLD`): a busy day (many "+1 glass" taps) stays a handful of rows, and the
# values are exactly those of the single rows (`targets.amount_total`).
_CHECK_INS = (
    select(col(HabitCheckIn.habit_id), *history.CHECK_IN_FOLD, func.count())
    .where(
        col(HabitCheckIn.client_id) == _CLIENT,
        col(HabitCheckIn.done_on) >= bindparam("since"),
    )
    .group_by(col(HabitCheckIn.habit_id), *history.CHECK_IN_FOLD)
)
UNDO_WORDS = {"done": N_("Done"), "partly": N_("Partly done"), "not_today": N_("Not today")}
# One row whatever the client has: today's mood (or NULL) and whether all habits are paused today.
_CLIENT_DAY = select(
    select(col(MoodLog.mood))
    .where(col(MoodLog.client_id) == _CLIENT, col(MoodLog.logged_on) == bindparam("day"))
    .scalar_subquery(),
    _paused_on(bindparam("day"), any_habit=False).label("all_paused"),
)


def _recent_check_ins(
    session: Session, client_id: uuid.UUID, since: date
) -> dict[uuid.UUID, list[CheckIn]]:
    """Check-ins since `since`, folded per habit, day, outcome and amount (see `_CHECK_INS`)."""
    out: dict[uuid.UUID, list[CheckIn]] = {}
    for habit_id, on, outcome, amount, count in prebuilt.rows(
        session, _CHECK_INS, client_id=client_id, since=since
    ):
        out.setdefault(habit_id, []).append(CheckIn(on, Outcome(outcome), None, amount, count))
    return out


# The section shows the client's watched rows as of their local day, nothing else: its HTML is
# kept while they are unchanged (app/sections.py).
today_inputs = local_day


def today_section(
    *, session: Session, client: User, day: date, now: datetime
) -> TodaySection | None:
    """Three statements whatever the number of habits or the length of the history."""
    del now
    yesterday = day - timedelta(days=1)
    day_start = datetime.combine(day, time(0), tzinfo=clock.zone(client.time_zone))
    rows = prebuilt.rows(
        session,
        _HABITS,
        client_id=client.id,
        day=day,
        yesterday=yesterday,
        day_start=day_start.astimezone(UTC),
    )
    check_ins = _recent_check_ins(session, client.id, yesterday)
    client_day = prebuilt.first(session, _CLIENT_DAY, client_id=client.id, day=day)
    assert client_day is not None  # a SELECT without FROM always has its one row
    mood, all_paused = client_day[0], bool(client_day[1])
    habits = []
    for r in rows:
        target = history.target_of(r.target_kind, r.days, r.times_per_week, r.amount, r.unit)
        mine = check_ins.get(r.id, [])
        values = day_values(target, mine)
        habits.append(
            TodayHabit(
                id=r.id,
                title=r.title,
                step=r.description,
                target=target,
                value=values.get(day, 0.0),
                amount=amount_total(
                    (c.amount, c.count) for c in mine if c.on == day and c.amount is not None
                ),
                paused=bool(r.paused_today),
                needs_yesterday=(
                    r.started_on <= yesterday
                    and not r.paused_yesterday
                    and not any(c.on == yesterday for c in mine)
                    and (target.kind is TargetKind.WEEKLY or target.is_planned(yesterday))
                ),
                source=r.source,
                number=r.level,
                form_ids=tuple(str(render_id()) for _ in range(4)),  # the four buttons
                # Offered beside today's buttons only when it is about today (not a back-fill).
                last_today=(str(r.undo_id), UNDO_WORDS.get(r.undo_outcome, N_("Check-in")))
                if r.undo_id is not None and r.undo_on == day
                else None,
            )
        )
    return TodaySection(
        key="self_care",
        title=N_("Self-care"),
        template="self_care/_today.html",
        context={
            "habits": habits,
            "mood_logged": mood,
            "all_paused": all_paused,
            "mood_id": str(render_id()),
        },
        order=30,
    )
