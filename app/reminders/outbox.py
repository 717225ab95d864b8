"""Writing occurrences into the outbox: planning a schedule's next 48 hours, and the periodic
top-up (refill). Duplicates are impossible by construction: the unique (schedule, occurrence) key
and ON CONFLICT DO NOTHING make two processes planning the same window harmless."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app import write_marks
from app.accounts.models import User
from app.reminders import planner
from app.reminders.models import INBOX_MARK, ItemStatus, ReminderItem, ReminderSchedule

# How far ahead occurrences are written to the outbox, and when a schedule is topped up again.
HORIZON = timedelta(hours=48)
REFILL_BEFORE = timedelta(hours=24)


def parse_times(text: str) -> list[time]:
    return [time.fromisoformat(part) for part in text.split(",") if part]


def materialise(
    *,
    session: Session,
    schedules: Sequence[Any],
    zones: dict[uuid.UUID, ZoneInfo],
    now: datetime,
) -> datetime:
    """Write occurrences up to now + HORIZON into the outbox; duplicates are ignored by the unique
    key, so two processes doing this at once cannot create a second copy. ``schedules`` are
    ReminderSchedule rows or rows with the same columns; the caller stores the returned horizon
    in ``planned_until_at``."""
    until = now + HORIZON
    rows: list[dict[str, object]] = []
    for schedule in schedules:
        start = max(schedule.planned_until_at or now, now)
        for occ in planner.expand(
            local_times=parse_times(schedule.local_times),
            rule_text=schedule.rrule,
            zone=zones[schedule.client_id],
            start_on=schedule.start_on,
            window_start=start,
            window_end=until,
        ):
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "schedule_id": schedule.id,
                    "client_id": schedule.client_id,
                    "kind": schedule.kind,
                    "source_id": schedule.source_id,
                    "occurrence_key": occ.key,
                    "local_day": occ.local_day,
                    "title": schedule.title,
                    "body": schedule.body,
                    "url": schedule.url,
                    "only_if_not_done": schedule.only_if_not_done,
                    "planned_at": occ.due_at,
                    "due_at": occ.due_at,
                    "status": ItemStatus.pending,
                    "attempts": 0,
                    "snoozed": False,
                    "delivery_note": "",
                }
            )
    insert_ignoring_duplicates(session, rows)
    return until


def insert_ignoring_duplicates(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert outbox rows; a row whose (schedule, occurrence) exists already is skipped."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and len(rows) > 200:
        _copy_ignoring_duplicates(session, rows)
        return
    table = ReminderItem.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table).on_conflict_do_nothing(index_elements=["schedule_id", "occurrence_key"])
    for start in range(0, len(rows), 2000):
        session.exec(stmt, params=rows[start : start + 2000])


def _copy_ignoring_duplicates(session: Session, rows: list[dict[str, object]]) -> None:
    """Bulk path for refills (thousands of rows): COPY into a temporary table, then one
    INSERT … SELECT … ON CONFLICT DO NOTHING — far less per-row work than bound multi-row VALUES."""
    columns = list(rows[0])
    names = ", ".join(columns)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]  # a checked-out connection always has its DBAPI connection
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS reminder_item_incoming "
        "(LIKE reminder_item INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    with cursor.copy(f"COPY reminder_item_incoming ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row[c] for c in columns))
    cursor.execute(
        f"INSERT INTO reminder_item ({names}) SELECT {names} FROM reminder_item_incoming "
        "ON CONFLICT (schedule_id, occurrence_key) DO NOTHING"
    )
    cursor.execute("TRUNCATE reminder_item_incoming")
    # Written past the engine, whose events change the inbox's write mark: change it here.
    write_marks.changed(session.connection(), [INBOX_MARK])


_SCHEDULE: Table = ReminderSchedule.__table__  # type: ignore[attr-defined]  # SQLModel creates __table__ with the class; its stubs do not declare it
_PLAN_COLUMNS = [
    _SCHEDULE.c[name]
    for name in (
        "id",
        "client_id",
        "kind",
        "source_id",
        "title",
        "body",
        "url",
        "local_times",
        "rrule",
        "start_on",
        "only_if_not_done",
        "planned_until_at",
    )
]


def refill(*, session: Session, now: datetime, batch: int = 2000) -> int:
    """Top up schedules whose planned horizon runs out within REFILL_BEFORE (the periodic job).
    Commits; returns how many schedules were topped up."""
    schedules = (
        session.connection()
        .execute(
            sa_select(*_PLAN_COLUMNS)
            .where(
                col(ReminderSchedule.active).is_(True),
                col(ReminderSchedule.planned_until_at).is_(None)
                | (col(ReminderSchedule.planned_until_at) < now + REFILL_BEFORE),
            )
            .limit(batch)
        )
        .all()
    )
    if not schedules:
        return 0
    client_ids = {s.client_id for s in schedules}
    zones = {
        cid: ZoneInfo(tz)
        for cid, tz in session.exec(
            select(User.id, User.time_zone).where(col(User.id).in_(client_ids))
        )
    }
    until = materialise(session=session, schedules=schedules, zones=zones, now=now)
    ids = [s.id for s in schedules]
    for start in range(0, len(ids), 5000):
        session.exec(
            update(ReminderSchedule)
            .where(col(ReminderSchedule.id).in_(ids[start : start + 5000]))
            .values(planned_until_at=until)
        )
    session.commit()
    return len(schedules)
