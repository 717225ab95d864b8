"""A download of a client's data, built in the background.

The row is the job: a queued row survives a restart, a worker claims it with a lease (so a worker
that dies mid-build leaves it claimable again), and the finished ZIP is kept on the row until the
link expires, so any process can serve it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, LargeBinary
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


class ClosureStatus(StrEnum):
    closing = "closing"  # closed, restorable until erase_after
    restored = "restored"
    erased = "erased"


class AccountClosure(SQLModel, table=True):
    """A client's account closing: the record that it was asked for, what was stopped (so a restore
    brings exactly that back), and, once erased, until when the clinic keeps the locked records."""

    __tablename__ = "account_closure"
    __table_args__ = (Index("ix_account_closure_status_erase", "status", "erase_after"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    status: ClosureStatus = Field(default=ClosureStatus.closing, max_length=16)
    # "client" (in the app) or "post" (a letter the clinic admin recorded).
    source: str = Field(default="client", max_length=16)
    requested_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    received_on: date | None = Field(default=None)
    requested_at: datetime = utc_field(default=clock.now)
    erase_after: datetime = utc_field()
    restored_at: datetime | None = utc_field(nullable=True)
    erased_at: datetime | None = utc_field(nullable=True)
    retain_until: date | None = Field(default=None)
    retained_deleted_at: datetime | None = utc_field(nullable=True)
    therapist_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    schedule_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ClinicRetention(SQLModel, table=True):
    """How long a clinic keeps the records it must keep after a client's account is erased."""

    __tablename__ = "clinic_retention"

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", primary_key=True)
    years: int = Field(default=8)
    updated_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = utc_field(default=clock.now)
