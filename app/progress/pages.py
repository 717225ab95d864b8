"""Therapist pages: the caseload dashboard, a client's progress (digest, charts), the report (HTML,
PDF) and the exports (CSV, FHIR). Goals, measures and notes pages live in pages_records."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts import policy
from app.accounts.dependencies import CurrentTherapist
from app.accounts.web import see_other
from app.audit import service as audit
from app.db import SessionDep
from app.forms import validate
from app.homework import queries as homework_queries
from app.homework import service as homework_service
from app.progress import dashboard, exports, flags, observations, record, report_pdf
from app.progress.csv_export import to_csv
from app.progress.dependencies import TherapistClient
from app.progress.pages_client import router as client_router
from app.progress.pages_records import router as records_router
from app.progress.schemas import ReportRange
from app.templates import env, render

router = APIRouter()
router.include_router(records_router)
router.include_router(client_router)


@router.get("/dashboard", response_class=HTMLResponse)
def caseload_dashboard(
    request: Request, session: SessionDep, therapist: CurrentTherapist
) -> Response:
    q = request.query_params
    sort = q.get("sort", "flags") if q.get("sort") in flags.SORT_KEYS else "flags"
    desc = q.get("desc") == "1"
    flag = q.get("flag") if q.get("flag") in flags.FLAG_LABELS else None
    query = (q.get("q") or "")[:80]
    all_rows = dashboard.rows(session, therapist_id=therapist.id, now=clock.now())
    shown = flags.sort_rows(flags.filter_rows(all_rows, flag=flag, query=query,
                                              flagged_only=q.get("flagged") == "1"), sort, descending=desc)  # fmt: skip
    return render(request, "progress/dashboard.html", {
        "rows": shown, "total": len(all_rows), "sort": sort, "desc": desc, "flag": flag, "q": query,
        "flagged": q.get("flagged") == "1", "flag_labels": flags.FLAG_LABELS,
        "notices": homework_queries.notices(session, therapist.id, limit=10),
        "names": {r.client_id: r.name for r in all_rows},
        "sort_labels": {"flags": "Most urgent first", "name": "Name", "last_activity": "Last activity",
                        "adherence": "Adherence", "distress": "Distress episodes"},
    })  # fmt: skip


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
    return render(request, "progress/progress.html", {
        "client": client, "start": start, "rec": rec, "row": row,
        "homework": record.homework_summary(rec), "today": clock.local_today(client.time_zone),
        "stuck": [(c, a) for c in rec.completions for a in rec.homework if a.id == c.assignment_id and c.stuck],
        "changes": [a for a in rec.homework if a.state == "change_requested"],
    })  # fmt: skip


def _range(
    request: Request, client: Any
) -> tuple[ReportRange | None, dict[str, str], dict[str, str]]:
    today = clock.local_today(client.time_zone)
    values = {"start": request.query_params.get("start") or (today - timedelta(days=28)).isoformat(),
              "end": request.query_params.get("end") or today.isoformat()}  # fmt: skip
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
        return render(request, "progress/report_form.html", {"client": client, "values": values,
                      "errors": errors}, status_code=422)  # fmt: skip
    if request.query_params.get("view") != "print":
        return render(
            request, "progress/report_form.html", {"client": client, "values": values, "errors": {}}
        )
    data = exports.report_data(
        session, _record(session, client, rng), prepared_by=therapist.user, now=clock.now()
    )
    return HTMLResponse(
        report_pdf.render_html(env, data, embed_css=False), headers={"Cache-Control": "no-store"}
    )


def _download(body: bytes | str, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    })  # fmt: skip


def _file_stem(client: Any, rng: ReportRange) -> str:
    safe = "".join(ch for ch in client.preferred_name if ch.isalnum()) or "client"
    return f"{safe}-{rng.start:%Y%m%d}-{rng.end:%Y%m%d}"


@router.get("/caseload/{client_id}/progress/report.pdf")
def report_download(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(request, "progress/report_form.html", {"client": client, "values": values,
                      "errors": errors}, status_code=422)  # fmt: skip
    data = exports.report_data(
        session, _record(session, client, rng), prepared_by=therapist.user, now=clock.now()
    )
    pdf = report_pdf.render_pdf(report_pdf.render_html(env, data))
    audit.record_now(session, actor=therapist.user, client_id=client.id, action="export.report_pdf")
    return _download(pdf, "application/pdf", f"progress-{_file_stem(client, rng)}.pdf")


@router.get("/caseload/{client_id}/progress/export.csv")
def export_csv(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(request, "progress/report_form.html", {"client": client, "values": values,
                      "errors": errors}, status_code=422)  # fmt: skip
    body = to_csv(exports.csv_rows(_record(session, client, rng)))
    audit.record_now(session, actor=therapist.user, client_id=client.id, action="export.csv")
    return _download(body, "text/csv; charset=utf-8", f"groundwork-{_file_stem(client, rng)}.csv")


@router.get("/caseload/{client_id}/progress/export.fhir.json")
def export_fhir(
    request: Request, session: SessionDep, client: TherapistClient, therapist: CurrentTherapist
) -> Response:
    rng, values, errors = _range(request, client)
    if rng is None:
        return render(request, "progress/report_form.html", {"client": client, "values": values,
                      "errors": errors}, status_code=422)  # fmt: skip
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
    return _download(json.dumps(bundle, indent=1), "application/fhir+json",
                     f"groundwork-{_file_stem(client, rng)}.fhir.json")  # fmt: skip
