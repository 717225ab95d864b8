"""Alembic environment: the app's engine and metadata; the only way the schema is made."""

from __future__ import annotations

from alembic import context

from app.db import get_engine, make_engine
from app.models import metadata

config = context.config


def run_migrations_online() -> None:
    url = config.attributes.get("database_url")
    engine = make_engine(url) if url else get_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    if url:
        engine.dispose()


run_migrations_online()
