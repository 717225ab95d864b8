"""Discovery of reminder sources: every domain's ``reminder_source.py`` (SEAMS.md, seam 4).

A source module has ``KIND`` and ``still_due(*, session, source_id, local_day) -> bool``; it may add
``mark_done(*, session, source_id, local_day) -> bool`` so "Done" on a notification completes the
item itself (without it, Done acknowledges the reminder and opens the item).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date
from functools import cache
from types import ModuleType

from sqlmodel import Session

from app.domains import plugins

log = logging.getLogger("groundwork.reminders")

_overrides: dict[str, ModuleType | object] = {}


@cache
def _discovered() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for _domain, module in plugins("reminder_source"):
        kind = getattr(module, "KIND", None)
        if isinstance(kind, str):
            found[kind] = module
    return found


def register(kind: str, source: object) -> None:
    """Install a source by hand (tests, or a kind whose domain is absent)."""
    _overrides[kind] = source


def unregister(kind: str) -> None:
    _overrides.pop(kind, None)


def get(kind: str) -> object | None:
    return _overrides.get(kind) or _discovered().get(kind)


def still_due(*, session: Session, kind: str, source_id: uuid.UUID, local_day: date) -> bool:
    """Ask the source just before sending; a broken or missing source means "still due" so a
    bug elsewhere never silently swallows a reminder."""
    source = get(kind)
    check: Callable[..., bool] | None = getattr(source, "still_due", None)
    if check is None:
        return True
    try:
        return bool(check(session=session, source_id=source_id, local_day=local_day))
    except Exception:
        log.exception("still_due failed for %s %s", kind, source_id)
        session.rollback()
        return True


def mark_done(*, session: Session, kind: str, source_id: uuid.UUID, local_day: date) -> bool:
    """Complete the source item when its domain supports it; False when it does not."""
    done: Callable[..., bool] | None = getattr(get(kind), "mark_done", None)
    if done is None:
        return False
    return bool(done(session=session, source_id=source_id, local_day=local_day))
