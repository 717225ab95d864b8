"""Today, while a diary week runs: the parts of the day so far, each filled in with one tap.

Two small statements built once (app/prebuilt.py): the running week, then today's entries only
when there is one, so a client without a diary week pays one indexed read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, select
from sqlmodel import Session, col

from app import prebuilt
from app.accounts.models import User
from app.i18n import lazy_gettext
from app.occupation import diary
from app.occupation.models import DiaryEntry, DiaryWeek
from app.sections import Section

_CLIENT: BindParameter[uuid.UUID] = bindparam("client_id")
_RUNNING = (
    select(col(DiaryWeek.starts_on))
    .where(
        col(DiaryWeek.client_id) == _CLIENT,
        col(DiaryWeek.starts_on) <= bindparam("day"),
        col(DiaryWeek.starts_on) > bindparam("week_ago"),
    )
    .order_by(col(DiaryWeek.starts_on).desc())
    .limit(1)
)
_TODAY = select(col(DiaryEntry.block), col(DiaryEntry.category), col(DiaryEntry.activity)).where(
    col(DiaryEntry.client_id) == _CLIENT, col(DiaryEntry.done_on) == bindparam("day")
)


@dataclass(frozen=True, slots=True)
class Block:
    key: str
    label: str
    category: str | None
    activity: str
    form_id: uuid.UUID  # fresh per render: a resent tap is stored once

    @property
    def done_label(self) -> str:
        return self.activity or diary.CATEGORY_LABELS.get(self.category or "", "")


def today_section(*, session: Session, client: User, day: date, now: datetime) -> Section | None:
    starts_on = prebuilt.scalar(
        session,
        _RUNNING,
        client_id=client.id,
        day=day,
        week_ago=day - timedelta(days=diary.DAYS_IN_WEEK),
    )
    if starts_on is None:
        return None
    filled = {
        r.block: (r.category, r.activity)
        for r in prebuilt.rows(session, _TODAY, client_id=client.id, day=day)
    }
    current = diary.block_of_hour(now.astimezone(ZoneInfo(client.time_zone)).hour)
    keys = [key for key, _ in diary.BLOCKS]
    # The parts of the day so far; in the small hours only the night (the rest is still ahead).
    shown = diary.BLOCKS[: keys.index(current) + 1]
    if current == "night" and now.astimezone(ZoneInfo(client.time_zone)).hour < 12:
        shown = diary.BLOCKS[-1:]
    blocks = [Block(key, label, *filled.get(key, (None, "")), uuid.uuid4()) for key, label in shown]
    return Section(
        key="occupation",
        # Shown by the page that gathers the sections: translated when it is rendered.
        title=cast(str, lazy_gettext("Activity diary")),
        template="occupation/_today.html",
        context={
            "blocks": blocks,
            "day": day,
            "day_number": (day - starts_on).days + 1,
            "categories": diary.CATEGORIES,
        },
        order=45,
    )
