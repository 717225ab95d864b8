"""On a phone: Settings → Download my data → Prepare my download; the page shows the build's
progress while the real worker builds it from the live server's database; the link appears and
the ZIP downloads. axe finds 0 violations on each state of the page."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine

from app import clock
from app.db import make_engine
from app.demo import DEMO_PASSWORD
from app.my_data import worker
from tests.browser.fixtures import LiveServer, assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{live_server.data_dir / 'groundwork.db'}")
    yield engine
    engine.dispose()


def test_client_downloads_their_data_on_a_phone(phone: Any, live_db: Engine) -> None:
    page = phone
    login(page, "priya@demo.groundwork.local", DEMO_PASSWORD)
    page.goto("/settings")
    page.get_by_role("link", name="Download my data").click()
    page.wait_for_url("**/my-data")
    assert_accessible(page, "my-data")

    page.get_by_role("button", name="Prepare my download").click()
    page.wait_for_url("**/my-data#h-download")
    expect(page.locator("#export-progress")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Getting your file ready")
    assert_accessible(page, "my-data-building")

    # The scheduler is off in the live server: run the real worker against its database.
    built = worker.run_once(now=clock.now, worker="browser-test", engine=live_db)
    assert built is not None
    link = page.get_by_role("link", name="Download my data (ZIP")
    expect(link).to_be_visible(timeout=15_000)  # the page polls, then reloads when ready
    expect(page.get_by_role("status")).to_contain_text("The link works until")
    assert_accessible(page, "my-data-ready")

    with page.expect_download() as info:
        link.click()
    names = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())).namelist()
    assert {"summary.pdf", "groundwork.fhir.json", "csv/mood_log.csv"} <= set(names)
