"""The progress report: one print-friendly HTML document, rendered to PDF with WeasyPrint.

The same template serves the browser (print view) and the PDF, so what a therapist files matches what
they reviewed. WeasyPrint may only read data: URIs: the report embeds its charts as inline SVG and
its CSS inline, so client text can never make the renderer fetch a file or a URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.charts import Chart

TEMPLATE = "progress/report.html"


@dataclass(frozen=True, slots=True)
class GoalRow:
    description: str
    weight: float
    ratings: Sequence[tuple[date, int]]
    levels: Sequence[tuple[int, str]] = ()


@dataclass(frozen=True, slots=True)
class HomeworkRow:
    title: str
    kind_label: str
    state_label: str
    times_done: int
    mean_difficulty: float | None
    mean_helpfulness: float | None
    reflections: Sequence[tuple[date, str]] = ()
    stuck: Sequence[tuple[date, str]] = ()


@dataclass(frozen=True, slots=True)
class MeasureRow:
    on: date
    name: str
    total: int
    max_total: int
    band_label: str
    urgent: bool


@dataclass(frozen=True, slots=True)
class NoteRow:
    on: date
    author: str
    text: str
    version: int


@dataclass(frozen=True, slots=True)
class ReportData:
    client_name: str
    start: date
    end: date
    generated_at: datetime
    prepared_by: str
    clinic_name: str = ""
    charts: Sequence[Chart] = ()
    goals: Sequence[GoalRow] = ()
    t_scores: Sequence[tuple[date, float]] = ()
    homework: Sequence[HomeworkRow] = ()
    measures: Sequence[MeasureRow] = ()
    notes: Sequence[NoteRow] = ()
    extra_lines: Sequence[str] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"Progress report: {self.client_name}"


CSS_FILE = Path(__file__).resolve().parents[2] / "web" / "static" / "progress" / "report.css"


def render_html(env: Environment, data: ReportData, *, embed_css: bool = True) -> str:
    """The report page. Embedded CSS for the PDF (WeasyPrint fetches nothing); a stylesheet link
    for the browser's print view, whose CSP allows no inline style."""
    css = Markup(CSS_FILE.read_text()) if embed_css else None
    return env.get_template(TEMPLATE).render(report=data, report_css=css)


def _document(html: str) -> Any:
    """WeasyPrint is imported here, not at module load: it adds seconds to every server start and
    only a PDF download needs it. Only data: URLs may be fetched (the report embeds everything)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher, base_url=None)


def render_pdf(html: str) -> bytes:
    """PDF bytes of the report; raises nothing for missing resources (there are none to fetch)."""
    pdf = _document(html).write_pdf()
    assert isinstance(pdf, bytes)  # write_pdf() without a target returns the bytes
    return pdf


def page_count(html: str) -> int:
    """Pages the report lays out to (WeasyPrint's document API), for tests and a preview hint."""
    return len(_document(html).render().pages)
