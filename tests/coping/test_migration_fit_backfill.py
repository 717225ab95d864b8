"""coping_0002 creates coping_sensory_fit and backfills it from the sensory rows already stored,
with the same derivation the sensory service's hook uses (both databases)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from app.migrate import alembic_config
from app.sensory import fit_cache
from app.sensory import service as sensory
from app.sensory.models import SensoryFitCache, SensoryKit, SensoryProfileVersion
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite


@contextmanager
def _fresh(kind: str) -> Iterator[Engine]:
    with migrated_sqlite("backfill") if kind == "sqlite" else migrated_postgres() as engine:
        yield engine


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_migration_backfills_every_client_with_sensory_data(kind: str) -> None:
    with _fresh(kind) as engine:
        url = engine.url.render_as_string(hide_password=False)
        with Session(engine) as session:
            clinic = factories.clinic(session)
            ot = factories.therapist(session, clinic)
            both, only_kit, only_profile, none = (
                factories.client(session, therapist=ot) for _ in range(4)
            )
            for who, version, responses in (
                (both, 1, {"auditory": "seek"}),
                (both, 2, {"auditory": "avoid", "tactile": "overwhelmed"}),
                (only_profile, 1, {"vestibular": "seek"}),
            ):
                session.add(
                    SensoryProfileVersion(
                        client_id=who.id, version=version, responses=responses, created_by_id=ot.id
                    )
                )
            for who, items in ((both, ["cold_pack"]), (only_kit, ["phone", "stress_ball"])):
                session.add(SensoryKit(client_id=who.id, items=items, updated_by_id=ot.id))
            session.commit()
            ids = {p.id for p in (both, only_kit, only_profile)}
            none_id, both_id = none.id, both.id

        engine.dispose()
        command.downgrade(alembic_config(url), "coping_0001")
        assert "coping_sensory_fit" not in inspect(engine).get_table_names()
        engine.dispose()
        command.upgrade(alembic_config(url), "heads")

        with Session(engine) as session:
            rows = {r.client_id: r for r in session.exec(select(SensoryFitCache))}
            assert set(rows) == ids
            assert none_id not in rows
            for cid, row in rows.items():
                cached = fit_cache.from_columns(row.seeks, row.avoids, row.overwhelmed, row.kit)
                assert cached == sensory.ranking_fit(session=session, client_id=cid)
                assert row.checklist_version == fit_cache.current_version()
            latest = rows[both_id]
            assert (latest.avoids, latest.overwhelmed, latest.kit) == (
                "auditory",
                "tactile",
                "cold_pack",
            )
