"""What crosses HTTP for downloads."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from app.my_data.models import DataExport, ExportStatus


class ExportPublic(BaseModel):
    id: uuid.UUID
    status: ExportStatus
    percent: int
    step: str
    created_at: datetime
    expires_at: datetime | None
    size: int
    download_url: str | None

    @classmethod
    def of(cls, row: DataExport) -> ExportPublic:
        ready = row.status == ExportStatus.ready
        return cls(
            id=row.id,
            status=row.status,
            percent=row.percent,
            step=row.step,
            created_at=row.created_at,
            expires_at=row.expires_at,
            size=row.size,
            download_url=f"/my-data/exports/{row.id}/download" if ready else None,
        )
