"""The activity diary: a week of parts of the day, each tapped in from Today or filled in later.

A block holds one entry; tapping again changes it. A phone's offline tap carries its own id and may
arrive twice (or after a later tap from another device): the same id again is a replay and returns
the stored row; a different id for a filled block replaces what it says (the last tap wins).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, Unprocessable
from app.i18n import N_
from app.occupation import diary
from app.occupation.models import DiaryEntry, DiaryWeek
from app.occupation.schemas import DiaryEntryIn
from app.web_security import Principal

# How far back a block may still be filled in: the diary is about last week, not last year.
BACKFILL_DAYS = 14


def current_week(session: Session, *, client_id: uuid.UUID, today: date) -> DiaryWeek | None:
    """The diary week running on `today`, if any (the latest started)."""
    return session.exec(
        select(DiaryWeek)
        .where(
            DiaryWeek.client_id == client_id,
            col(DiaryWeek.starts_on) <= today,
            col(DiaryWeek.starts_on) > today - timedelta(days=diary.DAYS_IN_WEEK),
        )
        .order_by(col(DiaryWeek.starts_on).desc())
        .limit(1)
    ).first()


def latest_week(session: Session, client_id: uuid.UUID) -> DiaryWeek | None:
    return session.exec(
        select(DiaryWeek)
        .where(DiaryWeek.client_id == client_id)
        .order_by(col(DiaryWeek.starts_on).desc())
        .limit(1)
    ).first()


def start_week(
    session: Session, *, principal: Principal, client: User, starts_on: date | None = None
) -> DiaryWeek:
    """Start a diary week (today unless given); starting while one runs returns that one."""
    today = clock.local_today(client.time_zone)
    running = current_week(session, client_id=client.id, today=today)
    if running is not None:
        return running
    start = starts_on or today
    if abs((start - today).days) > BACKFILL_DAYS:
        raise Unprocessable(N_("Start the diary week within two weeks of today."))
    week = DiaryWeek(client_id=client.id, starts_on=start, created_by_id=principal.id)
    session.add(week)
    audit.add(session, actor=principal.user, client_id=client.id, action="occupation.diary.start")
    session.commit()
    return week


def entries(
    session: Session, *, client_id: uuid.UUID, start: date, end: date
) -> Sequence[DiaryEntry]:
    return session.exec(
        select(DiaryEntry)
        .where(
            DiaryEntry.client_id == client_id,
            col(DiaryEntry.done_on) >= start,
            col(DiaryEntry.done_on) <= end,
        )
        .order_by(col(DiaryEntry.done_on), col(DiaryEntry.block))
    ).all()


def record(session: Session, *, client: User, data: DiaryEntryIn) -> DiaryEntry:
    """Store one block (the client only: it is their diary)."""
    if data.id is not None:
        replay = session.get(DiaryEntry, data.id)
        if replay is not None:
            if replay.client_id != client.id:
                raise Conflict(N_("That id is already in use."))
            return replay
    today = clock.local_today(client.time_zone)
    if data.done_on > today:
        raise Unprocessable(N_("That day hasn't happened yet."), field="done_on")
    if data.done_on < today - timedelta(days=BACKFILL_DAYS):
        raise Unprocessable(N_("Only the last two weeks can be filled in."), field="done_on")
    row = session.exec(
        select(DiaryEntry).where(
            DiaryEntry.client_id == client.id,
            DiaryEntry.done_on == data.done_on,
            DiaryEntry.block == data.block,
        )
    ).first()
    if row is None:
        row = DiaryEntry(
            client_id=client.id, done_on=data.done_on, block=data.block, category=data.category
        )
        if data.id is not None:
            row.id = data.id
    row.category = data.category
    # A one-tap entry (no words, no ratings) keeps what was written for the block before.
    if data.activity or data.pleasure is not None or data.mastery is not None:
        row.activity, row.pleasure, row.mastery = data.activity, data.pleasure, data.mastery
    row.updated_at = clock.now()
    session.add(row)
    session.commit()
    return row


@dataclass(frozen=True, slots=True)
class WeekView:
    starts_on: date
    days: list[date]
    grid: dict[tuple[date, str], DiaryEntry]
    entries: Sequence[DiaryEntry]
    balance: list[diary.BalanceRow]
    lifts_mood: list[diary.LiftRow]

    @property
    def filled(self) -> int:
        return len(self.entries)


def week_view(session: Session, *, client_id: uuid.UUID, starts_on: date) -> WeekView:
    days = diary.week_days(starts_on)
    rows = entries(session, client_id=client_id, start=days[0], end=days[-1])
    return WeekView(
        starts_on=starts_on,
        days=days,
        grid={(e.done_on, e.block): e for e in rows},
        entries=rows,
        balance=diary.balance(rows),
        lifts_mood=diary.mood_lift(rows),
    )


def week_start_for(session: Session, *, client: User, asked: date | None) -> date:
    """The week to show: the one asked for, else the running or latest diary week, else the
    seven days ending today."""
    if asked is not None:
        return asked
    week = latest_week(session, client.id)
    if week is not None:
        return week.starts_on
    return clock.local_today(client.time_zone) - timedelta(days=diary.DAYS_IN_WEEK - 1)
