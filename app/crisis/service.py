"""Crisis help by country: every ISO 3166-1 country, its own emergency numbers, checked lines only.

Two reviewed data files (never generated at run time):
- `content/emergency_numbers.yaml`: every country's emergency numbers, made from libphonenumber's
  short-number metadata by `tools/make_emergency_numbers.py` and re-checked by the tests;
- `content/crisis_lines.yaml`: crisis lines an authoritative source confirms, each with its
  source URL and the date it was checked there.

A country never borrows another's lines or numbers: without a checked line it gets its own
emergency number and an honest "no checked line yet" with a link to a helpline directory.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, computed_field

from app import countries

log = logging.getLogger(__name__)

CONTENT = Path(__file__).parent / "content"
LINES_FILE = CONTENT / "crisis_lines.yaml"
NUMBERS_FILE = CONTENT / "emergency_numbers.yaml"
# Find A Helpline lists checked services in many countries; shown only where we have none.
DIRECTORY_URL = "https://findahelpline.com"
DIRECTORY_NAME = "Find A Helpline"
# Every entry is re-checked at its source at least this often (docs/crisis.md).
RECHECK_AFTER = timedelta(days=365)
DEFAULT_LANGUAGE = "en"


class CrisisLine(BaseModel):
    name: str
    # Keyed by language ("en", "es"): the text is data, not template copy.
    descriptions: dict[str, str]
    phone: str | None = None
    sms: str | None = None
    sms_body: str | None = None
    source: str
    checked_on: date

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented ignore for a decorated property
    @property
    def description(self) -> str:
        return self.descriptions.get(DEFAULT_LANGUAGE, "")

    def description_in(self, language: str) -> str:
        return self.descriptions.get(language) or self.description

    @property
    def source_host(self) -> str:
        """The source's site, as shown beside the line ("samaritans.org")."""
        host = urlsplit(self.source).hostname or self.source
        return host.removeprefix("www.")

    @property
    def tel_href(self) -> str | None:
        return f"tel:{self.phone.replace(' ', '')}" if self.phone else None

    @property
    def sms_href(self) -> str | None:
        if not self.sms:
            return None
        body = f"?&body={self.sms_body}" if self.sms_body else ""
        return f"sms:{self.sms.replace(' ', '')}{body}"


class CountryLines(BaseModel):
    """What one country's crisis page shows. `lines` are only that country's checked lines."""

    code: str
    name: str
    emergency_numbers: list[str]
    emergency_checked_on: date | None = None
    lines: list[CrisisLine]
    directory_url: str | None = None

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented ignore for a decorated property
    @property
    def emergency(self) -> str | None:
        """The first number to call (None only where no emergency number is known)."""
        return self.emergency_numbers[0] if self.emergency_numbers else None

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented ignore for a decorated property
    @property
    def has_checked_lines(self) -> bool:
        return bool(self.lines)


class CrisisDirectory(BaseModel):
    reviewed_on: date
    numbers_source: str
    numbers_source_url: str
    numbers_checked_on: date
    names: dict[str, str]
    numbers: dict[str, list[str]]
    curated_numbers: dict[str, list[str]]
    lines: dict[str, list[CrisisLine]]

    @property
    def verified_on(self) -> str:
        """The most recent review of the crisis data as a whole (shown on pages)."""
        return self.reviewed_on.isoformat()


def _line(entry: dict[str, Any]) -> CrisisLine:
    entry = dict(entry)
    description = entry.pop("description")
    descriptions = description if isinstance(description, dict) else {"en": description}
    return CrisisLine(descriptions={str(k): str(v) for k, v in descriptions.items()}, **entry)


@lru_cache
def directory() -> CrisisDirectory:
    curated = yaml.safe_load(LINES_FILE.read_text())
    generated = yaml.safe_load(NUMBERS_FILE.read_text())
    names = countries.names()
    unknown = sorted(set(curated["countries"]) - names.keys())
    if unknown:  # a typo ("UK") would otherwise leave that country's lines silently unshown
        raise ValueError(f"crisis_lines.yaml: not ISO 3166-1 alpha-2 codes: {unknown}")
    return CrisisDirectory(
        reviewed_on=curated["reviewed_on"],
        numbers_source=generated["source"],
        numbers_source_url=generated["source_url"],
        numbers_checked_on=generated["checked_on"],
        names=names,
        numbers={code: [str(n) for n in nums] for code, nums in generated["countries"].items()},
        curated_numbers={
            code: [str(n) for n in entry["emergency"]]
            for code, entry in curated["countries"].items()
            if entry.get("emergency")
        },
        lines={
            code: [_line(line) for line in entry.get("lines") or []]
            for code, entry in curated["countries"].items()
        },
    )


def for_country(code: str | None, language: str = DEFAULT_LANGUAGE) -> CountryLines | None:
    """That country's own help (its name in `language`), or None when no (known) country is
    given — never a default country's lines: the caller asks the person to choose instead."""
    d = directory()
    key = (code or "").upper()
    if key not in d.names:
        return None
    lines = d.lines.get(key, [])
    curated = d.curated_numbers.get(key)
    return CountryLines(
        code=key,
        name=countries.country_name(key, language),
        emergency_numbers=curated or d.numbers.get(key, []),
        emergency_checked_on=d.reviewed_on if curated else d.numbers_checked_on,
        lines=lines,
        directory_url=None if lines else DIRECTORY_URL,
    )


def no_country() -> CountryLines:
    """Nobody's country is known (logged out, none chosen): no numbers at all rather than a
    default country's, and the directory link."""
    return CountryLines(
        code="", name="", emergency_numbers=[], lines=[], directory_url=DIRECTORY_URL
    )


def due_for_recheck(now: datetime) -> list[tuple[str, CrisisLine]]:
    """(country, line) whose check is more than a year old at `now`: the yearly re-check list,
    shown to clinic managers and logged once a day (jobs.py). Lines stay shown meanwhile — an old
    number is still far likelier right than no number."""
    today = now.date()
    return [
        (code, line)
        for code, lines in sorted(directory().lines.items())
        for line in lines
        if today - line.checked_on > RECHECK_AFTER
    ]


def log_recheck_reminder(now: datetime) -> None:
    stale = due_for_recheck(now)
    if stale:
        log.warning(
            "crisis lines due for their yearly re-check: %s",
            ", ".join(f"{code} {line.name} (checked {line.checked_on})" for code, line in stale),
        )
