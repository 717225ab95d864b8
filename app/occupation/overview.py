"""The therapist's client page: where the care cycle stands (profile, ratings, plan review date)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import BindParameter, bindparam, func, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.i18n import lazy_gettext
from app.occupation.models import OccupationProfile, PlanGoal, RatingRound
from app.sections import Section

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
# One statement: three scalar subqueries, so the client page pays one round trip.
_GLANCE = select(
    select(func.max(OccupationProfile.version))
    .where(col(OccupationProfile.client_id) == _CLIENT)
    .scalar_subquery()
    .label("profile_version"),
    select(func.count())
    .select_from(RatingRound)
    .where(col(RatingRound.client_id) == _CLIENT)
    .scalar_subquery()
    .label("rounds"),
    select(func.min(PlanGoal.review_on))
    .where(col(PlanGoal.client_id) == _CLIENT)
    .scalar_subquery()
    .label("next_review_on"),
)


def client_overview(*, session: Session, client: User, now: datetime) -> Section | None:
    del now
    row = prebuilt.first(session, _GLANCE, client_id=client.id)
    assert row is not None
    return Section(
        key="occupation",
        # Shown by the page that gathers the sections: translated when it is rendered.
        title=cast(str, lazy_gettext("Assessment and care plan")),
        template="occupation/_overview.html",
        context={
            "profile_version": row.profile_version,
            "rounds": row.rounds,
            "next_review_on": row.next_review_on,
            "href": f"/caseload/{client.id}/occupation",
        },
        order=55,
    )
