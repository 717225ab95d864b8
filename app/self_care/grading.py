"""Step-up and step-down suggestions for a graded habit (task grading in OT practice).

Raise the difficulty as confidence grows; lower it without blame when things are hard. Only whole
weeks spent at the current level are judged; paused days shrink a week's target and a week with too
few active days is not judged at all. Back-filled check-ins count for the day they are about.
The client (or the therapist) decides: these are suggestions, never automatic moves.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import fmean
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.i18n import N_, gettext
from app.self_care.strength import WeekResult, evaluate_week, week_start
from app.self_care.targets import CheckIn, Target, day_values

MAX_WEEKS_BACK = 12


class GradingSettings(BaseModel):
    """Per-habit thresholds; the defaults follow the rule "met in most recent weeks, confident"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window_weeks: Annotated[int, Field(ge=1, le=8)] = 3
    weeks_met_to_step_up: Annotated[int, Field(ge=1, le=8)] = 2
    min_confidence: Annotated[float, Field(ge=0, le=10)] = 7.0
    min_confidence_ratings: Annotated[int, Field(ge=1, le=50)] = 2
    weeks_missed_to_step_down: Annotated[int, Field(ge=1, le=8)] = 2
    # A week counts as hard when less than this share of its target was done.
    hard_week_below: Annotated[float, Field(ge=0, le=1)] = 0.5
    # Weeks with fewer active (unpaused, at this level) days are left out rather than judged.
    min_active_days: Annotated[int, Field(ge=1, le=7)] = 4
    # After a decline, the same suggestion waits this long before it may come back.
    quiet_days_after_decline: Annotated[int, Field(ge=0, le=90)] = 14

    @model_validator(mode="after")
    def _fits_window(self) -> Self:
        if self.weeks_met_to_step_up > self.window_weeks:
            raise ValueError("weeks_met_to_step_up cannot exceed window_weeks")
        if self.weeks_missed_to_step_down > self.window_weeks:
            raise ValueError("weeks_missed_to_step_down cannot exceed window_weeks")
        return self


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Suggestion:
    direction: Direction
    from_level: int
    to_level: int
    weeks_judged: int
    weeks_met: int
    mean_confidence: float | None
    message: str


@dataclass(frozen=True, slots=True)
class LevelBounds:
    """The therapist's range for this client; `level` is where the client is now."""

    level: int
    lowest: int
    highest: int

    def __post_init__(self) -> None:
        if not 1 <= self.lowest <= self.highest:
            raise ValueError("lowest must be at least 1 and not above highest")


def judged_weeks(
    *,
    target: Target,
    values: Mapping[date, float],
    today: date,
    level_since: date,
    paused: Collection[date],
    settings: GradingSettings,
) -> list[WeekResult]:
    """Most recent first: complete weeks at this level with enough active days to judge."""
    out: list[WeekResult] = []
    start = week_start(today) - timedelta(weeks=1)
    for _ in range(MAX_WEEKS_BACK):
        if start + timedelta(days=6) < level_since or len(out) == settings.window_weeks:
            break
        week = evaluate_week(
            start=start,
            target=target,
            values=values,
            today=today,
            paused=paused,
            active_from=level_since,
        )
        if week.active_days >= settings.min_active_days and week.met is not None:
            out.append(week)
        start -= timedelta(weeks=1)
    return out


def suggest(
    *,
    target: Target,
    check_ins: Iterable[CheckIn],
    bounds: LevelBounds,
    level_since: date,
    today: date,
    paused: Collection[date] = frozenset(),
    settings: GradingSettings | None = None,
    declined: Mapping[Direction, date] | None = None,
) -> Suggestion | None:
    """The one suggestion the evidence supports now, or None."""
    settings = settings or GradingSettings()
    check_ins = [c for c in check_ins if c.on not in paused and c.on >= level_since]
    values = day_values(target, check_ins)
    weeks = judged_weeks(
        target=target,
        values=values,
        today=today,
        level_since=level_since,
        paused=paused,
        settings=settings,
    )
    if not weeks:
        return None
    oldest = weeks[-1].start
    ratings = [c.confidence for c in check_ins if c.confidence is not None and c.on >= oldest]
    confidence = fmean(ratings) if ratings else None
    met = sum(1 for w in weeks if w.met)
    up = _step_up(weeks, met, ratings, confidence, bounds, settings)
    if up and not _recently_declined(declined, Direction.UP, today, settings):
        return up
    down = _step_down(weeks, met, confidence, bounds, settings)
    if down and not _recently_declined(declined, Direction.DOWN, today, settings):
        return down
    return None


def _recently_declined(
    declined: Mapping[Direction, date] | None, direction: Direction, today: date, s: GradingSettings
) -> bool:
    when = (declined or {}).get(direction)
    return when is not None and (today - when).days < s.quiet_days_after_decline


def _step_up(
    weeks: list[WeekResult],
    met: int,
    ratings: list[int],
    confidence: float | None,
    bounds: LevelBounds,
    s: GradingSettings,
) -> Suggestion | None:
    if bounds.level >= bounds.highest or met < s.weeks_met_to_step_up:
        return None
    if not weeks[0].met:  # a hard last week is no moment to raise the bar
        return None
    if confidence is None or len(ratings) < s.min_confidence_ratings:
        return None
    if confidence < s.min_confidence:
        return None
    message = UP_MESSAGE % {
        "met": met,
        "weeks": len(weeks),
        "confidence": f"{confidence:.1f}",
    }
    return Suggestion(
        Direction.UP, bounds.level, bounds.level + 1, len(weeks), met, confidence, message
    )


def _step_down(
    weeks: list[WeekResult],
    met: int,
    confidence: float | None,
    bounds: LevelBounds,
    s: GradingSettings,
) -> Suggestion | None:
    recent = weeks[: s.weeks_missed_to_step_down]
    if bounds.level <= bounds.lowest or len(recent) < s.weeks_missed_to_step_down:
        return None
    if any(w.ratio >= s.hard_week_below for w in recent):
        return None
    message = DOWN_MESSAGE
    return Suggestion(
        Direction.DOWN, bounds.level, bounds.level - 1, len(weeks), met, confidence, message
    )


# A suggestion's message is stored in English when it is made (one row, read by the client and by
# their therapist, each in their own language): `shown_message` reads it back in the reader's.
UP_MESSAGE = N_(
    "You met your target in %(met)s of the last %(weeks)s weeks, and your confidence "
    "averaged %(confidence)s out of 10. Would you like to try the next step? "
    "You can always come back to this one."
)
DOWN_MESSAGE = N_(
    "This step has been hard going lately, and that is completely okay: energy and mood "
    "go up and down. A lighter step for a while keeps the habit going, and you can move "
    "back up whenever you feel ready."
)
_UP_STORED = re.compile(
    re.escape(UP_MESSAGE)
    .replace(re.escape("%(met)s"), r"(?P<met>\d+)")
    .replace(re.escape("%(weeks)s"), r"(?P<weeks>\d+)")
    .replace(re.escape("%(confidence)s"), r"(?P<confidence>\d+\.\d)")
)


def shown_message(stored: str) -> str:
    """A stored suggestion message in the current language (another text as it was stored)."""
    if stored == DOWN_MESSAGE:
        return gettext(DOWN_MESSAGE)
    found = _UP_STORED.fullmatch(stored)
    if found is None:
        return stored
    return gettext(UP_MESSAGE, **found.groupdict())
