"""Languages: gettext catalogs (Babel), the language of the current request, and locale formatting.

Catalogs are read from `app/locale/<lang>/LC_MESSAGES/messages.po` once per process and compiled in
memory, so a stale committed `.mo` can never be served (about 30 ms once per process for the
Spanish catalog; docs/i18n.md). The language of what is being rendered lives in a context
variable: each request (and each thread a route runs in) has its own, so two people reading in
different languages never share state. Adding a language is a translation job: add its catalog
and its name to `LANGUAGES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from babel import Locale, dates, numbers
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations
from fastapi import Request
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pydantic import BaseModel

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "en"
# Code -> the language's own name (shown in the picker in that language, so anyone can find theirs).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}

# The CLDR locale each language's dates and numbers follow: Spanish is neutral Latin American, so
# "1,234.5" and "2:05 p.m." as in Mexico and the US rather than Spain's "1.234,5" and "14:05".
FORMAT_LOCALES: dict[str, str] = {"en": "en_GB", "es": "es_419"}

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def _catalog(language: str) -> Catalog | None:
    """A language's .po file, parsed once (English has none: its text is the message ids)."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po_path.is_file():
        return None
    with po_path.open("rb") as po:
        return read_po(po, locale=language)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog compiled in memory (about 30 ms for Spanish, once per process)."""
    catalog = _catalog(language)
    if catalog is None:
        return NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_language() -> str:
    return _language.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Render in `language` for the duration of the block (then the caller's language again)."""
    token = _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def gettext(message: str, **params: Any) -> str:
    """`message` in the current language, with `%(name)s` placeholders filled from `params`."""
    text = translations(current_language()).ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """The plural form for `n` in the current language; `%(num)s` is `n` unless given."""
    text = translations(current_language()).ungettext(singular, plural, n)
    return text % {"num": n, **params}


class LazyText(LazyProxy):
    """A `LazyProxy` (never cached: each showing is in the language of its render) that knows it
    equals another made by the same function from the same values, in every language, without
    translating either: the caseload dashboard compares every client's flag reasons on each
    request to reuse unchanged rows (`app/progress/row_memo.py`). Otherwise equal by value."""

    __slots__ = ()

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(func, *args, enable_cache=False, **kwargs)

    def __eq__(self, other: object) -> bool:
        if (
            type(other) is LazyText
            and other._func is self._func
            and other._args == self._args
            and other._kwargs == self._kwargs
        ):
            return True
        return bool(self.value == other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # as LazyProxy's: equal by value, so unhashable


def lazy_gettext(message: str, **params: Any) -> LazyProxy:
    """For text defined at import time (labels, problem titles): translated when it is shown."""
    return LazyText(gettext, message, **params)


def lazy_text(message: str, **params: Any) -> str:
    """`gettext(message, **params)` each time it is shown, typed as the text it becomes: for text
    computed (and perhaps cached) before the reader's language is known, e.g. a dashboard flag's
    reason read by two therapists in two languages."""
    return cast(str, LazyText(gettext, message, **params))


def lazy_ntext(singular: str, plural: str, n: int, **params: Any) -> str:
    """`ngettext(...)` each time it is shown (as `lazy_text`)."""
    return cast(str, LazyText(ngettext, singular, plural, n, **params))


_ = gettext


def N_(message: str) -> str:
    """Marks text for extraction only; it is translated later, where it is shown."""
    return message


# --- which language a request is in -------------------------------------------------------------

_QUALITY = re.compile(r"^q=([01](?:\.\d{0,3})?)$")


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, most wanted first (q=0 means "not this")."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        tag, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            match = _QUALITY.match(option)
            if match:
                quality = float(match.group(1))
        if tag and quality > 0:
            ranked.append((-quality, index, tag))
    return [tag for _q, _i, tag in sorted(ranked)]


def negotiate(header: str | None) -> str:
    """The best language we have for an Accept-Language header (`es-MX` -> `es`), else English."""
    for tag in parse_accept_language(header or ""):
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def request_language(request: Request) -> str:
    """The person's setting when logged in, else what their browser asks for.

    Reads only what is already loaded on the user row: an error answer after a rollback (the
    row expired) must never touch the database again, so it falls back to the browser's choice."""
    principal = getattr(request.state, "principal", None)
    user = getattr(principal, "user", None)
    chosen = vars(user).get("language") if user is not None else None
    if chosen in LANGUAGES:
        return str(chosen)
    return negotiate(request.headers.get("accept-language"))


_W = TypeVar("_W", bound=BaseModel)


def words_path(english: Path, language: str) -> Path:
    """Where built-in content's words in `language` are kept: beside the English file, as
    `<name>.<language>.yaml` (docs/i18n.md: the Spanish holds only words; ids and rules stay in the
    English)."""
    return english.with_name(f"{english.stem}.{language}.yaml")


def words_beside(english: Path, language: str, model: type[_W]) -> _W | None:
    """Built-in content's words in `language`, validated by the domain's own model; None for English
    and for a language without them (the English is shown). Callers cache it."""
    path = words_path(english, language)
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return None
    return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def adopt_request_language(request: Request) -> None:
    """From here to the end of this request, its handler and everything it calls speak the
    request's language: a form error, a refusal or a label built before the page is rendered comes
    out in the reader's language. Called once the principal is known (each request is its own
    task, so the setting ends with it)."""
    _language.set(request_language(request))


# --- locale formatting (Jinja filters) -----------------------------------------------------------


def _locale() -> Locale:
    return _babel_locale(current_language())


@cache
def _babel_locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(language, language))


def format_date(value: date | datetime | None, pattern: str = "medium") -> str:
    """A date in the current language's way (`medium`, `long`, or a CLDR pattern)."""
    return "" if value is None else dates.format_date(value, pattern, locale=_locale())


def friendly_date(value: date | datetime | None) -> str:
    """Weekday, day, month and year, short: "Sun 6 Dec 2026" / "dom 6 dic 2026"."""
    return format_date(value, "EEE d MMM y")


def format_datetime(value: datetime | None, pattern: str = "medium") -> str:
    """A moment (already on the reader's clock) in the current language's way."""
    return "" if value is None else dates.format_datetime(value, pattern, locale=_locale())


def format_time(value: datetime | None, pattern: str = "short") -> str:
    return "" if value is None else dates.format_time(value, pattern, locale=_locale())


def weekday_name(value: date | datetime, width: str = "wide") -> str:
    return dates.format_date(value, {"wide": "EEEE", "abbreviated": "EEE"}[width], locale=_locale())


def format_number(value: float | int) -> str:
    return numbers.format_decimal(value, locale=_locale())


# --- strings for the page's JavaScript --------------------------------------------------------------


@cache
def js_messages(language: str) -> dict[str, Any]:
    """The translated strings the scripts use (msgids extracted from web/static and web/sw), and
    the catalog's plural index for 0..199 (scripts cannot evaluate the Plural-Forms expression
    under our CSP; beyond 199 gettext rules repeat every hundred)."""
    catalog = _catalog(language)
    if catalog is None:
        return {}
    strings: dict[str, str | list[str]] = {}
    for message in catalog:
        from_script = any(path.endswith(".js") for path, _line in message.locations)
        if not (message.id and from_script and message.string):
            continue
        if isinstance(message.id, tuple | list):
            strings[message.id[0]] = list(message.string)
        else:
            strings[str(message.id)] = str(message.string)
    compiled = translations(language)
    assert isinstance(compiled, Translations)  # a catalog file exists for this language
    return {
        "lang": language,
        "strings": strings,
        "plural_index": [int(compiled.plural(n)) for n in range(200)],
    }


@cache
def js_messages_json(language: str) -> Markup:
    """`js_messages` serialised once per language for the page's data block (``<`` escaped, as
    Jinja's `tojson` does): every page carries it, so it must not cost a dump per request."""
    return htmlsafe_json_dumps(js_messages(language), sort_keys=True)
