"""Download JSON API: ask for a download, and follow its progress (the page polls this)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.accounts.dependencies import CurrentClient
from app.db import SessionDep
from app.my_data import service
from app.my_data.dependencies import OwnExport
from app.my_data.schemas import ExportPublic

router = APIRouter(tags=["my data"])
NO_STORE = {"Cache-Control": "no-store"}


@router.post("/my-data/exports", response_model=ExportPublic, status_code=202)
def export_create(session: SessionDep, client: CurrentClient) -> ExportPublic:
    """202: the download is built in the background; poll its URL for progress."""
    return ExportPublic.of(
        service.request_export(session, client=client.user, requested_by=client.user)
    )


@router.get("/my-data/exports/{export_id}", response_model=ExportPublic)
def export_status(export: OwnExport, response: Response) -> ExportPublic:
    response.headers.update(NO_STORE)
    return ExportPublic.of(export)
