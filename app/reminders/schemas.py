"""What crosses HTTP for reminders (requests strict, bounded, NUL-free)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, StringConstraints

from app.schema_types import ApiModel, Bool, LocalTime, Name, PublicModel

Kind = Literal["routine", "habit", "homework", "sensory_diet", "mood_log"]
SnoozeChoice = Literal["10m", "1h"]
# Bounded like their columns (p256dh 120, auth 60): PostgreSQL refuses longer values.
P256dh = Annotated[
    str, StringConstraints(min_length=16, max_length=120, pattern=r"^[A-Za-z0-9_\-=]+$")
]
AuthKey = Annotated[
    str, StringConstraints(min_length=16, max_length=60, pattern=r"^[A-Za-z0-9_\-=]+$")
]
Endpoint = Annotated[
    str, StringConstraints(min_length=12, max_length=1000, pattern=r"^https?://[^\s\x00]+$")
]


class SubscriptionKeys(ApiModel):
    p256dh: P256dh
    auth: AuthKey


class DeviceCreate(ApiModel):
    """The browser's PushSubscription.toJSON() plus a name the client chose."""

    endpoint: Endpoint
    keys: SubscriptionKeys
    device_name: Name
    expirationTime: StrictInt | StrictFloat | None = Field(
        default=None, description="Ignored; sent by browsers"
    )


class DeviceRename(ApiModel):
    device_name: Name


class DevicePublic(PublicModel):
    id: uuid.UUID
    device_name: str
    created_at: datetime
    last_success_at: datetime | None
    last_failure_at: datetime | None
    gone_at: datetime | None
    gone_reason: str | None


class TestResult(BaseModel):
    delivered: bool
    outcome: str
    status_code: int | None


class VapidKey(BaseModel):
    public_key: str


class Preferences(ApiModel):
    quiet_start: LocalTime | None = None
    quiet_end: LocalTime | None = None
    muted_kinds: list[Kind] = Field(default_factory=list, max_length=5)
    email_enabled: Bool = False
    email_muted_kinds: list[Kind] = Field(default_factory=list, max_length=5)
    paused_from: date | None = None
    paused_until: date | None = None


class InboxEntry(PublicModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    url: str
    planned_at: datetime
    status: str
    state: str
    delivery_note: str
    read: bool
    done: bool


class Snooze(ApiModel):
    choice: SnoozeChoice


class DoneResult(BaseModel):
    completed: bool
    open: str | None


class Action(ApiModel):
    """A notification button press, authorised by the reminder's own signed token."""

    token: Annotated[
        str, StringConstraints(min_length=10, max_length=100, pattern=r"^[A-Za-z0-9_\-=.]+$")
    ]
    action: Literal["done", "snooze_10m", "snooze_1h"]


class ActionResult(BaseModel):
    open: str | None
