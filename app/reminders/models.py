"""Reminder tables: schedules, the outbox (which is also the in-app inbox), deliveries,
push subscriptions and per-client preferences.

Why the outbox row doubles as the inbox entry: every reminder must appear in the app whether or
not a push or an email arrived, with its delivery state. Keeping one row per occurrence (unique per
schedule and occurrence key) makes "sent once" and "shown once" the same guarantee, and a burst of
10,000 reminders costs one row each, not two.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app import clock, write_marks
from app.db import new_id, utc_field


class ItemStatus(StrEnum):
    pending = "pending"  # waiting for its due time (or a retry, or the end of quiet hours)
    sending = "sending"  # claimed by one process; lease_until says when a crash frees it
    sent = "sent"  # at least one channel delivered (or the inbox is the only channel)
    done_already = "done_already"  # "only if not done": the item was done before it was due
    missed = "missed"  # more than the grace late (after downtime): shown, never sent
    held = "held"  # fell in late quiet hours: shown in the inbox, not pushed or emailed
    failed = "failed"  # every channel failed and retries ran out
    off = "off"  # the kind is switched off or the client paused reminders
    cancelled = "cancelled"  # the schedule changed or went away before it was due


# States that appear in the in-app inbox.
INBOX_STATUSES = (
    ItemStatus.sent,
    ItemStatus.missed,
    ItemStatus.held,
    ItemStatus.failed,
)


class ReminderSchedule(SQLModel, table=True):
    """What a source domain registered: when (local wall times + RRULE) and what to say."""

    __tablename__ = "reminder_schedule"
    __table_args__ = (UniqueConstraint("kind", "source_id", name="uq_reminder_schedule_source"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=24)
    source_id: uuid.UUID
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=500)
    url: str = Field(default="/", max_length=500)
    # "HH:MM,HH:MM" local wall times: several reminder times per item.
    local_times: str = Field(max_length=300)
    rrule: str | None = Field(default=None, max_length=500)
    start_on: date
    only_if_not_done: bool = Field(default=True)
    active: bool = Field(default=True)
    # Occurrences due before this instant are already in the outbox.
    planned_until_at: datetime | None = utc_field(nullable=True, index=True)
    created_at: datetime = utc_field(default=clock.now)
    updated_at: datetime = utc_field(default=clock.now)


class ReminderItem(SQLModel, table=True):
    """One occurrence to deliver (outbox) and, once due, one entry in the client's inbox."""

    __tablename__ = "reminder_item"
    __table_args__ = (
        UniqueConstraint("schedule_id", "occurrence_key", name="uq_reminder_item_occurrence"),
        # The dispatcher's claim: only unfinished rows are indexed, so the index stays small however
        # long the history grows. No index covers status/lease columns, so a claim is a HOT update
        # on PostgreSQL (fillfactor leaves room on the page): no index writes in the 08:00 burst.
        Index(
            "ix_reminder_item_due",
            "due_at",
            postgresql_where=text("finished_at IS NULL"),
            sqlite_where=text("finished_at IS NULL"),
        ),
        Index("ix_reminder_item_inbox", "client_id", "planned_at"),
        # Today's "new reminders" count reads only unread rows: a partial index keeps that count
        # proportional to what is unread, not to the client's whole reminder history.
        Index(
            "ix_reminder_item_unread",
            "client_id",
            postgresql_where=text("read_at IS NULL AND acknowledged_at IS NULL"),
            sqlite_where=text("read_at IS NULL AND acknowledged_at IS NULL"),
        ),
        {"postgresql_with": {"fillfactor": 80}},
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    schedule_id: uuid.UUID | None = Field(default=None, foreign_key="reminder_schedule.id")
    client_id: uuid.UUID = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=24)
    source_id: uuid.UUID
    occurrence_key: str = Field(max_length=48)
    local_day: date
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=500)
    url: str = Field(default="/", max_length=500)
    only_if_not_done: bool = Field(default=False)
    planned_at: datetime = utc_field()
    due_at: datetime = utc_field()
    status: str = Field(default=ItemStatus.pending, max_length=16)
    attempts: int = Field(default=0)
    lease_until: datetime | None = utc_field(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    snoozed: bool = Field(default=False)
    # Per-channel sent state of the attempt under way: the push answers summed up (a PushOutcome
    # value, or "none" without devices) and how many devices took them, written as soon as the
    # pushes are done and before any email; cleared when the attempt ends. Whoever finishes a
    # crashed claim never pushes twice.
    push_result: str | None = Field(default=None, max_length=16)
    push_delivered: int | None = Field(default=None)
    delivery_note: str = Field(default="", max_length=200)
    finished_at: datetime | None = utc_field(nullable=True)
    read_at: datetime | None = utc_field(nullable=True)
    acknowledged_at: datetime | None = utc_field(nullable=True)


class ReminderDelivery(SQLModel, table=True):
    """One attempt on one channel, with the answer it got (for the inbox and for support)."""

    __tablename__ = "reminder_delivery"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    item_id: uuid.UUID = Field(foreign_key="reminder_item.id", index=True)
    channel: str = Field(max_length=8)  # push | email
    # No foreign key: a removed device keeps its history, and a burst of 10,000 inserts skips a
    # referential check per row.
    subscription_id: uuid.UUID | None = Field(default=None)
    outcome: str = Field(max_length=16)  # delivered | gone | retry | rejected
    status_code: int | None = Field(default=None)
    detail: str = Field(default="", max_length=200)
    attempted_at: datetime = utc_field(default=clock.now)


class PushSubscription(SQLModel, table=True):
    """A device that asked for Web Push. Pruned (gone_at set) when the push service says 404/410,
    kept so the therapist dashboard can say reminders stopped reaching this client."""

    __tablename__ = "push_subscription"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    endpoint: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    p256dh: str = Field(max_length=120)
    auth: str = Field(max_length=60)
    device_name: str = Field(max_length=80)
    created_at: datetime = utc_field(default=clock.now)
    last_success_at: datetime | None = utc_field(nullable=True)
    last_failure_at: datetime | None = utc_field(nullable=True)
    gone_at: datetime | None = utc_field(nullable=True)
    gone_reason: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))


class ReminderPreference(SQLModel, table=True):
    """Per-client choices. Kinds are comma-separated lists of kind names."""

    __tablename__ = "reminder_preference"

    client_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    quiet_start: str | None = Field(default=None, max_length=5)  # "HH:MM" local
    quiet_end: str | None = Field(default=None, max_length=5)
    muted_kinds: str = Field(default="", max_length=200)
    email_enabled: bool = Field(default=False)
    email_muted_kinds: str = Field(default="", max_length=200)
    paused_from: date | None = Field(default=None)
    paused_until: date | None = Field(default=None)
    updated_at: datetime = utc_field(default=clock.now)


# What the client's Today shows of their inbox (app/reminders/today.py) is kept while this write
# mark holds (app/write_marks.py): every statement that writes either table changes it, from any
# process and any path, the dispatcher's raw SQL included. Declared beside the tables, so that every
# process that writes them has it.
INBOX_MARK = write_marks.named("reminders inbox")
write_marks.watch({ReminderItem.__tablename__, PushSubscription.__tablename__}, INBOX_MARK)
