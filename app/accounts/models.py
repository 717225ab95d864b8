"""Organisations, people, sessions, invites and the care links that make a caseload."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from app import clock, data_version
from app.db import new_id, secret_field, utc_field


class Role(StrEnum):
    client = "client"
    therapist = "therapist"
    admin = "admin"


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=120)
    country: str = Field(default="GB", max_length=2)
    created_at: datetime = utc_field(default=clock.now)


class User(SQLModel, table=True):
    """Anyone who logs in. A client's profile lives here too: one row, one person."""

    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    email: str | None = Field(default=None, max_length=254, unique=True, index=True)
    password_hash: str | None = secret_field(max_length=255)
    role: Role = Field(max_length=16, index=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    preferred_name: str = Field(max_length=80)
    time_zone: str = Field(default="Europe/London", max_length=64)
    country: str = Field(default="GB", max_length=2)
    language: str = Field(default="en", max_length=8)
    # The therapist who founded a clinic manages its accounts (invites colleagues, reads the audit log).
    is_clinic_admin: bool = Field(default=False)
    # Sealed (encrypted) with a key derived from the secret key: app.accounts.two_factor.
    totp_secret: str | None = secret_field(max_length=255)
    totp_enabled: bool = Field(default=False)
    # The last TOTP time step a code was accepted for: a code works once, however fast it is replayed.
    totp_last_step: int | None = Field(default=None, sa_type=BigInteger)
    is_active: bool = Field(default=True)
    created_at: datetime = utc_field(default=clock.now)
    activated_at: datetime | None = utc_field(nullable=True)
    last_seen_at: datetime | None = utc_field(nullable=True)
    archived_at: datetime | None = utc_field(nullable=True)


class AuthSession(SQLModel, table=True):
    """Server-side session: the cookie holds a random token, the database only its hash,
    so logout and "log out my other devices" end a session for real."""

    __tablename__ = "auth_session"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    csrf_token: str = Field(max_length=64)
    mfa_pending: bool = Field(default=False)
    user_agent: str = Field(default="", max_length=300)
    ip_address: str = Field(default="", max_length=64)
    created_at: datetime = utc_field(default=clock.now)
    last_seen_at: datetime = utc_field(default=clock.now)
    expires_at: datetime = utc_field()
    revoked_at: datetime | None = utc_field(nullable=True)


class InviteKind(StrEnum):
    client = "client"  # a therapist created this client; accepting sets their password
    therapist = "therapist"  # a clinic admin invites a colleague
    link = "link"  # a self-managing client links to this therapist with the code


class Invite(SQLModel, table=True):
    """Single-use and expiring. The link token and the short spoken code are stored hashed."""

    __tablename__ = "invite"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: InviteKind = Field(max_length=16)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    therapist_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id", index=True)
    email: str | None = Field(default=None, max_length=254)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = utc_field(default=clock.now)
    expires_at: datetime = utc_field()
    accepted_at: datetime | None = utc_field(nullable=True)
    revoked_at: datetime | None = utc_field(nullable=True)


class CareLink(SQLModel, table=True):
    """A therapist's access to a client. Ending it ends access on the next request."""

    __tablename__ = "care_link"
    # Watched: the client's Today shows only homework from therapists caring for them now.
    __table_args__ = data_version.watched(
        UniqueConstraint("therapist_id", "client_id", "started_at")
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    therapist_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    client_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    started_at: datetime = utc_field(default=clock.now)
    ended_at: datetime | None = utc_field(nullable=True)


class PasswordReset(SQLModel, table=True):
    __tablename__ = "password_reset"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = utc_field(default=clock.now)
    expires_at: datetime = utc_field()
    used_at: datetime | None = utc_field(nullable=True)


class LoginFailure(SQLModel, table=True):
    """Recent failed logins, keyed by a hash of the account name or of the address.
    Kept in the database so several processes throttle together."""

    __tablename__ = "login_failure"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key_hash: str = Field(max_length=64, index=True)
    at: datetime = utc_field(default=clock.now, index=True)


class PendingSignup(SQLModel, table=True):
    """A sign-up waiting for its email to be confirmed. The account is made only then, so the
    sign-up form answers the same whether or not the email already has an account, and nobody
    can hold an address they do not read."""

    __tablename__ = "pending_signup"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(max_length=254, index=True)
    kind: str = Field(max_length=16)  # "client" or "therapist"
    name: str = Field(max_length=80)
    clinic_name: str | None = Field(default=None, max_length=200)
    country: str = Field(max_length=2)
    time_zone: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    created_at: datetime = utc_field(default=clock.now)
    expires_at: datetime = utc_field()
    used_at: datetime | None = utc_field(nullable=True)


class RecoveryCode(SQLModel, table=True):
    """One-time codes for two-step login without the phone. Stored as SHA-256 of the user and a
    78-bit random code (too long to brute-force from a leaked table), shown once."""

    __tablename__ = "recovery_code"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = utc_field(default=clock.now)
    used_at: datetime | None = utc_field(nullable=True)


class RecordKind(StrEnum):
    """The kinds of record a client may keep to themself (docs/my_data.md, "What my therapist
    sees"). Homework and assigned questionnaires are not here: the therapist set them, so their
    completion is shared by nature."""

    mood = "mood"  # the mood log and its notes
    calm = "calm"  # calm tool uses and their distress ratings
    sensory = "sensory"  # the sensory profile


class PrivateRecordKind(SQLModel, table=True):
    """One row per kind the client keeps private; no row means shared (the default, as before).
    The access policy reads it (`policy.private_kinds`); each domain applies it to its own rows."""

    __tablename__ = "private_record_kind"
    __table_args__ = data_version.watched()

    client_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    kind: RecordKind = Field(primary_key=True, max_length=16)
    changed_at: datetime = utc_field(default=clock.now)


# Every process that can write these tables changes the kept sessions' mark when it does: the
# listeners register on import (app/accounts/kept_sessions.py).
from app.accounts import kept_sessions  # noqa: E402, F401
