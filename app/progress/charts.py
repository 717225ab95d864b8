"""Small server-side SVG charts, each with a text equivalent (summary + table).

Inline SVG works in the page, in print and in WeasyPrint's PDF without JavaScript or a CDN. Every
chart carries the same facts as a table so screen-reader users and the PDF's reader miss nothing.
Colours come from CSS classes (.chart-a, .chart-b, .heat-0..3) so dark mode can restyle them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

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
    cells: dict[date, tuple[int, int]]  # day -> (planned, done)


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    svg: Markup
    summary: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(key: str, title: str, body: str, height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{key}-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{key}-title">{escape(title)}</title>{body}</svg>'
    )


def line_chart(
    *, key: str, title: str, series: Sequence[Series], y_min: float, y_max: float, unit: str = ""
) -> Chart:
    """Lines over dates (mood and energy, habit levels, GAS T over time)."""
    days = sorted({d for s in series for d, _ in s.points})
    rows = [(d.isoformat(), *(_value_on(s, d) for s in series)) for d in days]
    headers = ("Date", *(s.name for s in series))
    if not days:
        return Chart(key, title, Markup(""), "No ratings in this period.", headers, [])
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(d: date) -> float:
        return PAD_LEFT + plot_w * ((d - first).days / span if len(days) > 1 else 0.5)

    def y(v: float) -> float:
        return PAD_TOP + plot_h * (1 - (v - y_min) / ((y_max - y_min) or 1))

    parts = [
        f'<line class="axis" x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{PAD_TOP + plot_h}" />',
        f'<text class="tick" x="2" y="{PAD_TOP + 8}">{_fmt(y_max)}</text>',
        f'<text class="tick" x="2" y="{PAD_TOP + plot_h}">{_fmt(y_min)}</text>',
        f'<text class="tick" x="{PAD_LEFT}" y="{HEIGHT - 6}">{first:%d %b}</text>',
        f'<text class="tick" x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 6}" text-anchor="end">'
        f"{last:%d %b}</text>",
    ]
    summaries = []
    for index, s in enumerate(series):
        cls = "chart-a" if index == 0 else "chart-b"
        pts = sorted(s.points)
        if not pts:
            continue
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts)
        dash = "" if index == 0 else ' stroke-dasharray="5 3"'
        parts.append(f'<polyline class="{cls}" fill="none" points="{coords}"{dash} />')
        parts += [f'<circle class="{cls}" cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" />' for d, v in pts]
        summaries.append(
            f"{s.name}: {_fmt(pts[0][1])}{unit} on {pts[0][0]:%d %b} to "
            f"{_fmt(pts[-1][1])}{unit} on {pts[-1][0]:%d %b} ({len(pts)} rating{'' if len(pts) == 1 else 's'})"
        )
    return Chart(key, title, _svg(key, title, "".join(parts)), "; ".join(summaries) + ".",
                 headers, rows)  # fmt: skip


def _value_on(series: Series, day: date) -> str:
    values = [v for d, v in series.points if d == day]
    return _fmt(values[-1]) if values else "-"


def heat_map(
    *,
    key: str,
    title: str,
    days: Sequence[date],
    rows: Sequence[HeatRow],
    unit: str = "planned times",
) -> Chart:
    """One row per routine or habit, one cell per day: shade = share of planned done."""
    headers = ("Item", "Done", "Planned")
    table: list[tuple[str, ...]] = []
    if not rows or not days:
        return Chart(key, title, Markup(""), "Nothing was planned in this period.", headers, [])
    label_w = 90
    cell = max(4.0, min(18.0, (WIDTH - label_w - 4) / len(days)))
    height = int(PAD_TOP + 20 * len(rows) + 18)
    parts = []
    total_planned = total_done = 0
    for r_index, row in enumerate(rows):
        y = PAD_TOP + 20 * r_index
        parts.append(f'<text class="tick" x="0" y="{y + 12}">{escape(row.label[:14])}</text>')
        planned = done = 0
        for d_index, day in enumerate(days):
            p, d = row.cells.get(day, (0, 0))
            planned += p
            done += min(d, p) if p else d
            level = "none" if p == 0 else str(min(3, round(3 * min(d, p) / p)))
            parts.append(
                f'<rect class="heat-{level}" x="{label_w + d_index * cell:.1f}" y="{y}" '
                f'width="{cell - 1:.1f}" height="16" />'
            )
        total_planned += planned
        total_done += done
        table.append((row.label, str(done), str(planned)))
    parts.append(f'<text class="tick" x="{label_w}" y="{height - 4}">{days[0]:%d %b}</text>')
    parts.append(
        f'<text class="tick" x="{WIDTH - 2}" y="{height - 4}" text-anchor="end">'
        f"{days[-1]:%d %b}</text>"
    )
    summary = (
        f"{total_done} of {total_planned} {unit} done across {len(rows)} items "
        f"from {days[0]:%d %b} to {days[-1]:%d %b}."
    )
    return Chart(key, title, _svg(key, title, "".join(parts), height), summary, headers, table)


def paired_bars(*, key: str, title: str, items: Sequence[tuple[str, float, float, int]]) -> Chart:
    """Mean distress before and after, per strategy: (name, before, after, times used)."""
    headers = ("Strategy", "Times used", "Average before", "Average after")
    if not items:
        return Chart(key, title, Markup(""), "No distress ratings in this period.", headers, [])
    label_w = 100
    bar_w = WIDTH - label_w - 30
    height = PAD_TOP + 30 * len(items) + 6
    parts = []
    table: list[tuple[str, ...]] = []
    for index, (name, before, after, count) in enumerate(items):
        y = PAD_TOP + 30 * index
        parts.append(f'<text class="tick" x="0" y="{y + 14}">{escape(name[:16])}</text>')
        for offset, value, cls in ((0, before, "chart-a"), (12, after, "chart-b")):
            w = bar_w * value / 10
            parts.append(
                f'<rect class="{cls}" x="{label_w}" y="{y + offset}" width="{w:.1f}" height="10" />'
                f'<text class="tick" x="{label_w + w + 3:.1f}" y="{y + offset + 9}">'
                f"{_fmt(value)}</text>"
            )
        table.append((name, str(count), _fmt(before), _fmt(after)))
    summary = "; ".join(
        f"{name}: {_fmt(before)} before, {_fmt(after)} after on average ({count} times)"
        for name, before, after, count in items
    )
    return Chart(key, title, _svg(key, title, "".join(parts), height), summary + ".", headers,
                 table)  # fmt: skip
