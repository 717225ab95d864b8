"""A download of a client's data, built in the background.

The row is the job: a queued row survives a restart, a worker claims it with a lease (so a worker
that dies mid-build leaves it claimable again), and the finished ZIP is kept on the row until the
link expires, so any process can serve it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from app import clock
from app.db import new_id, utc_field


class ExportStatus(StrEnum):
    queued = "queued"
    building = "building"
    ready = "ready"
    failed = "failed"
    expired = "expired"


class DataExport(SQLModel, table=True):
    __tablename__ = "data_export"
    __table_args__ = (Index("ix_data_export_status_created", "status", "created_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    # The client themself, or a clinic admin acting on a request (audited).
    requested_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    status: ExportStatus = Field(default=ExportStatus.queued, max_length=16)
    percent: int = Field(default=0)
    step: str = Field(default="", max_length=120)
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default=clock.now)
    finished_at: datetime | None = utc_field(nullable=True)
    expires_at: datetime | None = utc_field(nullable=True)
    size: int = Field(default=0)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
