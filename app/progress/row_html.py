"""The caseload dashboard's rows as HTML, kept while nothing they show has changed.

A row's HTML (`progress/_dashboard_row.html`) depends on the row, the reader's language and the
reader's time zone, nothing else. `row_memo` hands out the very same `Row` object for as long as a
client's inputs stay the same, so the HTML made for that object, language and zone is reused; a
changed row is a new object and is drawn afresh. Rendering 50 rows was about 40 % of a 200-client
dashboard's CPU (issue #19, docs/progress.md).

The rows come from the reader's own caseload (the page asks `dashboard.rows` for it), so a kept
row is only ever shown to someone who may see it, as it would have been drawn anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from jinja2 import Template
from markupsafe import Markup

from app import i18n
from app.lru import Lru
from app.progress.flags import Row
from app.templates import env

MAX_ENTRIES = 4096  # rows × languages × zones; a page shows 50

_Key = tuple[int, str, str]  # id(row), language, time zone


class RowHtml:
    """(row, language, zone) → the row's HTML, the least recently used forgotten first. The row
    object is kept with its HTML, so an id reused by a later object can never match."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._items: Lru[_Key, tuple[Row, Markup]] = Lru(size)

    def html(self, row: Row, zone: str) -> Markup:
        """The row drawn in the language of the render under way, times in `zone`."""
        key = (id(row), i18n.current_language(), zone)
        found = self._items.get(key)
        if found is not None and found[0] is row:
            return found[1]
        drawn = Markup(_template().render(r=row, zone=zone))
        self._items.put(key, (row, drawn))
        return drawn

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


ROWS = RowHtml()


def renderer(zone: str, rows: RowHtml = ROWS) -> Callable[[Row], Markup]:
    """`row_html(r)` for the dashboard template: each row in the reader's zone."""
    return lambda row: rows.html(row, zone)


@cache
def _template() -> Template:
    return env.get_template("progress/_dashboard_row.html")
