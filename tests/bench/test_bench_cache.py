"""The data cache key follows what shapes the data, and nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from bench import database


def test_the_key_changes_with_the_day_the_size_and_the_database_kind() -> None:
    base = database.cache_key(clients=10_000, kind="sqlite", today=date(2026, 1, 5))
    assert base == database.cache_key(clients=10_000, kind="sqlite", today=date(2026, 1, 5))
    assert base != database.cache_key(clients=10_000, kind="sqlite", today=date(2026, 1, 6))
    assert base != database.cache_key(clients=2_000, kind="sqlite", today=date(2026, 1, 5))
    assert base != database.cache_key(clients=10_000, kind="postgresql", today=date(2026, 1, 5))


def test_a_postgres_database_without_bench_in_its_name_is_refused() -> None:
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        database.target(
            database_url="postgresql://postgres@127.0.0.1:5432/test", clients=10, today=date.today()
        )


def test_a_bare_postgresql_url_gets_the_psycopg_driver() -> None:
    url = database.engine_url("postgresql://postgres@127.0.0.1:5432/groundwork_bench")
    assert url.drivername == "postgresql+psycopg"
