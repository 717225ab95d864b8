"""Text built before the page is rendered, translated when it is shown.

Flag reasons and score flags are computed (and the domains' signals cached, `row_cache`) before
`render` knows the reader's language, so they are kept as lazy strings: each becomes text in the
language of the render under way, every time it is shown (a therapist and a colleague may read
the same cached reason in two languages).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, cast

from app import i18n


def lazy_gettext(message: str, **params: Any) -> str:
    """`gettext(message, **params)` when shown; typed as the str it becomes. Named as
    `app.i18n.lazy_gettext` so `make messages` extracts its messages."""
    return i18n.lazy_text(message, **params)


def built(make: Callable[[], str]) -> str:
    """Any text assembled when shown (e.g. lazy parts joined)."""
    return cast(str, i18n.LazyText(make))


def day(value: date | datetime) -> str:
    """A short date ("06 Dec" / "06 dic") in the language of the render."""
    return cast(str, i18n.LazyText(i18n.format_date, value, "dd MMM"))
