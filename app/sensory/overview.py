"""The therapist's client page: the sensory summary and this week's diet at a glance."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.accounts.models import User
from app.home.sections import Section
from app.sensory import diet, diet_queries, diet_service, service
from app.sensory.profile import summarize


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    row = service.latest_profile(session, client.id)
    items = diet_service.list_items(session, client, include_ended=True)
    if row is None and not items:
        lines: list[str] = []
    else:
        lines = list(summarize(service.answers_of(row), name=client.preferred_name).lines)[:4]
    today = diet.local_day_of(now, diet_queries.zone(client))
    week = diet_queries.week_adherence(session, client, items, today)
    return Section(
        key="sensory",
        title="Senses",
        template="sensory/overview_section.html",
        context={"lines": lines, "week": week, "href": f"/caseload/{client.id}/sensory"},
        order=60,
    )
