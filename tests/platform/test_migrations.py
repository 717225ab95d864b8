"""Alembic migrations are the only way the schema is made: they must match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from app.migrate import alembic_config
from app.models import metadata


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == [], f"models and migrations differ: {differences}"


def test_migrations_reach_every_head(engine: Engine) -> None:
    """Every head is applied. A revision that `depends_on` another branch's head makes Alembic record
    only the dependant, so compare against everything the applied revisions reach, not the table."""
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        applied = tuple(
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        )
    reached = {revision.revision for revision in script.iterate_revisions(applied, "base")}
    assert set(script.get_heads()) <= reached
