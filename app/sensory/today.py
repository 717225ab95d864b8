"""Today: the sensory-diet items due on the client's local day, with a quick check-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, or_
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.home.sections import Section
from app.sensory import diet
from app.sensory.catalog import activities
from app.sensory.diet_service import cautions_for, planned
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem


@dataclass(frozen=True)
class TodayRow:
    item: object
    checkoff: object
    cautions: list[str]
    therapist_taught_only: bool
    new_id: uuid.UUID


_DAY = bindparam("day")
# Built once (app/home/sql.py): the plan's current items (as `diet_service.list_items`) with the
# day's check-off joined (at most one per item and day), in one statement instead of two.
_ITEMS = (
    select(SensoryDietItem, SensoryDietCheckoff)
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


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:  # noqa: ARG001
    # ORM objects here (the item templates and cautions read them), but only a plan's few rows.
    due = [
        (item, checkoff)
        for item, checkoff in session.exec(_ITEMS, params={"client_id": client.id, "day": day})
        if diet.is_due_on(planned(item), day)
    ]
    if not due:
        return None
    lib = activities()
    return Section(
        key="sensory",
        title="Sensory diet",
        template="sensory/today_section.html",
        context={
            "rows": [
                # A fresh id per render: the phone's check-off carries it, so a resend is stored once.
                TodayRow(
                    item,
                    checkoff,
                    cautions_for(item),
                    bool(item.activity_id in lib and lib[item.activity_id].therapist_taught_only),
                    uuid.uuid4(),
                )
                for item, checkoff in due
            ],
            "day": day,
            "felt_labels": diet.FELT_LABELS,
        },
        order=30,
    )
