"""The background build on a database of its own (the worker opens its own sessions and commits,
as in production): claim, progress, ready with an expiring link, retry, crash recovery, purge."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.db import open_session
from app.errors import NotFound
from app.my_data import build, closure, service, worker
from app.my_data.models import AccountClosure, ClosureStatus, DataExport, ExportStatus
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def wdb(request: pytest.FixtureRequest) -> Iterator[Engine]:
    factory = migrated_sqlite if request.param == "sqlite" else migrated_postgres
    with factory() as engine:
        yield engine


def _queued(engine: Engine) -> uuid.UUID:
    with Session(engine, expire_on_commit=False) as s, clock.frozen_at(NOW):
        therapist = factories.therapist(s, factories.clinic(s))
        client = factories.client(s, therapist=therapist)
        export = service.request_export(s, client=client, requested_by=client)
        return export.id


def _row(engine: Engine, export_id: uuid.UUID) -> DataExport:
    with Session(engine, expire_on_commit=False) as s:
        row = s.get(DataExport, export_id)
        assert row is not None
        return row


def _drain(engine: Engine, at: datetime) -> None:
    """Earlier tests' leftovers first, so each test sees its own row picked next."""
    while worker.run_once(now=lambda: at, worker="drain", engine=engine) is not None:
        pass


def test_a_queued_download_is_built_with_progress_and_an_expiring_link(
    wdb: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drain(wdb, NOW)
    export_id = _queued(wdb)
    seen: list[int] = []
    real = worker._write

    def spy(engine: Engine | None, eid: uuid.UUID, name: str, **values: object) -> None:
        real(engine, eid, name, **values)
        seen.append(_row(wdb, eid).percent)

    monkeypatch.setattr(worker, "_write", spy)
    assert worker.run_once(now=lambda: NOW, worker="w1", engine=wdb) == export_id
    row = _row(wdb, export_id)
    assert row.status == ExportStatus.ready
    assert row.expires_at == NOW + worker.LINK_LIFETIME
    assert row.content is not None
    assert row.size == len(row.content)
    assert "csv/mood_log.csv" in zipfile.ZipFile(io.BytesIO(row.content)).namelist()
    # Progress was stored as the build went (the page reads it from another request).
    assert len(seen) > 10
    assert seen == sorted(seen)
    assert seen[-1] == 100
    assert service.downloadable(row, now=NOW + timedelta(days=6)) == row.content
    with pytest.raises(NotFound, match="expired"):
        service.downloadable(row, now=NOW + timedelta(days=7, seconds=1))


def test_nothing_queued_means_nothing_claimed(wdb: Engine) -> None:
    _drain(wdb, NOW)
    assert worker.run_once(now=lambda: NOW, worker="w1", engine=wdb) is None


def test_asking_twice_while_building_returns_the_same_download(wdb: Engine) -> None:
    _drain(wdb, NOW)
    export_id = _queued(wdb)
    with Session(wdb, expire_on_commit=False) as s:
        row = s.get(DataExport, export_id)
        assert row is not None
        client = s.get(User, row.client_id)
        assert client is not None
        again = service.request_export(s, client=client, requested_by=client)
    assert again.id == export_id


def test_a_crashed_build_is_claimed_again_after_its_lease(wdb: Engine) -> None:
    _drain(wdb, NOW)
    export_id = _queued(wdb)
    with open_session(write=True, engine=wdb) as s:
        assert worker.claim_next(s, now=NOW, worker="died") == export_id
    # While the lease holds, nobody else takes it.
    assert worker.run_once(now=lambda: NOW + timedelta(seconds=30), worker="w2", engine=wdb) is None
    later = NOW + worker.LEASE + timedelta(seconds=1)
    assert worker.run_once(now=lambda: later, worker="w2", engine=wdb) == export_id
    row = _row(wdb, export_id)
    assert row.status == ExportStatus.ready
    assert row.attempts == 2
    assert row.claimed_by == "w2"


def test_a_failing_build_is_retried_then_marked_failed(
    wdb: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drain(wdb, NOW)
    export_id = _queued(wdb)

    def broken(*_a: object, **_k: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "build", broken)
    for attempt in range(1, worker.MAX_ATTEMPTS + 1):
        assert worker.run_once(now=lambda: NOW, worker="w1", engine=wdb) == export_id
        expected = ExportStatus.failed if attempt == worker.MAX_ATTEMPTS else ExportStatus.queued
        assert _row(wdb, export_id).status == expected
    assert worker.run_once(now=lambda: NOW, worker="w1", engine=wdb) is None


def test_expired_links_lose_their_file(wdb: Engine) -> None:
    _drain(wdb, NOW)
    export_id = _queued(wdb)
    worker.run_once(now=lambda: NOW, worker="w1", engine=wdb)
    assert worker.purge_expired(now=NOW + timedelta(days=1), engine=wdb) == 0
    assert worker.purge_expired(now=NOW + timedelta(days=8), engine=wdb) >= 1
    row = _row(wdb, export_id)
    assert row.status == ExportStatus.expired
    assert row.content is None


def test_the_ticker_erases_only_after_the_grace_period(wdb: Engine) -> None:
    with Session(wdb, expire_on_commit=False) as s, clock.frozen_at(NOW):
        therapist = factories.therapist(s, factories.clinic(s))
        client = factories.client(s, therapist=therapist)
        closed = closure.close(s, client=client, requested_by=client)
    assert closure.erase_due(now=NOW + closure.GRACE - timedelta(seconds=1), engine=wdb) == 0
    with clock.frozen_at(NOW + closure.GRACE):
        assert closure.erase_due(now=clock.now(), engine=wdb) >= 1
    with Session(wdb) as s:
        row = s.get(AccountClosure, closed.closure.id)
        stub = s.get(User, client.id)
        assert row is not None
        assert stub is not None
        assert row.status == ClosureStatus.erased
        assert stub.email is None

    assert row.retain_until is not None
    day_before = datetime.combine(row.retain_until, datetime.min.time(), tzinfo=UTC)
    assert closure.delete_retained_due(now=day_before - timedelta(seconds=1), engine=wdb) == 0
    with clock.frozen_at(day_before):
        assert closure.delete_retained_due(now=clock.now(), engine=wdb) >= 1
    with Session(wdb) as s:
        row = s.get(AccountClosure, closed.closure.id)
        assert row is not None
        assert row.retained_deleted_at is not None
