"""Sensory diet: plan items at local times, check them off, and report adherence and arousal.

Days are the client's local calendar days (their IANA zone), never UTC dates. Writes commit once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from app import clock, taps, versioning
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, Unprocessable
from app.i18n import N_, current_language
from app.i18n import gettext as _
from app.sensory import diet, diet_edits, reminders_link
from app.sensory.catalog import activities
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from app.sensory.words import activities_in, shared_caution
from app.web_security import Principal

BACKDATE_DAYS = 7


class DietError(Unprocessable):
    """A plan that cannot be saved; `field` names the form field to show the problem beside."""

    def __init__(self, field_name: str, detail: str) -> None:
        super().__init__(detail, field=field_name)


def mask_of(days: Iterable[int]) -> int:
    return sum(1 << d for d in set(days))


def days_of(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))


def planned(row: SensoryDietItem) -> diet.PlannedItem:
    return diet.PlannedItem(
        id=row.id,
        title=row.title,
        at=row.local_time,
        days=days_of(row.days_mask),
        minutes=row.minutes,
        effect=row.effect,  # type: ignore[arg-type]  # checked on write (schemas.EffectId, CourseId); the column is str
        course=row.course,  # type: ignore[arg-type]  # checked on write (schemas.EffectId, CourseId); the column is str
        starts_on=row.starts_on,
        ends_on=row.ends_on,
    )


def cautions_for(row: SensoryDietItem) -> list[str]:
    """The library activity's cautions; for a custom item, the weighted-item and therapist-taught
    cautions when its words show it is one (people write their own titles)."""
    language = current_language()
    activity = activities_in(language).get(row.activity_id or "")
    if activity is not None:
        return list(activity.cautions)
    text = f"{row.title} {row.notes}".lower()
    found = []
    if "weight" in text:
        found.append(shared_caution("weighted", language))
    if "brush" in text or "compression" in text:
        found.append(shared_caution("therapist_taught", language))
    return found


@dataclass(frozen=True)
class DietInput:
    """A diet item as asked for; blanks are filled from the library activity when one is named."""

    local_time: time
    days: frozenset[int]
    activity_id: str | None = None
    title: str | None = None
    minutes: int | None = None
    effect: str | None = None
    course: str | None = None
    notes: str = ""
    remind: bool = False


def _resolve(data: DietInput) -> dict[str, object]:
    activity = activities().get(data.activity_id) if data.activity_id else None
    if data.activity_id and activity is None:
        raise DietError("activity_id", _("That activity is not in the library."))
    title = data.title or (activity.title if activity else None)
    if not title:
        raise DietError("title", _("Give the activity a name, or pick one from the library."))
    if not data.days or min(data.days) < 0 or max(data.days) > 6:
        raise DietError("days", _("Choose at least one day."))
    minutes = data.minutes or (activity.minutes if activity else 5)
    if not 1 <= minutes <= 120:
        raise DietError("minutes", _("Minutes must be between 1 and 120."))
    effect = data.effect or (activity.effect if activity else None)
    course = data.course or (activity.course if activity else None)
    if effect not in ("calming", "alerting") or course not in ("main_course", "snack"):
        raise DietError(
            "effect", _("Say whether it is calming or alerting, and a main course or a snack.")
        )
    return {
        "activity_id": data.activity_id,
        "title": title,
        "local_time": data.local_time.replace(second=0, microsecond=0, tzinfo=None),
        "days_mask": mask_of(data.days),
        "minutes": minutes,
        "effect": effect,
        "course": course,
        "notes": data.notes.strip(),
        "remind": data.remind,
    }


def list_items(
    session: Session, *, client: User, include_ended: bool = False
) -> list[SensoryDietItem]:
    """The client's plan in time order; ended items only when asked for (history, reports)."""
    query = select(SensoryDietItem).where(SensoryDietItem.client_id == client.id)
    if not include_ended:
        today = clock.local_today(client.time_zone)
        query = query.where(
            or_(col(SensoryDietItem.ends_on).is_(None), col(SensoryDietItem.ends_on) >= today)
        )
    return list(
        session.exec(query.order_by(col(SensoryDietItem.local_time), col(SensoryDietItem.title)))
    )


def create_item(
    session: Session,
    *,
    principal: Principal,
    client: User,
    data: DietInput,
    item_id: uuid.UUID | None = None,
) -> SensoryDietItem:
    """Add an item to the plan. Replaying the same id returns the stored item (offline-safe)."""
    if item_id is not None:
        existing = session.get(SensoryDietItem, item_id)
        if existing is not None:
            if existing.client_id != client.id:
                raise Conflict("That id is already in use.")
            return existing
    row = SensoryDietItem(
        **_resolve(data),  # type: ignore[arg-type]  # _resolve returns the item's validated column values
        client_id=client.id,
        starts_on=clock.local_today(client.time_zone),
        created_by_id=principal.id,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    if item_id is not None:
        row.id = item_id
    session.add(row)
    session.flush()
    reminders_link.sync(session, client=client, item=row)
    audit.add(session, actor=principal.user, client_id=client.id, action="sensory.diet.create")
    session.commit()
    return row


def update_item(
    session: Session,
    *,
    principal: Principal,
    client: User,
    item: SensoryDietItem,
    data: DietInput,
    expected: versioning.Expected = None,
) -> SensoryDietItem:
    """`expected`: the versions the person edited from; a newer item that differs raises
    EditConflict (nothing saved)."""
    resolved = _resolve(data)
    versioning.require(
        expected,
        what="sensory diet activity",
        version=item.version,
        fields=diet_edits.FIELDS,
        yours=diet_edits.readable(resolved),
        current=diet_edits.snapshot(item),
    )
    for key, value in resolved.items():
        setattr(item, key, value)
    item.updated_at = clock.now()
    item.version += 1
    session.add(item)
    reminders_link.sync(session, client=client, item=item)
    audit.add(session, actor=principal.user, client_id=client.id, action="sensory.diet.update")
    session.commit()
    return item


def end_item(
    session: Session,
    *,
    principal: Principal,
    client: User,
    item: SensoryDietItem,
    expected: versioning.Expected = None,
) -> None:
    """Take an item out of the plan from today on; its history stays for the therapist.
    An item never checked off is removed outright (it was most likely a slip). One changed since
    the person last saw it stays (EditConflict shows it as it is now)."""
    versioning.require_unchanged(
        expected,
        what="sensory diet activity",
        version=item.version,
        fields=diet_edits.FIELDS,
        current=diet_edits.snapshot(item),
    )
    today = clock.local_today(client.time_zone)
    done_days = session.exec(
        select(col(SensoryDietCheckoff.done_on)).where(SensoryDietCheckoff.item_id == item.id)
    ).all()
    reminders_link.remove(session, item=item)
    if not done_days:
        session.delete(item)
    else:
        item.ends_on = today if today in done_days else today - timedelta(days=1)
        item.updated_at = clock.now()
        item.version += 1
        session.add(item)
    audit.add(session, actor=principal.user, client_id=client.id, action="sensory.diet.end")
    session.commit()


def check_off(
    session: Session,
    *,
    principal: Principal,
    client: User,
    item: SensoryDietItem,
    felt_after: diet.Felt,
    felt_before: diet.Felt | None = None,
    on: date | None = None,
    checkoff_id: uuid.UUID | None = None,
    tapped_at: datetime | None = None,
) -> SensoryDietCheckoff:
    """Record the item as done on a local day with "how do I feel now". One row per item and day:
    the same id again returns it; a second check-off that day updates how they felt."""
    if checkoff_id is not None:  # a replay is answered first: it must not age out of the window
        replay = session.get(SensoryDietCheckoff, checkoff_id)
        if replay is not None:
            if replay.item_id != item.id:
                raise Conflict("That id is already in use.")
            return replay
    today = clock.local_today(client.time_zone)
    day = on or taps.local_day(tapped_at, tz=client.time_zone)
    if day > today or day < today - timedelta(days=BACKDATE_DAYS):
        raise Unprocessable(
            _("You can check off today or up to %(days)s days back.", days=BACKDATE_DAYS)
        )
    row = session.exec(
        select(SensoryDietCheckoff).where(
            SensoryDietCheckoff.item_id == item.id, SensoryDietCheckoff.done_on == day
        )
    ).first()
    if row is None:
        row = SensoryDietCheckoff(
            item_id=item.id,
            client_id=client.id,
            done_on=day,
            felt_after=felt_after,
            created_by_id=principal.id,
            created_at=clock.now(),
        )
        if checkoff_id is not None:
            row.id = checkoff_id
    row.felt_after = felt_after
    row.felt_before = felt_before
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        # Two taps raced on the same item and day: the first one stands.
        session.rollback()
        raise Conflict(N_("This was just checked off.")) from None
    return row


def undo_check_off(session: Session, *, client: User, item: SensoryDietItem, on: date) -> None:
    row = session.exec(
        select(SensoryDietCheckoff).where(
            SensoryDietCheckoff.item_id == item.id,
            SensoryDietCheckoff.done_on == on,
            SensoryDietCheckoff.client_id == client.id,
        )
    ).first()
    if row is not None:
        session.delete(row)
        session.commit()
