"""Start-up warm-ups: the navigation's route table and the dashboard's row cache are built in the
background when the app starts, so the first signed-in page after a restart does not pay for them."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import set_engine
from app.main import create_app
from app.progress import dashboard, row_cache
from app.routes import page_paths
from tests import factories
from tests.databases import migrated_sqlite


def test_the_route_table_and_the_row_cache_are_warm_soon_after_start(engine: Engine) -> None:
    """On a database of its own (the warm-up reads committed rows), swapped in for the app."""
    with migrated_sqlite() as own:
        set_engine(own)
        try:
            _start_and_check(own)
        finally:
            set_engine(engine)


def _start_and_check(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        therapist = factories.therapist(session, factories.clinic(session, name="Warm-up clinic"))
        client = factories.client(session, therapist=therapist)
        factories.login_token(session, therapist)
        session.commit()
        clients = dashboard.caseload(session, therapist.id)
    row_cache.CACHE.clear()
    app = create_app()
    assert getattr(app.state, "page_paths", None) is None
    with TestClient(app):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            getattr(app.state, "page_paths", None) is None or len(row_cache.CACHE) == 0
        ):
            time.sleep(0.05)
    assert "/dashboard" in app.state.page_paths
    assert app.state.page_paths == page_paths(create_app())
    assert [c.id for c in clients] == [client.id]
    assert len(row_cache.CACHE) >= 1
