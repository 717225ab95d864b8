"""Self-care behaviour: start habits, check in, pause, and move between levels.

Every write commits once, before returning. Days are the client's local days.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import date, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Executable, Table, and_, bindparam
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import NoResultFound
from sqlmodel import Session, col, select

from app import clock, data_version, prebuilt, taps
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import gettext as _
from app.self_care import history, reminders_link, suggestions, summary
from app.self_care.library import LibraryLadder
from app.self_care.models import (
    Habit,
    HabitCheckIn,
    HabitLevel,
    HabitLevelChange,
)
from app.self_care.schemas import CheckInCreate, PersonalHabitCreate
from app.self_care.strength import week_start
from app.self_care.targets import Target, TargetKind

BACKFILL_DAYS = 1  # today and yesterday


def today_for(client: User) -> date:
    return clock.local_today(client.time_zone)


def _level(habit_id: uuid.UUID, number: int, description: str, target: Target) -> HabitLevel:
    return HabitLevel(
        habit_id=habit_id,
        number=number,
        description=description,
        target_kind=target.kind.value,
        days="".join(str(d) for d in sorted(target.days)),
        times_per_week=target.times_per_week,
        amount=target.amount,
        unit=target.unit,
    )


def start_from_ladder(
    *,
    session: Session,
    actor: User,
    client: User,
    ladder: LibraryLadder,
    level: int,
    reminder_time: time | None = None,
) -> Habit:
    """Copy the ladder's levels to the client's new habit, starting at `level`."""
    if not 1 <= level <= len(ladder.levels):
        raise Unprocessable(_("This ladder has levels 1 to %(count)s.", count=len(ladder.levels)))
    today = today_for(client)
    habit = Habit(
        client_id=client.id,
        created_by_id=actor.id,
        life_area=ladder.life_area.value,
        title=ladder.title,
        source=ladder.key if ladder.clinic else f"builtin:{ladder.key}",
        level=level,
        lowest_level=1,
        highest_level=len(ladder.levels),
        level_started_on=today,
        started_on=today,
        reminder_time=reminder_time,
    )
    session.add(habit)
    session.flush()  # no relationship() mappings: the parent row goes first
    for number, spec in enumerate(ladder.levels, start=1):
        session.add(_level(habit.id, number, spec.description, spec.target))
    session.add(
        level_change(
            habit, from_level=None, to_level=level, reason="started", actor=actor, today=today
        )
    )
    reminders_link.sync_habit(
        session=session, habit=habit, level_text=ladder.levels[level - 1].description
    )
    session.commit()
    session.refresh(habit)
    return habit


def create_personal(*, session: Session, client: User, data: PersonalHabitCreate) -> Habit:
    try:
        target = Target(
            kind=data.target_kind,
            days=frozenset(data.days),
            times_per_week=data.times_per_week if data.target_kind is TargetKind.WEEKLY else None,
            amount=float(data.amount)
            if data.target_kind is TargetKind.AMOUNT and data.amount
            else None,
            unit=data.unit if data.target_kind is TargetKind.AMOUNT else None,
        )
    except ValueError as exc:
        raise Unprocessable(_plain_target_error(data.target_kind)) from exc
    today = today_for(client)
    habit = Habit(
        client_id=client.id,
        created_by_id=client.id,
        life_area=data.life_area.value,
        title=data.title,
        source="personal",
        level_started_on=today,
        started_on=today,
        reminder_time=data.reminder_time,
    )
    session.add(habit)
    session.flush()
    session.add(_level(habit.id, 1, data.title, target))
    session.add(
        level_change(
            habit, from_level=None, to_level=1, reason="started", actor=client, today=today
        )
    )
    reminders_link.sync_habit(session=session, habit=habit, level_text=data.title)
    session.commit()
    session.refresh(habit)
    return habit


def _plain_target_error(kind: TargetKind) -> str:
    if kind is TargetKind.WEEKLY:
        return _("Say how many times a week (1 to 7).")
    if kind is TargetKind.AMOUNT:
        return _("Say how much each day, and the unit (for example 6 glasses).")
    return _("Choose at least one day.")


def level_change(
    habit: Habit, *, from_level: int | None, to_level: int, reason: str, actor: User, today: date
) -> HabitLevelChange:
    return HabitLevelChange(
        habit_id=habit.id,
        from_level=from_level,
        to_level=to_level,
        reason=reason,
        changed_by_id=actor.id,
        changed_on=today,
    )


def levels_of(session: Session, habit_id: uuid.UUID) -> list[HabitLevel]:
    return list(
        session.exec(
            select(HabitLevel)
            .where(HabitLevel.habit_id == habit_id)
            .order_by(col(HabitLevel.number))
        )
    )


# Built once (app/prebuilt.py): every check-in asks, and building the ORM select and loading a
# HabitLevel object cost more than the lookup itself (issue #19). The summary's `settled_on` comes
# with it: `summary.up_to_date` then decides without a statement of its own.
_HABIT: BindParameter[uuid.UUID] = bindparam("habit_id")
_NUMBER: BindParameter[int] = bindparam("number")
_BASIS = core_select(*history.TARGET_COLUMNS, summary.SETTLED_ON).where(
    col(HabitLevel.habit_id) == _HABIT, col(HabitLevel.number) == _NUMBER
)


class CheckInBasis(NamedTuple):
    """What a check-in reads of its habit besides the row: the target of its level (None: the
    habit has no row for its level) and its summary's `settled_on`."""

    target: Target | None
    settled_on: date | None


def _basis_of(columns: Sequence[Any]) -> CheckInBasis:
    """From `history.TARGET_COLUMNS` then `summary.SETTLED_ON`; a target kind of NULL: no level."""
    target = None if columns[0] is None else history.target_of(*columns[:5])
    return CheckInBasis(target, columns[5])


def _read_basis(session: Session, habit: Habit) -> CheckInBasis:
    row = prebuilt.first(session, _BASIS, habit_id=habit.id, number=habit.level)
    return CheckInBasis(None, None) if row is None else _basis_of(row)


def _required(target: Target | None, habit: Habit) -> Target:
    if target is None:  # as the ORM's .one(): a habit always has its current level
        raise NoResultFound(f"habit {habit.id} has no level {habit.level}")
    return target


def current_target(session: Session, habit: Habit) -> Target:
    return _required(_read_basis(session, habit).target, habit)


def check_in(
    *,
    session: Session,
    client: User,
    habit: Habit,
    data: CheckInCreate,
    basis: CheckInBasis | None = None,
) -> HabitCheckIn:
    """Store a check-in once. Replaying the same id returns the stored row unchanged, even when
    the check-in would be refused now (a queued tap replayed days later). `basis`: read with the
    habit (`habit_to_check_in`), else read here.

    The row goes in through a Core insert that skips an id already taken (`_insert_new`), so a
    replay is found by the insert itself: no SELECT before it, no SAVEPOINT around it, no ORM
    flush (the object returned is only the answer, built from the values inserted). The data
    version is bumped here, as the flush would have bumped it.
    """
    try:
        tapped_on = taps.local_day(data.tapped_at, tz=client.time_zone)  # today, unless queued
        on = data.on or tapped_on
        if not tapped_on - timedelta(days=BACKFILL_DAYS) <= on <= tapped_on:
            raise Unprocessable(_("You can check in for today or yesterday."), field="on")
        target, settled_on = basis if basis is not None else _read_basis(session, habit)
        target = _required(target, habit)
        if data.amount is not None and target.kind is not TargetKind.AMOUNT:
            raise Unprocessable(
                _("This habit is not counted in amounts: leave the amount empty."), field="amount"
            )
    except (Unprocessable, NoResultFound):
        existing = session.get(HabitCheckIn, data.id)  # a replay is answered before any check
        if existing is None:
            raise
        return _same_or_conflict(existing, habit)
    today = today_for(client)
    values = check_in_values(client=client, habit=habit, data=data, on=on)
    connection = session.connection()
    if connection.execute(_insert_new(connection.dialect.name), values).first() is None:
        # A replay, or the same id arriving twice at once (a retried offline write): keep the first.
        again = session.get(HabitCheckIn, data.id)
        if again is None:  # taken by the insert's check, gone now: the first one was undone
            raise NoResultFound(f"check-in {data.id} was taken and is gone")
        return _same_or_conflict(again, habit)
    data_version.bump(session, [client.id])
    suggestions.after_check_in(
        session=session, habit=habit, day=on, today=today, tz=client.time_zone
    )
    if not summary.up_to_date(settled_on, today, changed_from=on):
        summary.refresh(session=session, habit=habit, today=today, changed_from=on)
    session.commit()
    return prebuilt.transient(HabitCheckIn, values)


def check_in_values(
    *, client: User, habit: Habit, data: CheckInCreate, on: date
) -> dict[str, object]:
    """Every column of the new check-in, as `HabitCheckIn(...)` would set them (its defaults
    included): the insert's parameters and the answer's attributes, without building the ORM
    object first (~50–100 µs per check-in, issue #19)."""
    return {
        "id": data.id,
        "habit_id": habit.id,
        "client_id": client.id,
        "done_on": on,
        "outcome": data.outcome.value,
        "reason": data.reason.value if data.reason else None,
        "level": habit.level,
        "confidence": data.confidence,
        "pleasure": data.pleasure,
        "mastery": data.mastery,
        "amount": float(data.amount) if data.amount is not None else None,
        "note": data.note or None,
        "created_at": clock.now(),
    }


@functools.cache
def _insert_new(dialect_name: str) -> Executable:
    """INSERT … ON CONFLICT (id) DO NOTHING RETURNING id, built once per dialect: a taken id
    inserts and returns no row and raises nothing, so the transaction stays usable on PostgreSQL,
    where a failed insert would abort it. A concurrent insert of the same id is waited for, then
    skipped. RETURNING says whether the row went in (rowcount came back -1 on PostgreSQL)."""
    table: Table = HabitCheckIn.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    if dialect_name == "postgresql":
        pg = postgresql.insert(table).on_conflict_do_nothing(index_elements=["id"])
        return pg.returning(table.c.id)
    lite = sqlite.insert(table).on_conflict_do_nothing(index_elements=["id"])
    return lite.returning(table.c.id)


def undo_check_in(
    *, session: Session, client: User, habit: Habit, check_in_id: uuid.UUID
) -> HabitCheckIn | None:
    """Take back the habit's last check-in, made today: a mis-tap, not a rewrite of history.

    Older check-ins stay (the therapist has seen them; the grading judged them). Undoing twice
    (a retried request) finds nothing and changes nothing. The summary and any waiting
    suggestion are re-judged by the same rules as a check-in, so the habit reads as if the tap
    had never been made.
    """
    row = session.get(HabitCheckIn, check_in_id)
    if row is None:
        return None
    if row.habit_id != habit.id:
        raise NotFound()
    today = today_for(client)
    last = session.exec(
        select(HabitCheckIn)
        .where(HabitCheckIn.habit_id == habit.id)
        .order_by(col(HabitCheckIn.created_at).desc())
    ).first()
    if last is None or last.id != row.id:
        raise Conflict(_("Only the latest check-in of a habit can be undone."))
    if row.created_at.astimezone(clock.zone(client.time_zone)).date() != today:
        raise Conflict(_("A check-in can be undone on the day it was made."))
    session.delete(row)
    session.flush()
    if row.done_on < week_start(today):  # a back-fill into a judged week: judge it again
        suggestions.supersede_pending(session=session, habit=habit)
        suggestions.refresh(session=session, habit=habit, today=today)
    summary.refresh(session=session, habit=habit, today=today, changed_from=row.done_on)
    audit.add(
        session,
        actor=client,
        client_id=client.id,
        action="habit.check_in.undo",
        detail=f"habit {habit.id}, {row.done_on.isoformat()}",
    )
    session.commit()
    return row


def _same_or_conflict(existing: HabitCheckIn, habit: Habit) -> HabitCheckIn:
    if existing.habit_id != habit.id:
        raise Conflict(_("This check-in id is already used for something else."))
    return existing


def archive(*, session: Session, habit: Habit) -> None:
    """Stop a habit; its history stays for the therapist (clinical records are not deleted)."""
    habit.archived_at = clock.now()
    session.add(habit)
    reminders_link.remove_habit(session=session, habit=habit)
    session.commit()


def get_habit(session: Session, habit_id: uuid.UUID) -> Habit:
    habit = session.get(Habit, habit_id)
    if habit is None:
        raise NotFound()
    return habit


# Built once: every route on a client's own habit loads it first (the check-in most often). Every
# column through Core, the instance then built by `prebuilt.persistent`: the ORM select built once
# cost ~88 µs, about half of `session.get`'s work, and mostly its loading path (issue #19).
_HABIT_COLUMNS = tuple(Habit.__table__.columns)  # type: ignore[attr-defined]  # SQLModel sets it
_HABIT_KEYS = tuple(c.key for c in _HABIT_COLUMNS)
_LEVEL_AT = _HABIT_KEYS.index("level")
_OWN_HABIT = core_select(*_HABIT_COLUMNS).where(col(Habit.id) == _HABIT)
# The check-in's loader reads the habit with its `CheckInBasis`, in the dependencies' read: the
# write transaction then runs one statement fewer. Reading it there decides the same: a level's
# row never changes once written; a summary another write settles meanwhile is settled to the
# same day, and one found not current is read again by `summary.refresh` before it folds.
_HABIT_TO_CHECK_IN = (
    core_select(*_HABIT_COLUMNS, *history.TARGET_COLUMNS, summary.SETTLED_ON)
    .select_from(Habit)
    .outerjoin(
        HabitLevel,
        and_(col(HabitLevel.habit_id) == col(Habit.id), col(HabitLevel.number) == col(Habit.level)),
    )
    .where(col(Habit.id) == _HABIT)
)


def get_habit_for(session: Session, *, client_id: uuid.UUID, habit_id: uuid.UUID) -> Habit:
    """The client's habit, persistent in `session` as an ORM select would leave it."""
    row = prebuilt.first(session, _OWN_HABIT, habit_id=habit_id)
    if row is None:
        raise NotFound()
    return _own(session, client_id, row)


def _own(session: Session, client_id: uuid.UUID, columns: Sequence[Any]) -> Habit:
    habit = prebuilt.persistent(session, Habit, dict(zip(_HABIT_KEYS, columns, strict=True)))
    if habit.client_id != client_id:
        raise NotFound()
    return habit


class HabitToCheckIn(NamedTuple):
    """The check-in route's loaded habit (`dependencies.own_habit_to_check_in`)."""

    habit: Habit
    basis: CheckInBasis | None  # None: the check-in reads it itself


def habit_to_check_in(
    session: Session, *, client_id: uuid.UUID, habit_id: uuid.UUID
) -> HabitToCheckIn:
    """`get_habit_for` with the check-in's basis, in one statement."""
    row = prebuilt.first(session, _HABIT_TO_CHECK_IN, habit_id=habit_id)
    if row is None:
        raise NotFound()
    count = len(_HABIT_KEYS)
    habit = _own(session, client_id, row[:count])
    # An instance the session already held may be at another level than the row: read it then.
    same = habit.level == row[_LEVEL_AT]
    return HabitToCheckIn(habit, _basis_of(row[count:]) if same else None)


def active_habits(session: Session, client_id: uuid.UUID) -> list[Habit]:
    return list(
        session.exec(
            select(Habit)
            .where(Habit.client_id == client_id, col(Habit.archived_at).is_(None))
            .order_by(col(Habit.created_at))
        )
    )


def set_reminder(*, session: Session, habit: Habit, at: time | None) -> Habit:
    """One reminder time a day (or none); paused or done days stay silent via reminder_source."""
    habit.reminder_time = at
    session.add(habit)
    level = session.exec(
        select(HabitLevel).where(HabitLevel.habit_id == habit.id, HabitLevel.number == habit.level)
    ).one()
    reminders_link.sync_habit(session=session, habit=habit, level_text=level.description)
    session.commit()
    session.refresh(habit)
    return habit
