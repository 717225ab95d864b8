"""Pages composed from every domain: the client's Today and the therapist's client overview.

A domain contributes by providing `today.py` (`today_section`) or `overview.py` (`client_overview`);
each returns a `Section` rendered by including its template with its context. Shared (not in
`home`), like `app/records.py`: every domain builds sections, and the therapist's overview page
lives in accounts, so a home-owned type made accounts and home import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from app.domains import plugins

if TYPE_CHECKING:  # a name only: at run time this shared module imports no domain
    from app.accounts.models import User


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


TodaySection = Section
OverviewSection = Section


@cache
def _today_modules() -> tuple[ModuleType, ...]:
    """Each domain's `today` module, found once: discovery asks the import system about every
    domain (`find_spec`), which cost more per request than some sections' queries. The set of
    domains is fixed for the life of the process."""
    return tuple(module for _domain, module in plugins("today"))


def today_sections(*, session: Session, client: User, day: date, now: datetime) -> list[Section]:
    sections = []
    for module in _today_modules():
        section = module.today_section(session=session, client=client, day=day, now=now)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)


@cache
def _overview_modules() -> tuple[ModuleType, ...]:
    """Each domain's `overview` module, found once (as `_today_modules`)."""
    return tuple(module for _domain, module in plugins("overview"))


def client_overview_sections(*, session: Session, client: User, now: datetime) -> list[Section]:
    sections = []
    for module in _overview_modules():
        section = module.client_overview(session=session, client=client, now=now)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)


@dataclass(frozen=True)
class LibraryLink:
    """A therapist's library entry (templates, ladders, strategies…), from a domain's `library.py`."""

    title: str
    description: str
    href: str
    order: int = 50


def library_links() -> list[LibraryLink]:
    links = [m.LINK for _d, m in plugins("library") if hasattr(m, "LINK")]
    return sorted(links, key=lambda link: link.order)
