"""Countries: ISO 3166-1 names and the country of each IANA time zone.

Shared because two domains need the same list: accounts (the sign-up and settings picker, and the
check that a submitted country exists) and crisis (whose lines and emergency numbers are filed by
country). Neither should import the other for it.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import pycountry

ENGLISH = "en"  # names() are English; other languages come from pycountry's catalogs


def _country_name(country: Any) -> str:
    return str(getattr(country, "common_name", None) or country.name)


@cache
def names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the country's common name."""
    return {c.alpha_2: _country_name(c) for c in pycountry.countries}


def is_country(code: str | None) -> bool:
    return bool(code) and (code or "").upper() in names()


@cache
def _country_catalog(language: str) -> gettext.NullTranslations:
    """pycountry's own translations of ISO 3166-1 names (English needs none)."""
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, language: str = ENGLISH) -> str:
    """A country's name in `language` (English when pycountry has no translation)."""
    english = names()[code]
    if language == ENGLISH:
        return english
    country = pycountry.countries.get(alpha_2=code)
    official = str(getattr(country, "name", english))
    catalog = _country_catalog(language)
    translated = catalog.gettext(english)
    return translated if translated != english else catalog.gettext(official)


def country_choices(language: str = ENGLISH) -> list[tuple[str, str]]:
    """Every ISO 3166-1 country, by its name in `language` (the sign-up and settings picker);
    accents do not move a name to the end ("Åland Islands" sorts with the A's)."""
    return list(_sorted_choices(language))


@cache
def _sorted_choices(language: str) -> tuple[tuple[str, str], ...]:
    named = {code: country_name(code, language) for code in names()}
    return tuple(sorted(named.items(), key=lambda item: _sort_key(item[1])))


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@cache
def zone_countries() -> dict[str, str]:
    """IANA time zone -> ISO 3166-1 country, from tzdata's zone.tab: sign-up suggests the
    country of the phone's time zone rather than a fixed default, so a person who does not look
    at the picker still gets their own country's crisis help."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    known = names()
    out: dict[str, str] = {}
    for line in table.splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 3 or parts[0] not in known:
            continue
        out[parts[2]] = parts[0]
    return out
