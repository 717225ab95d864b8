"""Which strategies a person can see: the built-in library, their clinic's and their own.

Everything is turned into one plain dict shape (`strategy_view`) used by the ranking, the pages, the
JSON API and the offline copy on the phone, so all four agree on what a strategy is.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.coping import library_words
from app.coping.library import Strategy, load_library
from app.coping.models import CustomStrategy
from app.coping.ranking import Candidate

StrategyView = dict[str, Any]


def _builtin_view(s: Strategy, language: str) -> StrategyView:
    return {
        "id": s.id,
        "title": library_words.title(s, language),
        "kind": s.kind,
        "minutes": s.minutes,
        "systems": list(s.systems),
        "effect": s.effect,
        "level_min": s.distress.min,
        "level_max": s.distress.max,
        "places": list(s.places),
        "needs": list(s.needs),
        "cautions": library_words.cautions(s, language),
        "steps": library_words.steps(s, language),
        "guide": s.guide.model_dump(mode="json"),
        "custom": False,
    }


@cache
def builtin_views(language: str = "en") -> tuple[StrategyView, ...]:
    """The built-in library in `language` (English where a word is not translated)."""
    return tuple(_builtin_view(s, language) for s in load_library().strategies)


@cache
def builtin_by_id() -> dict[str, StrategyView]:
    return {v["id"]: v for v in builtin_views()}


def custom_view(row: CustomStrategy) -> StrategyView:
    guide: dict[str, Any] = (
        {"type": "timer", "seconds": row.timer_seconds} if row.timer_seconds else {"type": "steps"}
    )
    return {
        "id": str(row.id),
        "title": row.title,
        "kind": row.kind,
        "minutes": row.minutes,
        "systems": list(row.systems),
        "effect": "calming",
        "level_min": row.level_min,
        "level_max": row.level_max,
        "places": list(row.places),
        "needs": [],
        "cautions": list(row.cautions),
        "steps": list(row.steps),
        "guide": guide,
        "custom": True,
        "personal": row.client_id is not None,
    }


def custom_rows(session: Session, client: User) -> list[CustomStrategy]:
    """The client's own strategies and their clinic's, not archived. One query."""
    owners = [col(CustomStrategy.client_id) == client.id]
    if client.organisation_id is not None:
        owners.append(
            (col(CustomStrategy.organisation_id) == client.organisation_id)
            & col(CustomStrategy.client_id).is_(None)
        )
    stmt = (
        select(CustomStrategy)
        .where(or_(*owners), col(CustomStrategy.archived_at).is_(None))
        .order_by(col(CustomStrategy.created_at))
    )
    return list(session.exec(stmt))


def catalog(session: Session, client: User | None, language: str = "en") -> list[StrategyView]:
    """Every strategy the client may use; built-in words in `language` (what people wrote as is)."""
    views = list(builtin_views(language))
    if client is not None:
        views += [custom_view(r) for r in custom_rows(session, client)]
    return views


def find(session: Session, client: User, key: str) -> StrategyView | None:
    """One strategy this client may use, by key (library slug or custom UUID)."""
    if key in builtin_by_id():
        return builtin_by_id()[key]
    try:
        sid = uuid.UUID(key)
    except ValueError:
        return None
    row = session.get(CustomStrategy, sid)
    if row is None or row.archived_at is not None:
        return None
    mine = row.client_id == client.id
    clinic = row.client_id is None and row.organisation_id == client.organisation_id
    return custom_view(row) if (mine or clinic) else None


def candidate(view: StrategyView) -> Candidate:
    return Candidate(
        id=view["id"],
        kind=view["kind"],
        systems=frozenset(view["systems"]),
        minutes=view["minutes"],
        level_min=view["level_min"],
        level_max=view["level_max"],
        places=frozenset(view["places"]),
        needs=frozenset(view["needs"]),
        channels=tuple(view["systems"]),
    )


@cache
def builtin_candidates() -> tuple[Candidate, ...]:
    return tuple(candidate(v) for v in builtin_views())
