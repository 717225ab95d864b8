"""The therapist's client page: the sensory summary and this week's diet at a glance.

The same reads as `service.latest_profile`, `diet_service.list_items(include_ended=True)` and
`diet_queries.week_adherence`, with statements built once at import (building a statement cost
more than running these small ones); the week's check-offs are read only when there are items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.home.sections import Section
from app.sensory import diet, diet_queries, service
from app.sensory.diet_service import planned
from app.sensory.models import SensoryDietCheckoff, SensoryDietItem, SensoryProfileVersion
from app.sensory.profile import summarize

_CLIENT = bindparam("client_id")
_LATEST_PROFILE = (
    select(SensoryProfileVersion)
    .where(SensoryProfileVersion.client_id == _CLIENT)
    .order_by(col(SensoryProfileVersion.version).desc())
    .limit(1)
)
_ITEMS = (
    select(SensoryDietItem)
    .where(SensoryDietItem.client_id == _CLIENT)
    .order_by(col(SensoryDietItem.local_time), col(SensoryDietItem.title))
)
_CHECKOFFS = select(col(SensoryDietCheckoff.item_id), col(SensoryDietCheckoff.done_on)).where(
    SensoryDietCheckoff.client_id == _CLIENT,
    col(SensoryDietCheckoff.done_on) >= bindparam("start"),
    col(SensoryDietCheckoff.done_on) <= bindparam("today"),
)


def _week(
    session: Session, client: User, items: list[SensoryDietItem], today: date
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
    per_item = diet.adherence([planned(i) for i in items], checkoffs, start, today)
    return diet.total_adherence(per_item.values())


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    params = {"client_id": client.id}
    row = session.exec(_LATEST_PROFILE, params=params).first()
    items = list(session.exec(_ITEMS, params=params))
    if row is None and not items:
        lines: list[str] = []
    else:
        lines = list(summarize(service.answers_of(row), name=client.preferred_name).lines)[:4]
    today = diet.local_day_of(now, diet_queries.zone(client))
    return Section(
        key="sensory",
        title="Senses",
        template="sensory/overview_section.html",
        context={
            "lines": lines,
            "week": _week(session, client, items, today),
            "href": f"/caseload/{client.id}/sensory",
        },
        order=60,
    )
