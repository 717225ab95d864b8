"""FHIR Observations for what a client logs day to day: the mood log (mood, energy, sleep), distress
ratings from the calm tools, and habit check-ins.

Shared by the therapist's FHIR export and the client's own download (app/my_data), so both carry
the same Observations. Ids are derived from the source row's id (uuid5), so two exports of one
record name the same Observation.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import RecordKind
from app.coping.models import DistressEpisode
from app.progress.fhir import ObservationData
from app.self_care.models import Habit, HabitCheckIn, MoodLog


def _noon(day: date, zone: str) -> datetime:
    """A day-level entry has no time of its own; midday local time keeps it on its day in any zone."""
    return datetime.combine(day, time(12), tzinfo=clock.zone(zone)).astimezone(UTC)


def for_client(
    session: Session,
    client_id: uuid.UUID,
    *,
    start: date,
    end: date,
    time_zone: str,
    hidden: frozenset[RecordKind] = frozenset(),
) -> list[ObservationData]:
    """Every logged day and rating in [start, end] (local days), oldest first, in three queries.
    `hidden`: kinds the client keeps private from this reader (`policy.private_kinds`)."""
    out: list[ObservationData] = []
    moods = (
        []
        if RecordKind.mood in hidden
        else session.exec(
            select(MoodLog)
            .where(
                MoodLog.client_id == client_id,
                col(MoodLog.logged_on) >= start,
                col(MoodLog.logged_on) <= end,
            )
            .order_by(col(MoodLog.logged_on))
        ).all()
    )
    for m in moods:
        at = _noon(m.logged_on, time_zone)
        note = m.note or None
        out.append(ObservationData(uuid.uuid5(m.id, "mood"), "daily_mood", m.mood, at, note=note))
        if m.energy is not None:
            out.append(ObservationData(uuid.uuid5(m.id, "energy"), "daily_energy", m.energy, at))
        if m.hours_slept is not None:
            out.append(
                ObservationData(uuid.uuid5(m.id, "sleep"), "sleep", m.hours_slept, at, unit="h")
            )
    since = datetime.combine(start, time(0), tzinfo=clock.zone(time_zone)).astimezone(UTC)
    until = since + timedelta(days=(end - start).days + 1)
    episodes = (
        []
        if RecordKind.calm in hidden
        else session.exec(
            select(DistressEpisode)
            .where(
                DistressEpisode.client_id == client_id,
                col(DistressEpisode.started_at) >= since,
                col(DistressEpisode.started_at) < until,
            )
            .order_by(col(DistressEpisode.started_at))
        ).all()
    )
    out += [
        ObservationData(
            e.id,
            "distress",
            e.before,
            e.started_at,
            components=[("after", e.after)],
            note=f"Before and after using: {e.strategy_title}",
        )
        for e in episodes
    ]
    check_ins = session.exec(
        select(HabitCheckIn, Habit.title)
        .join(Habit, col(Habit.id) == HabitCheckIn.habit_id)
        .where(
            HabitCheckIn.client_id == client_id,
            col(HabitCheckIn.done_on) >= start,
            col(HabitCheckIn.done_on) <= end,
        )
        .order_by(col(HabitCheckIn.done_on))
    ).all()
    out += [
        ObservationData(
            c.id,
            "habit",
            c.level,
            _noon(c.done_on, time_zone),
            text_value=c.outcome,
            note=f"{title} (level {c.level})" + (f": {c.note}" if c.note else ""),
        )
        for c, title in check_ins
    ]
    return out
