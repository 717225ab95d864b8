"""Building the ZIP: a readable PDF summary, one CSV per kind of record, and a FHIR R4B Bundle.

Pure reads: the worker (app/my_data/worker.py) runs this in a read session and records progress
through `report`, in its own short write transactions, so building never holds a write lock.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import LargeBinary
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import clock, csv_safe
from app.accounts.models import User
from app.accounts.service import my_therapists
from app.audit import service as audit
from app.i18n import N_, gettext, use_language
from app.my_data import inventory
from app.progress import exports, observations, record, report_pdf
from app.templates import env

Report = Callable[[int, str], None]

README = N_("""Your Groundwork data
====================

summary.pdf          a readable summary: what is here, your therapists, who opened your record
progress-report.pdf  your progress over the whole time, as your therapist's report shows it
csv/                 one spreadsheet per kind of record (open with any spreadsheet program)
files/               photos and attachments, named by the id in the matching spreadsheet
groundwork.fhir.json the same record as an HL7 FHIR R4B Bundle, for other health apps

Times are in UTC. Ids link rows across spreadsheets (for example habit_id).
""")
COPIED = "Copied "  # a step "Copied <label in lower case>" (kept in English; see step_words)


def step_words(step: str) -> str:
    """A progress step (kept in English) in the current language."""
    if step.startswith(COPIED):
        for kind in inventory.KINDS:
            if step == COPIED + kind.label.lower():
                return gettext("Copied %(what)s", what=gettext(kind.label).lower())
    return gettext(step) if step else step


@dataclass
class KindCount:
    label: str
    file: str
    rows: int


@dataclass
class Contents:
    kinds: list[KindCount] = field(default_factory=list)
    earliest: date | None = None


def _cell(value: object) -> object:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def _extension(row: dict[str, Any]) -> str:
    return _EXTENSIONS.get(str(row.get("content_type") or row.get("media_type") or ""), "bin")


def _earliest(found: date | None, values: list[object]) -> date | None:
    for value in values:
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and (found is None or day < found):
            found = day
    return found


def write_tables(
    session: Session, zf: zipfile.ZipFile, client_id: uuid.UUID, report: Report
) -> Contents:
    """One CSV per kind; binary columns become files under files/<table>/."""
    contents = Contents()
    total = len(inventory.KINDS)
    for i, kind in enumerate(inventory.KINDS):
        t = inventory.table(kind)
        names = inventory.exported_columns(kind)
        binary = {n for n in names if isinstance(t.c[n].type, LargeBinary)}
        rows = session.connection().execute(
            core_select(*(t.c[n] for n in names)).where(inventory.owner_clause(kind, client_id))
        )
        out: list[list[object]] = []
        for mapping in rows.mappings():
            row = dict(mapping)
            for name in binary:
                if row[name] is not None:
                    path = f"files/{kind.table}/{row['id']}.{_extension(row)}"
                    zf.writestr(path, bytes(row[name]))
                    row[name] = path
            out.append([_cell(row[n]) for n in names])
            if kind.table != "audit_event":
                contents.earliest = _earliest(contents.earliest, list(row.values()))
        zf.writestr(kind.file, csv_safe.write(names, out))
        contents.kinds.append(KindCount(kind.label, kind.file, len(out)))
        report(5 + 70 * (i + 1) // total, COPIED + kind.label.lower())
    return contents


@dataclass(frozen=True)
class Viewing:
    at: datetime
    who: str
    role: str
    action: str


def _viewings(session: Session, client_id: uuid.UUID) -> list[Viewing]:
    """Who opened the record (staff events about the client), newest first, names resolved."""
    events = audit.by_others_about(session, client_id=client_id)
    actors = {e.actor_id for e in events}
    names = dict(
        session.exec(select(User.id, User.preferred_name).where(col(User.id).in_(actors))).all()
    )
    return [
        Viewing(e.at, names[e.actor_id], e.actor_role, e.action)
        for e in events
        if e.actor_id in names
    ]


def build(
    session: Session, client: User, *, now: datetime, report: Report, requested_by: User
) -> bytes:
    """The whole ZIP, in memory (a client's history is megabytes, not gigabytes), in the
    client's language (the README and summary; spreadsheets keep their column names)."""
    with use_language(client.language):
        return _build(session, client, now=now, report=report, requested_by=requested_by)


def _build(
    session: Session, client: User, *, now: datetime, report: Report, requested_by: User
) -> bytes:
    buffer = io.BytesIO()
    today = now.astimezone(clock.zone(client.time_zone)).date()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", gettext(README))
        report(5, N_("Copying your records"))
        contents = write_tables(session, zf, client.id, report)
        start = min(contents.earliest or today, today)
        therapists = my_therapists(session, client.id)
        therapist_name = therapists[0].preferred_name if therapists else ""

        report(78, N_("Writing the FHIR file"))
        rec = record.load(session, client, start=start, end=today)
        logged = observations.for_client(
            session, client.id, start=start, end=today, time_zone=client.time_zone
        )
        bundle = exports.fhir_bundle(rec, now=now, therapist_name=therapist_name, logged=logged)
        zf.writestr("groundwork.fhir.json", json.dumps(bundle, indent=1, ensure_ascii=False))

        report(85, N_("Writing the PDF summary"))
        data = exports.report_data(session, rec, prepared_by=client, now=now)
        zf.writestr("progress-report.pdf", report_pdf.render_pdf(report_pdf.render_html(env, data)))
        html = env.get_template("my_data/summary.html").render(
            client=client,
            now=now,
            start=start,
            contents=contents,
            therapists=therapists,
            viewings=_viewings(session, client.id),
            requested_by=requested_by,
            css=report_pdf.CSS_FILE.read_text(),
        )
        zf.writestr("summary.pdf", report_pdf.render_pdf(html))
        report(98, N_("Packing the file"))
    return buffer.getvalue()
