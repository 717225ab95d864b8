"""Schedules in, outbox rows out: the seam source domains call (SEAMS.md, seam 4).

``sync_schedule`` / ``remove_schedule`` / ``notify_now`` / ``client_time_zone_changed`` run inside
the *caller's* transaction and only flush: the source domain's service commits once, with its own
change, so a routine and its reminders can never disagree after a crash.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import User
from app.i18n import N_
from app.reminders import planner
from app.reminders.models import ItemStatus, ReminderItem, ReminderSchedule
from app.reminders.outbox import materialise

# Kind -> its name in words, in English; translated where shown (`_(label)`).
KINDS: dict[str, str] = {
    "routine": N_("routines"),
    "habit": N_("habits"),
    "homework": N_("homework"),
    "sensory_diet": N_("sensory diet"),
    "mood_log": N_("mood check-ins"),
}


def _times_text(local_times: Sequence[time]) -> str:
    walls = sorted({t.replace(second=0, microsecond=0, tzinfo=None) for t in local_times})
    return ",".join(t.strftime("%H:%M") for t in walls)


def sync_schedule(
    *,
    session: Session,
    client_id: uuid.UUID,
    kind: str,
    source_id: uuid.UUID,
    title: str,
    body: str,
    url: str,
    local_times: Sequence[time],
    rrule: str | None,
    only_if_not_done: bool,
    active: bool,
    starts_on: date | None = None,
) -> ReminderSchedule:
    """Create or replace the schedule of one source item and re-plan its upcoming occurrences.

    `starts_on` anchors the RRULE (an "every 2 days" routine counts from its own first day);
    without it the rule counts from today in the client's zone.

    Raises ValueError for an unknown kind, no times, more than 12 times, or an unreadable RRULE.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    if active and not local_times:
        raise ValueError("an active schedule needs at least one time of day")
    if len(local_times) > 12:
        raise ValueError("at most 12 reminder times per item")
    now = clock.now()
    zone = _client_zone(session, client_id)
    start_on = starts_on or now.astimezone(zone).date()
    if rrule:
        planner.parse_rrule(rrule, start_on)
    schedule = session.exec(
        select(ReminderSchedule).where(
            ReminderSchedule.kind == kind, ReminderSchedule.source_id == source_id
        )
    ).first()
    if schedule is None:
        schedule = ReminderSchedule(
            client_id=client_id,
            kind=kind,
            source_id=source_id,
            start_on=start_on,
            title=title,
            local_times="",
        )
        session.add(schedule)
    elif schedule.rrule != rrule or (starts_on is not None and schedule.start_on != starts_on):
        schedule.start_on = start_on  # a new rule counts (COUNT, INTERVAL) from its anchor
    schedule.client_id = client_id
    schedule.title, schedule.body, schedule.url = title[:200], body[:500], url[:500]
    schedule.local_times = _times_text(local_times)
    schedule.rrule = rrule or None
    schedule.only_if_not_done = only_if_not_done
    schedule.active = active
    schedule.updated_at = now
    session.flush()
    _drop_unsent(session, [schedule.id], now)
    schedule.planned_until_at = None
    if active:
        schedule.planned_until_at = materialise(
            session=session, schedules=[schedule], zones={client_id: zone}, now=now
        )
    session.flush()
    return schedule


def remove_schedule(*, session: Session, kind: str, source_id: uuid.UUID) -> None:
    """The source item went away: stop its reminders (sent history stays in the inbox)."""
    ids = list(
        session.exec(
            select(ReminderSchedule.id).where(
                ReminderSchedule.kind == kind, ReminderSchedule.source_id == source_id
            )
        )
    )
    if not ids:
        return
    now = clock.now()
    _drop_unsent(session, ids, now, include_due=True)
    session.exec(
        update(ReminderSchedule)
        .where(col(ReminderSchedule.id).in_(ids))
        .values(active=False, planned_until_at=None, updated_at=now)
    )
    session.flush()


def notify_now(
    *,
    session: Session,
    client_id: uuid.UUID,
    kind: str,
    source_id: uuid.UUID,
    title: str,
    body: str,
    url: str,
) -> ReminderItem:
    """A one-off message due at once (e.g. homework assigned or changed); same channels and inbox."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    now = clock.now()
    zone = _client_zone(session, client_id)
    item = ReminderItem(
        client_id=client_id,
        kind=kind,
        source_id=source_id,
        occurrence_key=f"now:{uuid.uuid4().hex}",
        local_day=now.astimezone(zone).date(),
        title=title[:200],
        body=body[:500],
        url=url[:500],
        only_if_not_done=False,
        planned_at=now,
        due_at=now,
    )
    session.add(item)
    session.flush()
    return item


def client_time_zone_changed(*, session: Session, client_id: uuid.UUID) -> None:
    """Hook for accounts: re-plan a client's upcoming reminders in their new zone (keeps 08:00 08:00).

    Call it after the new ``User.time_zone`` is set, in the same transaction, before committing.
    """
    now = clock.now()
    schedules = list(
        session.exec(
            select(ReminderSchedule).where(
                col(ReminderSchedule.client_id) == client_id, col(ReminderSchedule.active).is_(True)
            )
        )
    )
    _drop_unsent(session, [s.id for s in schedules], now)
    zone = _client_zone(session, client_id)
    for schedule in schedules:
        schedule.planned_until_at = None
    until = materialise(session=session, schedules=schedules, zones={client_id: zone}, now=now)
    for schedule in schedules:
        schedule.planned_until_at = until
    session.flush()


def _client_zone(session: Session, client_id: uuid.UUID) -> ZoneInfo:
    name = session.exec(select(User.time_zone).where(User.id == client_id)).one()
    return ZoneInfo(name)


def _drop_unsent(
    session: Session, schedule_ids: list[uuid.UUID], now: datetime, *, include_due: bool = False
) -> None:
    """Delete occurrences nobody has tried to send yet, so re-planning writes them afresh.

    Rows already attempted (retries) or snoozed by the client are kept as they are.
    """
    if not schedule_ids:
        return
    stmt = delete(ReminderItem).where(
        col(ReminderItem.schedule_id).in_(schedule_ids),
        col(ReminderItem.status) == ItemStatus.pending,
        col(ReminderItem.attempts) == 0,
        col(ReminderItem.snoozed).is_(False),
    )
    if not include_due:
        stmt = stmt.where(col(ReminderItem.planned_at) >= now)
    session.exec(stmt)
