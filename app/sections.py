"""Pages composed from every domain: the client's Today and the therapist's client overview.

A domain contributes by providing `today.py` (`today_section`) or `overview.py` (`client_overview`);
each returns a `Section`: its template rendered with its context. Today's sections are drawn here
(and kept, see `today_sections`); the overview's are included by the page's template. Shared (not in
`home`), like `app/records.py`: every domain builds sections, and the therapist's overview page
lives in accounts, so a home-owned type made accounts and home import each other.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Hashable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper
from sqlmodel import Session

from app import data_version, templates, write_marks
from app.db import is_secret
from app.domains import plugins
from app.lru import Lru

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


@dataclass(frozen=True)
class Reader:
    """Whom a Today page is drawn for, beyond the client's own rows: the page's language and the
    session's CSRF token, which every form on it carries."""

    language: str
    csrf: str


@dataclass(frozen=True)
class DrawnSection:
    """A Today section as the page shows it: the card's heading (translated when the page is
    rendered) and the section's HTML."""

    key: str
    title: str
    html: Markup
    order: int


# Sections drawn before, kept while nothing they show can have changed (`today_sections`). A Today
# view is ~6 such sections of 1–10 KB: this holds the last few hundred clients' pages.
MEMO_SIZE = 2048


# A kept section is drawn again after this long whatever the marks say: the one window no ordering
# closes is a process dying between its commit and its marks' second change (app/write_marks.py).
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class _Kept:
    drawn: DrawnSection | None  # None: the domain had nothing to show today
    ids: tuple[str, ...]  # the form ids (`render_id`) drawn into its HTML, in the order drawn
    at: float  # when it was drawn (time.monotonic)


_kept: Lru[Hashable, _Kept] = Lru(MEMO_SIZE)
_drawn_ids: ContextVar[list[str] | None] = ContextVar("drawn_ids", default=None)


def render_id() -> uuid.UUID:
    """A fresh id for one form of one view of Today: the phone sends it with the form, so a resend
    is stored once. A section kept by the memo is served with new ones each time, exactly as if
    it had been drawn again."""
    value = uuid.uuid4()
    drawn = _drawn_ids.get()
    if drawn is not None:
        drawn.append(str(value))
    return value


def nothing_else(*, client: User, day: date, now: datetime) -> None:
    """`today_inputs` for a section that shows only its rows, whatever the day or hour (the
    reminders inbox: what came due, with times in the client's zone, which their row holds)."""
    del client, day, now


def local_day(*, client: User, day: date, now: datetime) -> date:
    """`today_inputs` for a section that shows the client's watched rows as of their local day
    and depends on nothing else (most do): such a domain declares `today_inputs = local_day`."""
    del client, now
    return day


def forget_drawn_sections() -> None:
    """Drop every kept section (tests compare a kept view with one drawn from scratch)."""
    _kept.clear()


def today_sections(
    *, session: Session, client: User, day: date, now: datetime, reader: Reader
) -> list[DrawnSection]:
    """Every domain's Today section, drawn. A domain whose `today` module declares
    `today_inputs` (what its section shows besides the client's watched rows: the day, the part
    of the day…) promises that the section reads nothing else; its HTML is then kept and reused
    while the client's data, their own account row, the reader and those inputs are all unchanged
    (docs/architecture.md, "Today's kept sections").

    The client's data is judged by their write mark (app/write_marks.py), read before anything
    else, with no statement; or, where there are no marks or the session already holds a
    transaction (its snapshot may predate the mark), by their data version, read in that
    transaction. A module may also declare `today_marks`: named write marks for rows it reads
    that are not the client's versioned rows (the reminders inbox, which the dispatcher writes);
    its section is kept only when judged by marks, whose values then join its key."""
    judged = _judged_by(session, client)
    shared = (client.id, *judged[0], _row_digest(client), reader)  # in every kept section's key
    drawn: list[DrawnSection] = []
    for module in _today_modules():
        inputs = getattr(module, "today_inputs", None)
        marks: tuple[int, ...] = getattr(module, "today_marks", ())
        named = judged[1]
        if inputs is None or (marks and named is None):
            section = _draw(module, session=session, client=client, day=day, now=now, reader=reader)
        else:
            seen = tuple(named[slot] for slot in marks) if named is not None else ()
            key = (module.__name__, *shared, *seen, inputs(client=client, day=day, now=now))
            section = _kept_or_drawn(
                key, module, session=session, client=client, day=day, now=now, reader=reader
            )
        if section is not None:
            drawn.append(section)
    return sorted(drawn, key=lambda s: s.order)


def _judged_by(
    session: Session, client: User
) -> tuple[tuple[Hashable, ...], dict[int, bytes] | None]:
    """What the client's kept sections are judged by: ("mark", their write mark's value) and the
    values of the named marks Today's modules declare, read now, before any row; or, without
    usable marks, ("version", their data version) and None (no named marks: sections that
    declare some are drawn)."""
    marks = write_marks.for_session(session)
    if marks is None or write_marks.reading(session):
        return ("version", data_version.version_of(session, client.id)), None
    client_mark = marks.read(write_marks.of_client(client.id))
    named = {slot: marks.read(slot) for slot in _declared_marks()}
    return ("mark", client_mark), named


@cache
def _declared_marks() -> frozenset[int]:
    return frozenset(
        slot for module in _today_modules() for slot in getattr(module, "today_marks", ())
    )


def _draw(
    module: ModuleType, *, session: Session, client: User, day: date, now: datetime, reader: Reader
) -> DrawnSection | None:
    section: Section | None = module.today_section(session=session, client=client, day=day, now=now)
    if section is None:
        return None
    html = templates.render_fragment(
        section.template, {"ctx": section.context}, language=reader.language, csrf=reader.csrf
    )
    return DrawnSection(key=section.key, title=section.title, html=html, order=section.order)


def _kept_or_drawn(
    key: Hashable,
    module: ModuleType,
    *,
    session: Session,
    client: User,
    day: date,
    now: datetime,
    reader: Reader,
) -> DrawnSection | None:
    kept = _kept.get(key)
    if kept is not None and time.monotonic() - kept.at < MAX_AGE_SECONDS:
        return _with_fresh_ids(kept)
    ids: list[str] = []
    token = _drawn_ids.set(ids)
    try:
        section = _draw(module, session=session, client=client, day=day, now=now, reader=reader)
    finally:
        _drawn_ids.reset(token)
    _kept.put(key, _Kept(section, tuple(ids), time.monotonic()))
    return section


def _with_fresh_ids(kept: _Kept) -> DrawnSection | None:
    """The kept section with each of its form ids replaced by a new one, drawn in the same order
    as a new render would draw them (uuid4 text appears nowhere else by chance)."""
    if kept.drawn is None or not kept.ids:
        return kept.drawn
    html = str(kept.drawn.html)
    for old in kept.ids:
        html = html.replace(old, str(render_id()))
    return replace(kept.drawn, html=Markup(html))  # kept HTML; the ids are uuid text


@cache
def _column_keys(model: type) -> tuple[str, ...]:
    """Its columns but secrets (`db.is_secret`): no section shows them, and a row kept in
    process (app/accounts/kept_sessions.py) leaves them unloaded."""
    mapper: Mapper[Any] = sa_inspect(model)
    return tuple(
        attr.key for attr in mapper.column_attrs if not any(is_secret(c) for c in attr.columns)
    )


def _row_digest(client: User) -> bytes:
    """Every column of the client's account row but its secrets, as a digest: a section may show
    any of them (name, time zone, language), and the row is not versioned. A digest, so the
    memo's keys hold no copy of the row."""
    values = tuple(getattr(client, name) for name in _column_keys(type(client)))
    return hashlib.blake2b(repr(values).encode(), digest_size=16).digest()


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
