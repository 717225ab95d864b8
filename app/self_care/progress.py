"""What the habit page, the API and the therapist view show: strength, week, heat map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from app import prebuilt
from app.self_care import grading, history, suggestions, summary, words
from app.self_care.models import Habit, HabitCheckIn, HabitSuggestion, HabitSummary
from app.self_care.strength import (
    HeatDay,
    StrengthPoint,
    WeekResult,
    evaluate_week,
    heat_map,
    strength_series,
    week_start,
)
from app.self_care.targets import Target, amount_total, unit_words


@dataclass(frozen=True)
class RecentCheckIn:
    """A check-in as the habit page lists it: only the columns shown, no ORM object."""

    done_on: date
    outcome: str
    amount: float | None
    confidence: int | None
    note: str | None


@dataclass
class HabitProgress:
    habit: Habit
    levels: list[history.LevelColumns]
    target: Target
    strength: int  # percent
    strength_week_ago: int
    strength_points: list[StrengthPoint]  # the stored tail, then every day since
    this_week: WeekResult
    last_week: WeekResult
    heat: list[list[HeatDay]]
    paused_today: bool
    today_value: float
    today_amount: float
    suggestion: HabitSuggestion | None
    recent: list[RecentCheckIn]  # newest first

    @property
    def level(self) -> history.LevelColumns:
        return next(lv for lv in self.levels if lv.number == self.habit.level)

    @property
    def steps(self) -> list[tuple[history.LevelColumns, str]]:
        """Each level with its target in words, for the ladder list."""
        return [(lv, history.to_target(lv).describe()) for lv in self.levels]

    @property
    def title(self) -> str:
        """The habit's title in the reader's language (a built-in ladder's; else as written)."""
        return words.habit_title(self.habit.source, self.habit.title)

    @property
    def authored(self) -> bool:
        """Whether the title is a person's own words (shown as written, never translated)."""
        return not words.is_builtin(self.habit.source, self.habit.title)

    def step_text(self, level: history.LevelColumns) -> str:
        """A level's description in the reader's language while it is the ladder's own."""
        return words.habit_level(self.habit.source, level.number, level.description)

    @property
    def unit_words(self) -> str:
        return unit_words(self.target.unit)

    @property
    def suggestion_message(self) -> str:
        return grading.shown_message(self.suggestion.message) if self.suggestion else ""

    @property
    def strength_change(self) -> int:
        return self.strength - self.strength_week_ago


# Built once (see app/prebuilt.py): every per-request value is a bound parameter.
_SUMMARY = select(
    col(HabitSummary.settled_on),
    col(HabitSummary.score),
    col(HabitSummary.recent),
    col(HabitSummary.tail),
).where(col(HabitSummary.habit_id) == bindparam("habit_id"))
_RECENT = (
    select(
        col(HabitCheckIn.done_on),
        col(HabitCheckIn.outcome),
        col(HabitCheckIn.amount),
        col(HabitCheckIn.confidence),
        col(HabitCheckIn.note),
    )
    .where(col(HabitCheckIn.habit_id) == bindparam("habit_id"))
    .order_by(col(HabitCheckIn.created_at).desc())
    .limit(10)
)


def _at(points: list[StrengthPoint], day: date) -> int:
    before = [p for p in points if p.on <= day]
    return before[-1].percent if before else 0


def habit_progress(session: Session, habit: Habit, today: date, weeks: int = 6) -> HabitProgress:
    """Strength continues from the stored summary (kept current on write); only the days since it
    and the heat map's weeks are read, so the cost does not grow with the history. Every read is a
    statement built once and run through Core: building ORM selects cost more than running them.
    """
    kept = summary.stored(prebuilt.first(session, _SUMMARY, habit_id=habit.id))
    if kept is not None and kept.settled_on > summary.settle_day(today):
        kept = None  # a summary from a later "today" (time zone moved back): compute afresh
    begin = summary.first_day(habit, today) if kept is None else kept.settled_on + timedelta(days=1)
    heat_from = week_start(today) - timedelta(weeks=max(weeks, 2) - 1)
    hist = history.load(session, habit, today, since=min(begin, heat_from))
    values = hist.values()
    points = (kept.tail if kept else []) + strength_series(
        target_on=hist.target_on,
        values=values,
        start=begin,
        today=today,
        paused=hist.paused,
        state=kept.state if kept else None,
    )
    target = hist.target

    def week(start: date) -> WeekResult:
        return evaluate_week(
            start=start,
            target=target,
            values=values,
            today=today,
            paused=hist.paused,
            active_from=habit.started_on,
        )

    monday = week_start(today)
    amount_today = amount_total(
        (c.amount, c.count) for c in hist.check_ins if c.on == today and c.amount is not None
    )
    recent = [RecentCheckIn(*r) for r in prebuilt.rows(session, _RECENT, habit_id=habit.id)]
    return HabitProgress(
        habit=habit,
        levels=sorted(hist.levels.values(), key=lambda lv: lv.number),
        target=target,
        strength=points[-1].percent if points else 0,
        strength_week_ago=_at(points, today - timedelta(days=7)),
        strength_points=points,
        this_week=week(monday),
        last_week=week(monday - timedelta(weeks=1)),
        heat=heat_map(
            target_on=hist.target_on,
            values=values,
            start=habit.started_on,
            today=today,
            weeks=weeks,
            paused=hist.paused,
        ),
        paused_today=today in hist.paused,
        today_value=values.get(today, 0.0),
        today_amount=amount_today,
        suggestion=suggestions.pending(session, habit),
        recent=recent,
    )
