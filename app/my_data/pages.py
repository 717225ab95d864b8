"""The client's "My data" page: ask for a download, watch it being built, fetch it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import clock
from app.accounts.dependencies import CurrentClient
from app.accounts.web import see_other
from app.db import SessionDep
from app.my_data import admin_pages, closure, closure_pages, service
from app.my_data.dependencies import OwnExport
from app.my_data.schemas import ExportPublic
from app.templates import render

router = APIRouter()
router.include_router(closure_pages.router)
router.include_router(admin_pages.router)


@router.get("/my-data", response_class=HTMLResponse)
def my_data_page(request: Request, session: SessionDep, client: CurrentClient) -> Response:
    row = service.latest(session, client.id)
    return render(
        request,
        "my_data/index.html",
        {
            "export": ExportPublic.of(row) if row else None,
            "now": clock.now(),
            "grace_days": closure.GRACE.days,
        },
        headers={"Cache-Control": "no-store"},
    )


@router.post("/my-data/exports", response_class=HTMLResponse)
def my_data_request(session: SessionDep, client: CurrentClient) -> Response:
    service.request_export(session, client=client.user, requested_by=client.user)
    return see_other("/my-data#h-download")


@router.get("/my-data/exports/{export_id}/download")
def my_data_download(export: OwnExport, session: SessionDep, client: CurrentClient) -> Response:
    body = service.downloadable(export, now=clock.now())
    service.record_download(session, export=export, actor=client.user)
    stamp = export.created_at.strftime("%Y%m%d")
    return Response(
        body,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="groundwork-my-data-{stamp}.zip"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
