"""History as information, never judgement: heat-map cells, per-step skip counts, a weekly summary.

Pure functions over plain rows so the same logic serves the client, the therapist and the bench.
A partly done day is shaded partly; an untouched planned day is "not started", never "missed".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from uuid import UUID

from app.i18n import format_date, gettext, ngettext

Status = Literal["done", "skipped", "helped"]
DONE_STATUSES: frozenset[str] = frozenset({"done", "helped"})  # needed help still got it done


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One routine's run on one local day: steps planned that day and steps done."""

    day: date
    planned: int
    done: int


@dataclass(frozen=True, slots=True)
class HeatCell:
    day: date
    planned: bool
    done: int
    total: int
    level: int  # 0 (nothing yet) .. 4 (every step)

    @property
    def label(self) -> str:
        """The cell's words, in the language of the page being rendered."""
        return day_label(self.day, self.done, self.total, self.planned)

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


def level_for(done: int, total: int) -> int:
    """Shade 0..4: any step done shows as at least 1, so small wins are visible."""
    if total <= 0 or done <= 0:
        return 0
    if done >= total:
        return 4
    return min(3, 1 + (3 * done) // total)


def day_label(day: date, done: int, total: int, planned: bool) -> str:
    text = format_date(day, "EEE d MMM")
    if total == 0:
        return gettext("%(day)s: not planned", day=text)
    if done == 0:
        return ngettext(
            "%(day)s: not started, %(num)s step planned",
            "%(day)s: not started, %(num)s steps planned",
            total,
            day=text,
        )
    if planned:
        return ngettext(
            "%(day)s: %(done)s of %(num)s step",
            "%(day)s: %(done)s of %(num)s steps",
            total,
            day=text,
            done=done,
        )
    return ngettext(
        "%(day)s: %(done)s of %(num)s step (an extra day)",
        "%(day)s: %(done)s of %(num)s steps (an extra day)",
        total,
        day=text,
        done=done,
    )


def steps_by_day(
    *, planned_days: Iterable[date], steps_planned: int, records: Mapping[date, DayRecord]
) -> dict[date, tuple[int, int]]:
    """(steps planned, steps done) for every planned day and every recorded run: a recorded
    run's own planned count wins, otherwise a planned day expects the current step count, and
    done never exceeds planned. The one rule behind the heat map and the therapist's record."""
    out = dict.fromkeys(planned_days, (steps_planned, 0))
    for day, record in records.items():
        out[day] = (record.planned, min(record.done, record.planned))
    return out


def heat_map(
    *,
    first: date,
    last: date,
    planned_days: Iterable[date],
    steps_planned: int,
    records: Mapping[date, DayRecord],
) -> list[HeatCell]:
    """One cell per day from first to last (`steps_by_day`), with its shade and words."""
    planned_set = set(planned_days)
    counts = steps_by_day(planned_days=planned_set, steps_planned=steps_planned, records=records)
    cells: list[HeatCell] = []
    day = first
    while day <= last:
        total, done = counts.get(day, (0, 0))
        planned = day in planned_set
        cells.append(
            HeatCell(
                day,
                planned,
                done,
                total,
                level_for(done, total),
            )
        )
        day += timedelta(days=1)
    return cells


def weeks(cells: Sequence[HeatCell]) -> list[list[HeatCell | None]]:
    """Cells arranged Monday..Sunday per row, padded with None, for the calendar grid."""
    if not cells:
        return []
    rows: list[list[HeatCell | None]] = []
    row: list[HeatCell | None] = [None] * cells[0].day.weekday()
    for cell in cells:
        row.append(cell)
        if len(row) == 7:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [None] * (7 - len(row)))
    return rows


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    step_id: UUID
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class StepStat:
    step_id: UUID
    title: str
    done: int
    helped: int
    skipped: int

    @property
    def answered(self) -> int:
        return self.done + self.helped + self.skipped

    @property
    def skip_rate(self) -> float:
        return self.skipped / self.answered if self.answered else 0.0


def step_stats(outcomes: Iterable[OutcomeRow], order: Sequence[UUID] = ()) -> list[StepStat]:
    """Counts per step, in routine order when given (steps not in ``order`` follow)."""
    counts: dict[UUID, Counter[str]] = {}
    titles: dict[UUID, str] = {}
    for row in outcomes:
        counts.setdefault(row.step_id, Counter())[row.status] += 1
        titles[row.step_id] = row.title
    rank = {step_id: i for i, step_id in enumerate(order)}
    ids = sorted(counts, key=lambda s: (rank.get(s, len(rank)), titles[s]))
    return [
        StepStat(s, titles[s], counts[s]["done"], counts[s]["helped"], counts[s]["skipped"])
        for s in ids
    ]


def most_skipped(stats: Iterable[StepStat]) -> StepStat | None:
    """The step skipped most often (ties: the higher skip rate, then the title); None if none."""
    skipped = [s for s in stats if s.skipped > 0]
    if not skipped:
        return None
    return max(skipped, key=lambda s: (s.skipped, s.skip_rate, [-ord(c) for c in s.title]))


@dataclass(frozen=True, slots=True)
class WeekSummary:
    starts_on: date
    ends_on: date
    days_planned: int
    days_started: int
    days_complete: int
    steps_done: int
    steps_planned: int

    @property
    def text(self) -> str:
        if self.days_planned == 0 and self.steps_done == 0:
            return gettext("Nothing was planned.")
        if self.steps_done == 0:
            return ngettext(
                "%(num)s day was planned. Each new day is a fresh start.",
                "%(num)s days were planned. Each new day is a fresh start.",
                self.days_planned,
            )
        days = ngettext(
            "Steps done on %(started)s of %(num)s planned day, %(complete)s of them in full.",
            "Steps done on %(started)s of %(num)s planned days, %(complete)s of them in full.",
            self.days_planned,
            started=self.days_started,
            complete=self.days_complete,
        )
        steps = ngettext(
            "%(done)s of %(num)s step in all.",
            "%(done)s of %(num)s steps in all.",
            self.steps_planned,
            done=self.steps_done,
        )
        return f"{days} {steps}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_summary(cells: Iterable[HeatCell], starts_on: date) -> WeekSummary:
    """Sum the cells (from one or several routines) that fall in the week starting ``starts_on``."""
    ends_on = starts_on + timedelta(days=6)
    inside = [c for c in cells if starts_on <= c.day <= ends_on and c.total > 0]
    planned = [c for c in inside if c.planned]
    return WeekSummary(
        starts_on=starts_on,
        ends_on=ends_on,
        days_planned=len(planned),
        days_started=sum(1 for c in planned if c.done > 0),
        days_complete=sum(1 for c in planned if c.done >= c.total),
        steps_done=sum(c.done for c in inside),
        steps_planned=sum(c.total for c in planned),
    )
