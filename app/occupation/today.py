"""Today, while a diary week runs: the parts of the day so far, each filled in with one tap.

Two small statements built once (app/prebuilt.py): the running week, then today's entries only
when there is one, so a client without a diary week pays one indexed read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
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
from app.sections import Section, render_id

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


def _shown(client: User, now: datetime) -> Sequence[tuple[str, str]]:
    """The parts of the day so far; in the small hours only the night (the rest is still ahead)."""
    hour = now.astimezone(ZoneInfo(client.time_zone)).hour
    current = diary.block_of_hour(hour)
    if current == "night" and hour < 12:
        return diary.BLOCKS[-1:]
    keys = [key for key, _ in diary.BLOCKS]
    return diary.BLOCKS[: keys.index(current) + 1]


def today_inputs(*, client: User, day: date, now: datetime) -> tuple[date, tuple[str, ...]]:
    """The client's watched rows as of their local day, and which parts of the day have begun
    (app/sections.py keeps the section's HTML while these are unchanged)."""
    return day, tuple(key for key, _label in _shown(client, now))


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
    blocks = [
        Block(key, label, *filled.get(key, (None, "")), render_id())
        for key, label in _shown(client, now)
    ]
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
