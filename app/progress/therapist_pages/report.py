"""Therapist pages: the caseload dashboard, a client's progress (digest, charts), the report (HTML,
PDF) and the exports (CSV, FHIR). Goals, measures and notes pages live in records.py."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts import policy
from app.accounts.dependencies import CurrentTherapist
from app.accounts.web import see_other
from app.audit import service as audit
from app.db import SessionDep
from app.errors import NotFound
from app.forms import validate
from app.homework import service as homework_service
from app.i18n import N_
from app.progress import (
    csv_export,
    dashboard,
    exports,
    flags,
    observations,
    record,
    report_jobs,
    report_pdf,
    row_html,
)
from app.progress.csv_export import to_csv
from app.progress.dependencies import TherapistClient
from app.progress.schemas import ReportRange
from app.templates import env, render

router = APIRouter()


SORT_LABELS = {
    "flags": N_("Most urgent first"),
    "name": N_("Name"),
    "last_activity": N_("Last activity"),
    "adherence": N_("Adherence"),
    "distress": N_("Distress episodes"),
}
# Rows per dashboard page: a therapist with 200 clients reads the most urgent first, not all
# 200 at once; every client's flags are still computed, so the order is over the whole caseload.
PAGE_SIZE = 50


def _page(value: str | None, pages: int) -> int:
    """The page asked for, clamped to the pages there are (any other text: the first)."""
    number = int(value) if value and value.isascii() and value.isdigit() and len(value) < 6 else 1
    return min(max(number, 1), pages)


@router.get("/dashboard", response_class=HTMLResponse)
def caseload_dashboard(
    request: Request, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    q = request.query_params
    sort = q.get("sort", "flags") if q.get("sort") in flags.SORT_KEYS else "flags"
    desc = q.get("desc") == "1"
    flag = q.get("flag") if q.get("flag") in flags.FLAG_LABELS else None
    query = (q.get("q") or "")[:80]
    flagged = q.get("flagged") == "1"
    all_rows = dashboard.rows(session, therapist_id=therapist.id, now=clock.now())
    matching = flags.filter_rows(all_rows, flag=flag, query=query, flagged_only=flagged)
    shown = flags.sort_rows(matching, sort, descending=desc)
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = _page(q.get("page"), pages)
    first = (page - 1) * PAGE_SIZE
    kept = {k: v for k, v in q.items() if k in {"sort", "desc", "flag", "q", "flagged"} and v}
    return render(
        request,
        "progress/dashboard.html",
        {
            "rows": shown[first : first + PAGE_SIZE],
            "row_html": row_html.renderer(therapist.user.time_zone),
            "total": len(all_rows),
            "matching": len(shown),
            "first": first + 1,
            "page": page,
            "pages": pages,
            "page_links": {
                n: "/dashboard?" + urlencode({**kept, "page": n}) for n in range(1, pages + 1)
            },
            "sort": sort,
            "desc": desc,
            "flag": flag,
            "q": query,
            "flagged": flagged,
            "flag_labels": flags.FLAG_LABELS,
            "notices": homework_service.notices(session, therapist.id, limit=10),
            "names": {r.client_id: r.name for r in all_rows},
            "sort_labels": SORT_LABELS,
        },
    )


@router.post("/dashboard/notices-read", response_class=HTMLResponse)
def notices_read(session: SessionDep, therapist: CurrentTherapist) -> Response:
    homework_service.mark_notices_read(session, therapist=therapist, client_id=None)
    return see_other("/dashboard")


@router.get("/caseload/{client_id}/progress", response_class=HTMLResponse)
def progress_page(
    request: Request, session: SessionDep, client: TherapistClient, _t: CurrentTherapist
) -> Response:
    start, rec = record.since_last_session(session, client, clock.now())
    row = dashboard.client_row(session, client, now=clock.now())
    return render(
        request,
        "progress/progress.html",
        {
            "client": client,
            "start": start,
            "rec": rec,
            "row": row,
            "homework": record.homework_summary(rec),
            "today": clock.local_today(client.time_zone),
            "stuck": [
                (c, a)
                for c in rec.completions
                for a in rec.homework
                if a.id == c.assignment_id and c.stuck
            ],
            "changes": [a for a in rec.homework if a.state == "change_requested"],
        },
    )


def _range(
    request: Request, client: Any
) -> tuple[ReportRange | None, dict[str, str], dict[str, str]]:
    today = clock.local_today(client.time_zone)
    values = {
        "start": request.query_params.get("start") or (today - timedelta(days=28)).isoformat(),
        "end": request.query_params.get("end") or today.isoformat(),
    }
    form = validate(ReportRange, dict(values))
    return form.data, values, form.errors


def _record(session: SessionDep, client: Any, rng: ReportRange) -> record.Record:
    """The record as the therapist may see it: without the kinds the client keeps private."""
    hidden = policy.private_kinds(session, client.id)
    return record.load(session, client, start=rng.start, end=rng.end, hidden=hidden)


@router.get("/caseload/{client_id}/progress/report", response_class=HTMLResponse)
def report_page(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(
            request,
            "progress/report_form.html",
            {"client": client, "values": values, "errors": errors},
            status_code=422,
        )
    if request.query_params.get("view") != "print":
        return render(
            request, "progress/report_form.html", {"client": client, "values": values, "errors": {}}
        )
    data = exports.report_data(
        session, _record(session, client, rng), prepared_by=therapist.user, now=clock.now()
    )
    html = report_pdf.render_html(env, data, embed_css=False)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _download(body: bytes | str, media_type: str, name: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _file_stem(client: Any, rng: ReportRange) -> str:
    safe = "".join(ch for ch in client.preferred_name if ch.isalnum()) or "client"
    return f"{safe}-{rng.start:%Y%m%d}-{rng.end:%Y%m%d}"


@router.get("/caseload/{client_id}/progress/report.pdf")
def report_download(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    """Start the PDF in the report worker and answer at once with the page that follows it: the
    data is gathered and the HTML rendered here (milliseconds), WeasyPrint's seconds run there."""
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(
            request,
            "progress/report_form.html",
            {"client": client, "values": values, "errors": errors},
            status_code=422,
        )
    data = exports.report_data(
        session, _record(session, client, rng), prepared_by=therapist.user, now=clock.now()
    )
    html = report_pdf.render_html(env, data)
    job = report_jobs.jobs.start(
        therapist_id=therapist.id,
        client_id=client.id,
        start=rng.start,
        end=rng.end,
        html=html,
        filename=f"progress-{_file_stem(client, rng)}.pdf",
    )
    audit.record_now(session, actor=therapist.user, client_id=client.id, action="export.report_pdf")
    return see_other(f"/caseload/{client.id}/progress/report-jobs/{job.id}")


def _job(job_id: str, client: Any, therapist: Any) -> report_jobs.Job:
    job = report_jobs.jobs.get(job_id, therapist_id=therapist.id, client_id=client.id)
    if job is None:
        raise NotFound(N_("This report is no longer here. Reports are kept for 30 minutes."))
    return job


@router.get("/caseload/{client_id}/progress/report-jobs/{job_id}", response_class=HTMLResponse)
def report_job_page(
    request: Request, job_id: str, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    """Where the report is: still being made (the page checks again by itself), ready, or failed
    (with a way to try again)."""
    job = _job(job_id, client, therapist)
    return render(
        request,
        "progress/report_job.html",
        {"client": client, "job": job, "state": job.state()},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/caseload/{client_id}/progress/report-jobs/{job_id}/report.pdf")
def report_job_download(
    job_id: str, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    job = _job(job_id, client, therapist)
    pdf = job.pdf()
    if pdf is None:
        return see_other(f"/caseload/{client.id}/progress/report-jobs/{job.id}")
    return _download(pdf, "application/pdf", job.filename)


@router.get("/caseload/{client_id}/progress/export.csv")
def export_csv(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(
            request,
            "progress/report_form.html",
            {"client": client, "values": values, "errors": errors},
            status_code=422,
        )
    body = to_csv(exports.csv_rows(_record(session, client, rng)), csv_export.headers())
    audit.record_now(session, actor=therapist.user, client_id=client.id, action="export.csv")
    return _download(body, "text/csv; charset=utf-8", f"groundwork-{_file_stem(client, rng)}.csv")


@router.get("/caseload/{client_id}/progress/export.fhir.json")
def export_fhir(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(
            request,
            "progress/report_form.html",
            {"client": client, "values": values, "errors": errors},
            status_code=422,
        )
    logged = observations.for_client(
        session,
        client.id,
        start=rng.start,
        end=rng.end,
        time_zone=client.time_zone,
        hidden=policy.private_kinds(session, client.id),
    )
    bundle = exports.fhir_bundle(
        _record(session, client, rng),
        now=clock.now(),
        therapist_name=therapist.user.preferred_name,
        logged=logged,
    )
    audit.record_now(session, actor=therapist.user, client_id=client.id, action="export.fhir")
    return _download(
        json.dumps(bundle, indent=1),
        "application/fhir+json",
        f"groundwork-{_file_stem(client, rng)}.fhir.json",
    )
