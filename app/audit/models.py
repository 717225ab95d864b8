"""The append-only audit log. Database triggers (see the migration) refuse UPDATE and DELETE."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app import clock
from app.db import new_id, utc_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    at: datetime = utc_field(default=clock.now, index=True)
    actor_id: uuid.UUID | None = Field(default=None, index=True)
    actor_role: str = Field(default="", max_length=16)
    organisation_id: uuid.UUID | None = Field(default=None, index=True)
    client_id: uuid.UUID | None = Field(default=None, index=True)
    action: str = Field(max_length=120)
    detail: str = Field(default="", max_length=500)
    request_id: str = Field(default="", max_length=64)
    ip_address: str = Field(default="", max_length=64)
