"""Charts carry a text equivalent with the same facts as the picture."""

from datetime import date, timedelta
from typing import Any

from app.charts import HeatRow, Series, heat_map, line_chart, paired_bars

D0 = date(2026, 11, 2)


def test_line_chart_text_equivalent_lists_every_rating() -> None:
    chart = line_chart(
        key="mood",
        title="Mood and energy",
        y_min=0,
        y_max=10,
        series=[Series("Mood", [(D0, 3), (D0 + timedelta(2), 7)]), Series("Energy", [(D0, 5)])],
    )
    assert chart.rows == [("2026-11-02", "3", "5"), ("2026-11-04", "7", "-")]
    assert "Mood: 3 on 02 Nov to 7 on 04 Nov (2 ratings)" in chart.summary
    assert 'role="img"' in chart.svg
    assert chart.svg.count("<circle") == 3


def test_empty_line_chart_says_so() -> None:
    chart = line_chart(key="t", title="T", y_min=20, y_max=80, series=[Series("T", [])])
    assert chart.empty
    assert chart.summary == "No ratings in this period."


def test_heat_map_counts_done_of_planned() -> None:
    days = [D0 + timedelta(i) for i in range(7)]
    chart = heat_map(
        key="h",
        title="Routines",
        days=days,
        rows=[
            HeatRow("Morning", {days[0]: (1, 1), days[1]: (1, 0), days[2]: (2, 1)}),
            HeatRow("<Evening>", {days[3]: (1, 1)}),
        ],
    )
    assert chart.rows == [("Morning", "2", "4"), ("<Evening>", "1", "1")]
    assert chart.summary.startswith("3 of 5 planned times done across 2 items")
    assert "&lt;Evening&gt;" in chart.svg
    assert chart.svg.count("<rect") == 14


def test_paired_bars_show_before_and_after() -> None:
    chart = paired_bars(key="d", title="Distress", items=[("Box breathing", 7.5, 4.0, 4)])
    assert chart.rows == [("Box breathing", "4", "7.5", "4")]
    assert "7.5 before, 4 after on average (4 times)" in chart.summary
    assert paired_bars(key="e", title="x", items=[]).empty


def test_every_chart_is_well_formed_svg_without_style_or_script() -> None:
    """CSP forbids inline style and script; title and desc name the picture for assistive tech."""
    from xml.dom.minidom import parseString

    days = [D0 + timedelta(i) for i in range(3)]
    charts = [
        line_chart(
            key="l",
            title="Levels",
            y_min=1,
            y_max=4,
            step=True,
            series=[Series(n, [(D0, 1), (D0 + timedelta(2), 2)]) for n in "abcd"],
        ),
        heat_map(key="h", title="Habits", days=days, rows=[HeatRow("Walk", {days[0]: (1, 1)})]),
        paired_bars(key="p", title="Distress", items=[("Breathing", 7, 4, 3)]),
    ]
    for chart in charts:
        svg = parseString(str(chart.svg)).documentElement
        assert svg.getAttribute("role") == "img"
        assert svg.getAttribute("aria-labelledby") == f"{chart.key}-title {chart.key}-desc"
        assert svg.getElementsByTagName("title")[0].firstChild.data == chart.title
        assert svg.getElementsByTagName("desc")[0].firstChild.data == chart.summary
        assert "style=" not in chart.svg
        assert "<script" not in chart.svg
    # four series: four marker shapes and dash patterns, named in a legend
    lines = charts[0].svg
    assert lines.count("<circle") == 3
    assert lines.count("<polygon") == 6
    assert lines.count("stroke-dasharray") == 6  # 3 dashed series: line and legend each
    assert '<text class="tick" fill="#222" font-size="9" x="' in lines
    assert ">d</text>" in lines


def test_heat_map_shows_share_done_by_height_not_colour_alone() -> None:
    days = [D0 + timedelta(i) for i in range(3)]
    chart = heat_map(
        key="h",
        title="Habits",
        days=days,
        rows=[HeatRow("Walk", {days[0]: (3, 1), days[1]: (3, 3), days[2]: (3, 0)})],
    )
    assert 'class="heat-1" fill="#9ecae1" x="90.0" y="20.7" width="17.0" height="5.3"' in chart.svg
    assert (
        'class="heat-3" fill="#08519c" x="108.0" y="10.0" width="17.0" height="16.0"' in chart.svg
    )
    assert chart.rows == [("Walk", "4", "9")]  # 1 + 3 + 0 of 3 a day
    for word in ("none done", "some done", "most done", "all done"):
        assert f">{word}</text>" in chart.svg


def _paint_reference(body: str) -> str:
    """The print colours added per element, as `charts._paint` did before it looked them up."""
    import re

    from app.charts import PAINT

    def attrs(m: re.Match[str]) -> str:
        paint = PAINT.get(m.group(1), "")
        if m.group(2):
            paint = re.sub(r' fill="[^"]*"', "", " " + paint).strip()
        return f"{m.group(0)} {paint}".rstrip()

    return re.sub(r'class="([a-z0-9-]+)"( fill="none")?', attrs, body)


def test_painting_from_the_lookup_equals_painting_each_element(monkeypatch: Any) -> None:
    """Every chart kind (lines with fill="none", markers, bars, heat cells, extra-day dots) and
    a class without print colours come out exactly as the per-element painting made them."""
    import random

    from app import charts

    rng = random.Random(3)
    days = [D0 + timedelta(i) for i in range(28)]
    rows = [
        HeatRow(f"R{i}", {d: (rng.randint(0, 1), rng.randint(0, 1)) for d in days})
        for i in range(4)
    ]
    series = [Series(f"S{i}", [(d, rng.uniform(0, 10)) for d in days[:: i + 1]]) for i in range(4)]
    paint = charts._paint
    bodies: list[str] = []
    monkeypatch.setattr(charts, "_paint", lambda body: bodies.append(body) or body)
    made = [
        heat_map(key="h", title="H", days=days, rows=rows).svg,
        line_chart(key="l", title="L", y_min=0, y_max=10, series=series).svg,
        line_chart(key="s", title="S", y_min=0, y_max=10, series=series, step=True).svg,
        paired_bars(key="b", title="B", items=[("a", 7.0, 4.0, 3), ("b", 5.5, 5.0, 1)]).svg,
    ]
    bodies.append('<rect class="unknown-class" x="1" /><path class="chart-b" fill="none" d="M0" />')
    assert len(bodies) == len(made) + 1
    for body in bodies:
        assert paint(body) == _paint_reference(body)
    assert 'fill="none" stroke="#b4541a" stroke-width="2"' in paint(bodies[-1])
