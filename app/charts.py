"""Small server-side SVG charts, each with a text equivalent (summary + table).

Inline SVG works in the page, in print and in WeasyPrint's PDF without JavaScript or a CDN. Every
chart carries the same facts as a table so screen-reader users and the PDF's reader miss nothing.
Colours come from CSS classes (.chart-a, .chart-b, .heat-0..3) so dark mode can restyle them.
Words (summaries, headers, legends, dates) are in the language of the caller's `use_language`:
titles, series names and units arrive already translated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from app.i18n import N_, format_date, ngettext
from app.i18n import gettext as _

WIDTH = 320
HEIGHT = 160
PAD_LEFT = 28
PAD_BOTTOM = 22
PAD_TOP = 10
PAD_RIGHT = 8


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    points: Sequence[tuple[date, float]]


@dataclass(frozen=True, slots=True)
class HeatRow:
    label: str
    cells: Mapping[date, tuple[float, float]]  # day -> (planned, done); a partly done day is 0.5


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    svg: Markup
    summary: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    # The summary for a page: the same text, with the names in it (a routine's, a habit's, a
    # strategy's: shown as written, never translated) marked `data-authored` (docs/i18n.md).
    summary_html: Markup | None = None

    @property
    def empty(self) -> bool:
        return not self.rows


# Names inside a summary sentence are wrapped in these private-use characters while it is built,
# then become plain text (`summary`, the SVG's description) or a `data-authored` span (the page).
_NAME_START, _NAME_END = "\ue000", "\ue001"


def _named(name: str) -> str:
    return f"{_NAME_START}{name}{_NAME_END}"


def _summaries(marked: str) -> tuple[str, Markup]:
    plain = marked.replace(_NAME_START, "").replace(_NAME_END, "")
    html = str(escape(marked)).replace(_NAME_START, "<span data-authored>")
    return plain, Markup(html.replace(_NAME_END, "</span>"))


def _day(value: date) -> str:
    """A short axis or summary date: "01 Dec" / "01 dic"."""
    return format_date(value, "dd MMM")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# Presentation attributes: the PDF (WeasyPrint draws inline SVG without the page's CSS) and any
# reader without the stylesheet get these print colours; in the browser the CSS classes win
# (a CSS rule outranks a presentation attribute), so dark mode restyles them. Not inline style:
# the CSP allows these.
PAINT = {
    "axis": 'stroke="#444"',
    "tick": 'fill="#222" font-size="9"',
    "chart-a": 'stroke="#1d4e89" fill="#1d4e89" stroke-width="2"',
    "chart-b": 'stroke="#b4541a" fill="#b4541a" stroke-width="2"',
    "chart-c": 'stroke="#8a4200" fill="#8a4200" stroke-width="2"',
    "chart-d": 'stroke="#222" fill="#222" stroke-width="2"',
    "bar-before": 'fill="#1d4e89"',
    "bar-after": 'fill="#fff" stroke="#b4541a" stroke-width="2"',
    "heat-none": 'fill="#eee"',
    "heat-0": 'fill="#d9d9d9"',
    "heat-1": 'fill="#9ecae1"',
    "heat-2": 'fill="#4292c6"',
    "heat-3": 'fill="#08519c"',
    "heat-extra": 'fill="#222"',
}
_CLASS = re.compile(r'class="([a-z0-9-]+)"( fill="none")?')
_FILL = re.compile(r' fill="[^"]*"')


def _painted(match: str, cls: str, line: bool) -> str:
    """The class attribute followed by its print colours (a line keeps fill="none")."""
    paint = PAINT.get(cls, "")
    if line:
        paint = _FILL.sub("", " " + paint).strip()
    return f"{match} {paint}".rstrip()


# Every class the charts use, with and without fill="none", painted once at import: `_paint` then
# swaps each match by a dict lookup instead of rebuilding the same attributes per element.
_PAINTED = {
    f'class="{cls}"{fill}': _painted(f'class="{cls}"{fill}', cls, bool(fill))
    for cls in PAINT
    for fill in ("", ' fill="none"')
}


def _paint_match(m: re.Match[str]) -> str:
    found = m.group(0)
    painted = _PAINTED.get(found)
    if painted is None:  # a class without print colours
        painted = _painted(found, m.group(1), bool(m.group(2)))
    return painted


def _paint(body: str) -> str:
    return _CLASS.sub(_paint_match, body)


def _svg(key: str, title: str, body: str, height: int = HEIGHT, desc: str = "") -> Markup:
    """role="img" with a title and a description (the chart's summary) for assistive tech; the
    table beside it carries every value."""
    body = _paint(body)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(desc)}</desc>{body}</svg>'
    )


SERIES_CLASSES = ("chart-a", "chart-b", "chart-c", "chart-d")
DASHES = ("", ' stroke-dasharray="5 3"', ' stroke-dasharray="2 2"', ' stroke-dasharray="8 3 2 3"')


def _marker(index: int, cls: str, cx: float, cy: float) -> str:
    """A different shape per series (circle, square, triangle, diamond): never colour alone."""
    shape = index % 4
    if shape == 0:
        return f'<circle class="{cls}" cx="{cx:.1f}" cy="{cy:.1f}" r="3" />'
    if shape == 1:
        return f'<rect class="{cls}" x="{cx - 3:.1f}" y="{cy - 3:.1f}" width="6" height="6" />'
    if shape == 2:
        return (
            f'<polygon class="{cls}" points="{cx:.1f},{cy - 3.5:.1f} {cx + 3.5:.1f},'
            f'{cy + 3:.1f} {cx - 3.5:.1f},{cy + 3:.1f}" />'
        )
    return (
        f'<polygon class="{cls}" points="{cx:.1f},{cy - 4:.1f} {cx + 4:.1f},{cy:.1f} '
        f'{cx:.1f},{cy + 4:.1f} {cx - 4:.1f},{cy:.1f}" />'
    )


def line_chart(
    *,
    key: str,
    title: str,
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    unit: str = "",
    empty: str = N_("No ratings in this period."),
    step: bool = False,
    noun: str = "rating",
) -> Chart:
    """Lines over dates (mood and energy, habit levels, GAS T over time). Each series has its own
    dash pattern and marker shape, named in a legend; `step` draws a level held until it changes."""
    series = [s for s in series if s.points] or list(series[:1])
    days = sorted({d for s in series for d, _ in s.points})
    rows = [(d.isoformat(), *(_value_on(s, d) for s in series)) for d in days]
    headers = (_("Date"), *(s.name for s in series))
    if not days:
        return Chart(key, title, Markup(""), _(empty), headers, [])
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    legend_rows = (len(series) + 1) // 2 if len(series) > 1 else 0
    height = HEIGHT + 14 * legend_rows

    def x(d: date) -> float:
        return PAD_LEFT + plot_w * ((d - first).days / span if len(days) > 1 else 0.5)

    def y(v: float) -> float:
        return PAD_TOP + plot_h * (1 - (v - y_min) / ((y_max - y_min) or 1))

    parts = [
        f'<line class="axis" x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{PAD_TOP + plot_h}" />',
        f'<text class="tick" x="2" y="{PAD_TOP + 8}">{_fmt(y_max)}</text>',
        f'<text class="tick" x="2" y="{PAD_TOP + plot_h}">{_fmt(y_min)}</text>',
        f'<text class="tick" x="{PAD_LEFT}" y="{HEIGHT - 6}">{escape(_day(first))}</text>',
        f'<text class="tick" x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 6}" text-anchor="end">'
        f"{escape(_day(last))}</text>",
    ]
    summaries = []
    for index, s in enumerate(series):
        cls = SERIES_CLASSES[index % len(SERIES_CLASSES)]
        pts = sorted(s.points)
        if not pts:
            continue
        coords: list[str] = []
        for i, (d, v) in enumerate(pts):
            if step and i:
                coords.append(f"{x(d):.1f},{y(pts[i - 1][1]):.1f}")
            coords.append(f"{x(d):.1f},{y(v):.1f}")
        dash = DASHES[index % len(DASHES)]
        parts.append(f'<polyline class="{cls}" fill="none" points="{" ".join(coords)}"{dash} />')
        parts += [_marker(index, cls, x(d), y(v)) for d, v in pts]
        if legend_rows:
            lx = PAD_LEFT + (index % 2) * (plot_w / 2)
            ly = HEIGHT + 14 * (index // 2) + 2
            parts.append(
                f'<line class="{cls}" x1="{lx:.1f}" y1="{ly:.1f}" x2="{lx + 16:.1f}" y2="{ly:.1f}"'
                f"{dash} />{_marker(index, cls, lx + 8, ly)}"
                f'<text data-authored="" class="tick" x="{lx + 20:.1f}" y="{ly + 3:.1f}">'
                f"{escape(s.name[:22])}</text>"
            )
        count = (
            ngettext("%(num)s rating", "%(num)s ratings", len(pts))
            if noun == "rating"
            else f"{len(pts)} {noun}"
        )
        summaries.append(
            _(
                "%(series)s: %(first)s on %(first_day)s to %(last)s on %(last_day)s (%(count)s)",
                series=_named(s.name),
                first=_fmt(pts[0][1]) + unit,
                first_day=_day(pts[0][0]),
                last=_fmt(pts[-1][1]) + unit,
                last_day=_day(pts[-1][0]),
                count=count,
            )
        )
    summary, summary_html = _summaries("; ".join(summaries) + ".")
    return Chart(
        key,
        title,
        _svg(key, title, "".join(parts), height, summary),
        summary,
        headers,
        rows,
        summary_html,
    )


def _value_on(series: Series, day: date) -> str:
    values = [v for d, v in series.points if d == day]
    return _fmt(values[-1]) if values else "-"


HEAT_WORDS = (N_("none done"), N_("some done"), N_("most done"), N_("all done"))


def heat_map(
    *,
    key: str,
    title: str,
    days: Sequence[date],
    rows: Sequence[HeatRow],
    unit: str = N_("planned times"),
) -> Chart:
    """One row per routine or habit, one cell per day. The share of planned done shows twice, as
    a shade and as the height of the filled part of the cell, so it never relies on colour alone."""
    headers = (_("Item"), _("Done"), _("Planned"))
    table: list[tuple[str, ...]] = []
    if not rows or not days:
        return Chart(key, title, Markup(""), _("Nothing was planned in this period."), headers, [])
    label_w = 90
    cell = max(1.5, min(18.0, (WIDTH - label_w - 4) / len(days)))
    gap = 1.0 if cell >= 4 else 0.0
    legend_y = PAD_TOP + 20 * len(rows) + 18
    height = int(legend_y + 18)
    index_of = {day: i for i, day in enumerate(days)}
    parts = []
    total_planned = total_done = extra_done = 0.0
    extra = 0
    for r_index, row in enumerate(rows):
        y = PAD_TOP + 20 * r_index
        parts.append(
            f'<text data-authored="" class="tick" x="0" y="{y + 12}">{escape(row.label[:14])}</text>'
        )
        planned = done = 0.0
        for day, (p, d) in sorted(row.cells.items()):
            if day not in index_of:
                continue
            planned += p
            done += min(d, p) if p else d
            x = label_w + index_of[day] * cell
            if p == 0:
                parts.append(
                    f'<rect class="heat-none" x="{x:.1f}" y="{y}" width="{cell - gap:.1f}" '
                    'height="16" />'
                )
                if d:  # done on a day not planned (a "times a week" habit): a dot, not a shade
                    extra += 1
                    extra_done += d
                    r = max(0.8, min(3.0, (cell - gap) / 2 - 0.5))
                    parts.append(
                        f'<circle class="heat-extra" cx="{x + (cell - gap) / 2:.1f}" '
                        f'cy="{y + 8}" r="{r:.1f}" />'
                    )
                continue
            level = min(3, round(3 * min(d, p) / p))
            parts.append(
                f'<rect class="heat-0" x="{x:.1f}" y="{y}" width="{cell - gap:.1f}" height="16" />'
            )
            if level:
                h = 16 * level / 3
                parts.append(
                    f'<rect class="heat-{level}" x="{x:.1f}" y="{y + 16 - h:.1f}" '
                    f'width="{cell - gap:.1f}" height="{h:.1f}" />'
                )
        total_planned += planned
        total_done += done
        table.append((row.label, _fmt(done), _fmt(planned)))
    base = PAD_TOP + 20 * len(rows)
    parts.append(f'<text class="tick" x="{label_w}" y="{base + 8}">{escape(_day(days[0]))}</text>')
    parts.append(
        f'<text class="tick" x="{WIDTH - 2}" y="{base + 8}" text-anchor="end">'
        f"{escape(_day(days[-1]))}</text>"
    )
    for level, word in enumerate(HEAT_WORDS):
        lx = 4 + level * 78
        h = 10 * level / 3
        parts.append(f'<rect class="heat-0" x="{lx}" y="{legend_y - 9}" width="10" height="10" />')
        if level:
            parts.append(
                f'<rect class="heat-{level}" x="{lx}" y="{legend_y + 1 - h:.1f}" '
                f'width="10" height="{h:.1f}" />'
            )
        parts.append(f'<text class="tick" x="{lx + 13}" y="{legend_y}">{escape(_(word))}</text>')
    if extra:
        not_planned = _("done on a day not planned")
        height += 14
        parts.append(
            f'<circle class="heat-extra" cx="9" cy="{legend_y + 10}" r="3" />'
            f'<text class="tick" x="17" y="{legend_y + 13}">{escape(not_planned)}</text>'
        )
    # A parenthesis of its own (its own plural), inside the sentence's placeholder.
    also = (
        ngettext(
            " (and %(num)s time on days not planned)",
            " (and %(num)s times on days not planned)",
            extra,
        )
        if extra
        else ""
    )
    summary = ngettext(
        "%(done)s of %(planned)s %(unit)s done%(also)s across %(num)s item from %(start)s to %(end)s.",
        "%(done)s of %(planned)s %(unit)s done%(also)s across %(num)s items from %(start)s to %(end)s.",
        len(rows),
        done=_fmt(total_done - extra_done),
        planned=_fmt(total_planned),
        unit=_(unit),
        also=also,
        start=_day(days[0]),
        end=_day(days[-1]),
    )
    return Chart(
        key, title, _svg(key, title, "".join(parts), height, summary), summary, headers, table
    )


def paired_bars(*, key: str, title: str, items: Sequence[tuple[str, float, float, int]]) -> Chart:
    """Mean distress before and after, per strategy: (name, before, after, times used)."""
    headers = (_("Strategy"), _("Times used"), _("Average before"), _("Average after"))
    if not items:
        return Chart(key, title, Markup(""), _("No distress ratings in this period."), headers, [])
    label_w = 100
    bar_w = WIDTH - label_w - 58
    height = PAD_TOP + 30 * len(items) + 20
    parts = []
    table: list[tuple[str, ...]] = []
    for index, (name, before, after, count) in enumerate(items):
        y = PAD_TOP + 30 * index
        parts.append(
            f'<text data-authored="" class="tick" x="0" y="{y + 14}">{escape(name[:16])}</text>'
        )
        for offset, value, cls, word in (
            (0, before, "bar-before", _("before")),
            (12, after, "bar-after", _("after")),
        ):
            w = bar_w * value / 10
            parts.append(
                f'<rect class="{cls}" x="{label_w}" y="{y + offset}" width="{w:.1f}" height="10" />'
                f'<text class="tick" x="{label_w + w + 3:.1f}" y="{y + offset + 9}">'
                f"{_fmt(value)} {escape(word)}</text>"
            )
        table.append((name, str(count), _fmt(before), _fmt(after)))
    legend_y = height - 6
    solid, outlined = _("before (solid)"), _("after (outlined)")
    parts.append(
        f'<rect class="bar-before" x="{label_w}" y="{legend_y - 8}" width="10" height="8" />'
        f'<text class="tick" x="{label_w + 13}" y="{legend_y}">{escape(solid)}</text>'
        f'<rect class="bar-after" x="{label_w + 90}" y="{legend_y - 8}" width="10" height="8" />'
        f'<text class="tick" x="{label_w + 103}" y="{legend_y}">{escape(outlined)}</text>'
    )
    summary = (
        "; ".join(
            ngettext(
                "%(name)s: %(before)s before, %(after)s after on average (%(num)s time)",
                "%(name)s: %(before)s before, %(after)s after on average (%(num)s times)",
                count,
                name=_named(name),
                before=_fmt(before),
                after=_fmt(after),
            )
            for name, before, after, count in items
        )
        + "."
    )
    summary, summary_html = _summaries(summary)
    return Chart(
        key,
        title,
        _svg(key, title, "".join(parts), height, summary),
        summary,
        headers,
        table,
        summary_html,
    )
