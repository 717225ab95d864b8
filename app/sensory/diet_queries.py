"""Sensory diet, read side: today's items with their check-offs, adherence and arousal reports.

All days are the client's local calendar days. Few queries each: these back Today and the overview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.sensory import diet
from app.sensory.catalog import activities
from app.sensory.diet_service import cautions_for, list_items, planned
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem


@dataclass(frozen=True)
class DueRow:
    item: SensoryDietItem
    checkoff: SensoryDietCheckoff | None
    cautions: list[str]
    therapist_taught_only: bool


def due_rows(session: Session, client: User, day: date) -> list[DueRow]:
    """Today's items with their check-off, in two queries."""
    items = [i for i in list_items(session, client=client) if diet.is_due_on(planned(i), day)]
    if not items:
        return []
    done = {
        c.item_id: c
        for c in session.exec(
            select(SensoryDietCheckoff).where(
                col(SensoryDietCheckoff.item_id).in_([i.id for i in items]),
                SensoryDietCheckoff.done_on == day,
            )
        )
    }
    lib = activities()
    return [
        DueRow(
            item=i,
            checkoff=done.get(i.id),
            cautions=cautions_for(i),
            therapist_taught_only=bool(
                i.activity_id in lib and lib[i.activity_id].therapist_taught_only
            ),
        )
        for i in items
    ]


@dataclass
class ItemReport:
    item: SensoryDietItem
    adherence: diet.Adherence
    pattern: diet.ArousalPattern
    description: str


@dataclass
class PlanReport:
    start: date
    end: date
    items: list[ItemReport] = field(default_factory=list)
    total: diet.Adherence = field(default_factory=diet.Adherence)


def report(session: Session, client: User, *, days: int = 14) -> PlanReport:
    """Adherence over the last `days` local days (today included) and the arousal pattern of each
    activity over the same window, for the therapist and the client's own plan page."""
    end = clock.local_today(client.time_zone)
    start = end - timedelta(days=days - 1)
    rows = [
        i
        for i in list_items(session, client=client, include_ended=True)
        if not i.ends_on or i.ends_on >= start
    ]
    checkoffs = [
        diet.CheckOff(c.item_id, c.done_on, c.felt_after, c.felt_before)  # type: ignore[arg-type]  # checked on write (schemas.FeltId); the columns are str
        for c in session.exec(
            select(SensoryDietCheckoff).where(
                SensoryDietCheckoff.client_id == client.id,
                col(SensoryDietCheckoff.done_on) >= start,
                col(SensoryDietCheckoff.done_on) <= end,
            )
        )
    ]
    adherence = diet.adherence([planned(r) for r in rows], checkoffs, start, end)
    patterns = diet.arousal_pattern(checkoffs)
    out = PlanReport(start=start, end=end)
    for r in rows:
        pattern = patterns.get(r.id, diet.ArousalPattern())
        out.items.append(ItemReport(r, adherence[r.id], pattern, diet.describe_pattern(pattern)))
    out.total = diet.total_adherence(adherence.values())
    return out


def zone(client: User) -> ZoneInfo:
    return clock.zone(client.time_zone)


def week_adherence(
    session: Session, client: User, items: list[SensoryDietItem], today: date
) -> diet.Adherence:
    """This local week so far (Monday to today), for the overview."""
    start = diet.week_start(today)
    if not items:
        return diet.Adherence()
    checkoffs = [
        diet.CheckOff(item_id, on, "just_right")
        for item_id, on in session.exec(
            select(col(SensoryDietCheckoff.item_id), col(SensoryDietCheckoff.done_on)).where(
                SensoryDietCheckoff.client_id == client.id,
                col(SensoryDietCheckoff.done_on) >= start,
                col(SensoryDietCheckoff.done_on) <= today,
            )
        )
    ]
    per_item = diet.adherence([planned(i) for i in items], checkoffs, start, today)
    return diet.total_adherence(per_item.values())
