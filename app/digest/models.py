"""Digest tables: a therapist's choice (on/off, local send hour) and one row per digest day.

`digest_run` is the exactly-once claim: its (therapist, local day) key is unique, so when two
scheduler processes reach the same therapist at the same moment only one INSERT succeeds.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock
from app.db import new_id, utc_field


class DigestPreference(SQLModel, table=True):
    """Whether a therapist wants the daily email, and at which hour of their own day."""

    __tablename__ = "digest_preference"

    therapist_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    enabled: bool = Field(default=False, index=True)
    send_hour: int = Field(default=8)
    # Off by default: what clients write stays in Groundwork unless the therapist chooses.
    excerpts: bool = Field(default=False)
    updated_at: datetime = utc_field(default=clock.now)


class DigestRun(SQLModel, table=True):
    """One therapist's digest for one local day: claimed, then sent (or failed)."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("therapist_id", "local_day", name="uq_digest_run_day"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    therapist_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    local_day: date
    status: str = Field(default="sending", max_length=12)
    # Notices created up to this instant are covered; the next digest starts after it.
    covered_until: datetime = utc_field()
    notice_count: int = Field(default=0)
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = utc_field(default=clock.now)
    sent_at: datetime | None = utc_field(nullable=True)
