"""The therapist's client page: the sensory summary and this week's diet at a glance.

The same reads as `service.latest_profile`, `diet_service.list_items(include_ended=True)` and
`diet_queries.week_adherence`, with column statements built once at import (building a statement
cost more than running these small ones) and run through Core (`session.connection()`, no ORM
loading context); the week's check-offs are read only when there are items."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlmodel import Session, col

from app.accounts import policy
from app.accounts.models import RecordKind, User
from app.i18n import N_
from app.sections import Section
from app.sensory import diet, diet_queries, service
from app.sensory.diet_service import days_of
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem, SensoryProfileVersion
from app.sensory.profile import summarize

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
_P = SensoryProfileVersion
_LATEST_PROFILE = (
    select(col(_P.responses), col(_P.triggers), col(_P.calming), col(_P.alerting), col(_P.notes))
    .where(col(_P.client_id) == _CLIENT)
    .order_by(col(_P.version).desc())
    .limit(1)
)
_I = SensoryDietItem
_ITEMS = (
    select(
        col(_I.id),
        col(_I.title),
        col(_I.local_time),
        col(_I.days_mask),
        col(_I.minutes),
        col(_I.effect),
        col(_I.course),
        col(_I.starts_on),
        col(_I.ends_on),
    )
    .where(col(_I.client_id) == _CLIENT)
    .order_by(col(_I.local_time), col(_I.title))
)
_CHECKOFFS = select(col(SensoryDietCheckoff.item_id), col(SensoryDietCheckoff.done_on)).where(
    col(SensoryDietCheckoff.client_id) == _CLIENT,
    col(SensoryDietCheckoff.done_on) >= bindparam("start"),
    col(SensoryDietCheckoff.done_on) <= bindparam("today"),
)


def _planned(row: Any) -> diet.PlannedItem:
    """As `diet_service.planned`, from the selected columns."""
    return diet.PlannedItem(
        id=row.id,
        title=row.title,
        at=row.local_time,
        days=days_of(row.days_mask),
        minutes=row.minutes,
        effect=row.effect,
        course=row.course,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
    )


def _week(
    session: Session, client: User, items: list[diet.PlannedItem], today: date
) -> diet.Adherence:
    """This local week so far (Monday to today), as `diet_queries.week_adherence`."""
    if not items:
        return diet.Adherence()
    start = diet.week_start(today)
    checkoffs = [
        diet.CheckOff(item_id, on, "just_right")
        for item_id, on in session.connection().execute(
            _CHECKOFFS, {"client_id": client.id, "start": start, "today": today}
        )
    ]
    per_item = diet.adherence(items, checkoffs, start, today)
    return diet.total_adherence(per_item.values())


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    db = session.connection()
    params = {"client_id": client.id}
    private = RecordKind.sensory in policy.private_kinds(session, client.id)
    row = None if private else db.execute(_LATEST_PROFILE, params).first()
    items = [_planned(r) for r in db.execute(_ITEMS, params)]
    answers = None if row is None else service.answers_of(row)  # type: ignore[arg-type]  # a Row of the profile's columns, read by name like the model

    def lines() -> list[str]:
        """Worded when the therapist's page renders, so in the therapist's language."""
        if row is None and not items:
            return []
        return list(summarize(answers, name=client.preferred_name).lines)[:4]

    today = diet.local_day_of(now, diet_queries.zone(client))
    return Section(
        key="sensory",
        title=N_("Senses"),
        template="sensory/overview_section.html",
        context={
            "lines": lines,
            "week": _week(session, client, items, today),
            "href": f"/caseload/{client.id}/sensory",
        },
        order=60,
    )
