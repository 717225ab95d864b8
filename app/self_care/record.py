"""Self-care's part of the client's record (app/records.py): habits by day, levels over time, mood.

A habit day is judged exactly as on the client's habit page (`history.HabitHistory.values`, the
same `targets.day_values`): by the level in force that day, partly counting half and amounts pro
rata ("+1 glass" of 2 is 0.5 done, never "done"), paused days left out. A day is planned when the
level in force plans it (a "times a week" level plans no particular day, so its days show as done
on a day not planned). Six statements for all habits, whatever the range.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import prebuilt
from app.accounts.models import RecordKind, User
from app.records import DayRow, HeatFigure, LineFigure, RecordPart
from app.self_care import history
from app.self_care.models import Habit, MoodLog

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
                title="Self-care habits by day (days done of days planned)",
                unit="planned days",
                rows=[row for row, _ in habits],
            ),
            LineFigure(
                key="mood-energy",
                title="Mood and energy (1 to 5)",
                y_min=1,
                y_max=5,
                series=[
                    ("Mood", [(m.logged_on, float(m.mood)) for m in moods]),
                    (
                        "Energy",
                        [(m.logged_on, float(m.energy)) for m in moods if m.energy is not None],
                    ),
                ],
                empty="No mood logged in this period.",
            ),
            LineFigure(
                key="habit-levels",
                title="Habit levels over time",
                y_min=1,
                y_max=max(top, 2),
                series=[(row.label, levels) for row, levels in habits if levels],
                empty="No habits in this period.",
                step=True,
            ),
        ],
    )
