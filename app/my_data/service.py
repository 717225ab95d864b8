"""Asking for a download and finding it again. The build itself runs in app/my_data/worker.py."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.audit import service as audit
from app.errors import NotFound
from app.i18n import N_
from app.my_data.models import DataExport, ExportStatus

ACTIVE = (ExportStatus.queued, ExportStatus.building)


def request_export(session: Session, *, client: User, requested_by: User) -> DataExport:
    """Queue a download; asking again while one is being built returns that one (no duplicates)."""
    current = session.exec(
        select(DataExport)
        .where(
            DataExport.client_id == client.id,
            DataExport.requested_by_id == requested_by.id,
            col(DataExport.status).in_(ACTIVE),
        )
        .order_by(col(DataExport.created_at).desc())
    ).first()
    if current is not None:
        return current
    export = DataExport(client_id=client.id, requested_by_id=requested_by.id)
    session.add(export)
    audit.add(
        session,
        actor=requested_by,
        client_id=client.id,
        action="my_data.export.request",
        organisation_id=client.organisation_id,
    )
    session.commit()
    return export


def latest(session: Session, client_id: uuid.UUID) -> DataExport | None:
    return session.exec(
        select(DataExport)
        .where(DataExport.client_id == client_id)
        .order_by(col(DataExport.created_at).desc())
    ).first()


def latest_for_clinic(session: Session, client_id: uuid.UUID) -> DataExport | None:
    """The latest copy the clinic asked for (the client's own downloads are not the clinic's)."""
    return session.exec(
        select(DataExport)
        .where(DataExport.client_id == client_id, DataExport.requested_by_id != client_id)
        .order_by(col(DataExport.created_at).desc())
    ).first()


def for_client(session: Session, *, client_id: uuid.UUID, export_id: uuid.UUID) -> DataExport:
    """The client's own download (someone else's answers 404, like every other object)."""
    export = session.get(DataExport, export_id)
    if export is None or export.client_id != client_id:
        raise NotFound()
    return export


def downloadable(export: DataExport, *, now: datetime) -> bytes:
    """The ZIP while its link lasts; after that the page explains and offers a new one."""
    if (
        export.status != ExportStatus.ready
        or export.content is None
        or export.expires_at is None
        or export.expires_at <= now
    ):
        raise NotFound(N_("This download link has expired. You can ask for a new one."))
    return export.content


def record_download(session: Session, *, export: DataExport, actor: User) -> None:
    audit.record_now(
        session,
        actor=actor,
        client_id=export.client_id,
        action="my_data.export.download",
        organisation_id=actor.organisation_id,
    )
