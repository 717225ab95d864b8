"""accounts: two-step login hardening: sealed TOTP secrets, last used time step, recovery codes

Existing TOTP secrets (plain base32) are sealed with the key derived from GW_SECRET_KEY; the
downgrade opens them again.

Revision ID: accounts_0002
Revises: accounts_0001
Create Date: 2026-12-06 07:40:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = "accounts_0002"
down_revision: str | Sequence[str] | None = "accounts_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table("user_account", sa.column("id", sa.Uuid()), sa.column("totp_secret", sa.String()))


def _rewrite(change: Callable[[str], str | None]) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    )
    for user_id, stored in rows.all():
        fresh = change(stored)
        if fresh is not None and fresh != stored:
            conn.execute(users.update().where(users.c.id == user_id).values(totp_secret=fresh))


def upgrade() -> None:
    from app.accounts import two_factor

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=64),
            type_=sqlmodel.sql.sqltypes.AutoString(length=255),
            existing_nullable=True,
        )
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_code_hash"), ["code_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_recovery_code_user_id"), ["user_id"], unique=False)
    _rewrite(lambda stored: two_factor.seal(stored) if two_factor.is_plain(stored) else stored)


def downgrade() -> None:
    from app.accounts import two_factor

    _rewrite(two_factor.unseal)
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_code_user_id"))
        batch_op.drop_index(batch_op.f("ix_recovery_code_code_hash"))
    op.drop_table("recovery_code")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.alter_column(
            "totp_secret",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=255),
            type_=sqlmodel.sql.sqltypes.AutoString(length=64),
            existing_nullable=True,
        )
