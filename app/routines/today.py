"""The Routines part of the client's Today: due routines in time order with "4 of 6 steps"."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from app.accounts.models import User
from app.i18n import N_
from app.routines import queries
from app.sections import Section, TodaySection, local_day

# The section shows the client's watched rows as of their local day, nothing else: its HTML is
# kept while they are unchanged (app/sections.py).
today_inputs = local_day


def today_section(
    *, session: Session, client: User, day: date, now: datetime
) -> TodaySection | None:
    rows = queries.today_rows(session, client.id, day)
    return Section(
        key="routines",
        title=N_("Routines"),  # translated where shown (home/today.html)
        template="routines/_today.html",
        context={"rows": rows, "day": day, "now": now},
        order=10,
    )
