"""Today: the sensory-diet items due on the client's local day, with a quick check-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import BindParameter, and_, bindparam, or_, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.i18n import N_, use_language
from app.sections import Section, local_day, render_id
from app.sensory import diet
from app.sensory.catalog import activities
from app.sensory.diet_service import cautions_for, planned
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem
from app.sensory.words import activity_title


@dataclass(frozen=True)
class TodayRow:
    item: object
    checkoff: object
    cautions: list[str]
    therapist_taught_only: bool
    new_id: uuid.UUID


@dataclass(frozen=True)
class _Checkoff:
    felt_after: str


_DAY: BindParameter[date] = bindparam("day")
# Built once (app/prebuilt.py): the plan's current items (as `diet_service.list_items`), only the
# columns Today and the cautions use, with the day's check-off joined (at most one per item and
# day): one statement instead of two, and no ORM objects.
_ITEMS = (
    select(
        col(SensoryDietItem.id),
        col(SensoryDietItem.activity_id),
        col(SensoryDietItem.title),
        col(SensoryDietItem.notes),
        col(SensoryDietItem.local_time),
        col(SensoryDietItem.days_mask),
        col(SensoryDietItem.minutes),
        col(SensoryDietItem.effect),
        col(SensoryDietItem.course),
        col(SensoryDietItem.starts_on),
        col(SensoryDietItem.ends_on),
        col(SensoryDietCheckoff.id).label("checkoff_id"),
        col(SensoryDietCheckoff.felt_after),
    )
    .outerjoin(
        SensoryDietCheckoff,
        and_(
            col(SensoryDietCheckoff.item_id) == SensoryDietItem.id,
            col(SensoryDietCheckoff.done_on) == _DAY,
        ),
    )
    .where(
        col(SensoryDietItem.client_id) == bindparam("client_id"),
        or_(col(SensoryDietItem.ends_on).is_(None), col(SensoryDietItem.ends_on) >= _DAY),
    )
    .order_by(col(SensoryDietItem.local_time), col(SensoryDietItem.title))
)


# The section shows the client's watched rows as of their local day, nothing else: its HTML is
# kept while they are unchanged (app/sections.py).
today_inputs = local_day


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:  # noqa: ARG001
    # Rows stand in for the item: they carry every column the item template, `planned` and
    # `cautions_for` read.
    due: list[Any] = [
        item
        for item in prebuilt.rows(session, _ITEMS, client_id=client.id, day=day)
        if diet.is_due_on(planned(cast(SensoryDietItem, item)), day)
    ]
    if not due:
        return None
    lib = activities()
    # Today is the client's own page: its words are in the client's language.
    with use_language(client.language):
        cautions = [cautions_for(cast(SensoryDietItem, item)) for item in due]
        titles = [activity_title(item.activity_id, item.title) for item in due]
    return Section(
        key="sensory",
        title=N_("Sensory diet"),
        template="sensory/today_section.html",
        context={
            "rows": [
                # A fresh id per render: the phone's check-off carries it, so a resend is stored once.
                TodayRow(
                    item,
                    _Checkoff(item.felt_after) if item.checkoff_id is not None else None,
                    item_cautions,
                    bool(item.activity_id in lib and lib[item.activity_id].therapist_taught_only),
                    render_id(),
                )
                for item, item_cautions in zip(due, cautions, strict=True)
            ],
            "day": day,
            # A library activity's name in the client's language; their own titles as written.
            "titles": dict(zip([item.id for item in due], titles, strict=True)),
            "felt_labels": diet.FELT_LABELS,
        },
        order=30,
    )
