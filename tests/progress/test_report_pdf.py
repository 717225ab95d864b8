"""The progress report renders to a PDF with pages and the client's name; nothing is fetched."""

import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from jinja2 import Environment

from app import charts
from app.progress.report_pdf import (
    GoalRow,
    HomeworkRow,
    MeasureRow,
    NoteRow,
    ReportData,
    page_count,
    render_html,
    render_pdf,
)
from app.templates import env as app_env
from tests.progress import pdf_facts


@pytest.fixture(scope="module")
def env() -> Environment:
    """The app's environment: the report's words go through the catalog (`_()`, `{% trans %}`)."""
    return app_env


def _report(name: str = "Zoë Rivera", note: str = "Good session.") -> ReportData:
    days = [date(2026, 11, d) for d in range(1, 15)]
    return ReportData(
        client_name=name,
        start=days[0],
        end=days[-1],
        generated_at=datetime(2026, 11, 15, 10, tzinfo=UTC),
        prepared_by="Sam Okafor",
        clinic_name="Northside OT",
        charts=[
            charts.line_chart(
                key="mood",
                title="Mood and energy",
                y_min=0,
                y_max=10,
                series=[charts.Series("Mood", [(days[0], 4), (days[5], 6)])],
            ),
            charts.heat_map(
                key="heat",
                title="Routines",
                days=days,
                rows=[charts.HeatRow("Morning", {days[0]: (1, 1), days[1]: (1, 0)})],
            ),
        ],
        goals=[
            GoalRow(
                "Cook a meal twice a week",
                1,
                [(days[2], -1), (days[9], 0)],
                [(-2, "No meals"), (0, "Twice a week")],
            )
        ],
        t_scores=[(days[2], 40.0), (days[9], 50.0)],
        homework=[
            HomeworkRow(
                "Box breathing daily",
                "Coping practice",
                "Done",
                5,
                2.4,
                4.2,
                [(days[3], "It helped <b>a lot</b>")],
                [(days[4], "Mornings")],
            )
        ],
        measures=[MeasureRow(days[1], "PHQ-9", 11, 27, "Score in the moderate range", False)],
        notes=[NoteRow(days[6], "Sam Okafor", note, 2)],
    )


def test_pdf_has_pages_and_the_clients_name(env: Environment) -> None:
    html = render_html(env, _report())
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert pdf_facts.page_count(pdf) >= 1
    assert "Progress report: Zoë Rivera" in pdf_facts.strings(pdf)
    assert page_count(html) == pdf_facts.page_count(pdf)


def test_client_text_is_escaped(env: Environment) -> None:
    html = render_html(env, _report())
    assert "It helped &lt;b&gt;a lot&lt;/b&gt;" in html
    assert "Score in the moderate range" in html
    assert "not a diagnosis" in html


def test_long_notes_flow_onto_more_pages(env: Environment) -> None:
    html = render_html(env, _report(note="A long paragraph of notes. " * 800))
    assert page_count(html) > 1


def test_external_resources_are_never_fetched(
    env: Environment, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not really an image")
    html = render_html(env, _report()).replace(
        "</body>", f'<img src="file://{secret}"><img src="http://127.0.0.1:9/x.png"></body>'
    )
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        assert pdf_facts.page_count(render_pdf(html)) >= 1
    refused = [r.getMessage() for r in caplog.records if "disallowed protocol" in r.getMessage()]
    assert len(refused) == 2


def test_empty_report_renders(env: Environment) -> None:
    data = ReportData(
        "Kim Lee", date(2026, 11, 1), date(2026, 11, 14), datetime(2026, 11, 15, tzinfo=UTC), "Sam"
    )
    html = render_html(env, data)
    assert "No goals set." in html
    assert pdf_facts.page_count(render_pdf(html)) == 1
