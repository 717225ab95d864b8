"""Self-care's part of the client's record (app/records.py): habits by day, levels over time, mood.

A habit day is judged exactly as on the client's habit page (`history.HabitHistory.values`, the
same `targets.day_values`): by the level in force that day, partly counting half and amounts pro
rata ("+1 glass" of 2 is 0.5 done, never "done"), paused days left out. A day is planned when the
level in force plans it (a "times a week" level plans no particular day, so its days show as done
on a day not planned). Six statements for all habits, whatever the range.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import clock, prebuilt
from app.accounts.models import RecordKind, User
from app.i18n import N_
from app.records import DayRow, HeatFigure, LineFigure, ObservationData, RecordPart
from app.self_care import history
from app.self_care.models import Habit, HabitCheckIn, MoodLog

_MOODS = (
    core_select(col(MoodLog.logged_on), col(MoodLog.mood), col(MoodLog.energy))
    .where(
        col(MoodLog.client_id) == bindparam("client_id"),
        col(MoodLog.logged_on) >= bindparam("start"),
        col(MoodLog.logged_on) <= bindparam("end"),
    )
    .order_by(col(MoodLog.logged_on))
)


def habit_rows(
    session: Session, client: User, start: date, end: date
) -> list[tuple[DayRow, list[tuple[date, int]]]]:
    """Each active habit's (planned, done) per day and the level in force over the range."""
    habits = session.exec(
        select(Habit)
        .where(
            col(Habit.client_id) == client.id,
            col(Habit.archived_at).is_(None),
            col(Habit.started_on) <= end,
        )
        .order_by(col(Habit.created_at))
    ).all()
    loaded = history.load_many(session, client.id, habits, start=start, end=end)
    out = []
    for habit in habits:
        hist = loaded[habit.id]
        values = hist.values()
        cells: dict[date, tuple[float, float]] = {}
        levels: list[tuple[date, int]] = []
        day = hist.start
        while day <= end:
            level = hist.level_on(day)
            if not levels or levels[-1][1] != level:
                levels.append((day, level))
            if day not in hist.paused:
                planned = float(hist.target_on(day).is_planned(day))
                done = min(1.0, values.get(day, 0.0))
                if planned or done:
                    cells[day] = (planned, done)
            day += timedelta(days=1)
        if levels and levels[-1][0] != end:
            levels.append((end, levels[-1][1]))
        out.append((DayRow(habit.id, habit.title, cells), levels))
    return out


def record_part(
    *,
    session: Session,
    client: User,
    start: date,
    end: date,
    hidden: frozenset[RecordKind] = frozenset(),
) -> RecordPart:
    habits = habit_rows(session, client, start, end)
    moods = (
        []
        if RecordKind.mood in hidden  # kept private: no line, not even an empty one
        else prebuilt.rows(session, _MOODS, client_id=client.id, start=start, end=end)
    )
    top = max((lv for _, levels in habits for _, lv in levels), default=5)
    return RecordPart(
        "self_care",
        [
            HeatFigure(
                key="habits-heat",
                title=N_("Self-care habits by day (days done of days planned)"),
                unit=N_("planned days"),
                rows=[row for row, _ in habits],
            ),
            LineFigure(
                key="mood-energy",
                title=N_("Mood and energy (1 to 5)"),
                y_min=1,
                y_max=5,
                series=[
                    (N_("Mood"), [(m.logged_on, float(m.mood)) for m in moods]),
                    (
                        N_("Energy"),
                        [(m.logged_on, float(m.energy)) for m in moods if m.energy is not None],
                    ),
                ],
                empty=N_("No mood logged in this period."),
            ),
            LineFigure(
                key="habit-levels",
                title=N_("Habit levels over time"),
                y_min=1,
                y_max=max(top, 2),
                series=[(row.label, levels) for row, levels in habits if levels],
                empty=N_("No habits in this period."),
                step=True,
            ),
        ],
    )


def _noon(day: date, zone: str) -> datetime:
    """A day-level entry has no time of its own; midday local time keeps it on its day in any zone."""
    return datetime.combine(day, time(12), tzinfo=clock.zone(zone)).astimezone(UTC)


def observations(
    *,
    session: Session,
    client_id: uuid.UUID,
    start: date,
    end: date,
    time_zone: str,
    hidden: frozenset[RecordKind] = frozenset(),
) -> list[ObservationData]:
    """The FHIR Observations of the mood log (mood, energy, sleep) and the habit check-ins in
    [start, end] (local days), oldest first, in two queries. A hidden mood log leaves the
    check-ins: habits have no kind of their own to keep private."""
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
