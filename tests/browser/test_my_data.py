"""On a phone: Settings → Download my data → Prepare my download; the page shows the build's
progress while the real worker builds it from the live server's database; the link appears and
the ZIP downloads. axe finds 0 violations on each state of the page."""

from __future__ import annotations

import io
import re
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


PRIYA = "priya@demo.groundwork.local"


def test_client_closes_their_account_and_restores_it_from_the_email(
    phone: Any, new_phone: Any, live_server: LiveServer
) -> None:
    page = phone
    login(page, PRIYA, DEMO_PASSWORD)
    page.goto("/my-data")
    page.get_by_role("link", name="Close my account…").click()
    page.wait_for_url("**/my-data/close")
    expect(page.get_by_role("heading", name="After 14 days")).to_be_visible()
    assert_accessible(page, "my-data-close")

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Close my account").click()
    expect(page.locator("#f-current_password-error")).to_contain_text("That password isn't right")
    assert_accessible(page, "my-data-close-error")

    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Close my account").click()
    page.wait_for_url("**/account/closed**")
    expect(page.get_by_role("status")).to_contain_text("logged out everywhere")
    assert_accessible(page, "account-closed")
    page.goto("/today")
    page.wait_for_url("**/login**")  # every session ended at once

    told = live_server.mailbox.body_of(live_server.mailbox.last_to("daniel@demo.groundwork.local"))
    assert "Priya has closed their Groundwork account" in told
    mail = live_server.mailbox.body_of(live_server.mailbox.last_to(PRIYA))
    link = re.search(r"https?://\S+/account/restore/\S+", mail)
    assert link is not None

    back = new_phone()
    back.goto(link.group(0))
    assert_accessible(back, "account-restore")
    back.get_by_role("button", name="Restore my account").click()
    expect(back.get_by_role("status")).to_contain_text("Welcome back, Priya")
    login(back, PRIYA, DEMO_PASSWORD)
    back.wait_for_url("**/today")


def test_clinic_admin_makes_a_copy_for_a_client(new_phone: Any, live_db: Engine) -> None:
    admin = new_phone()
    login(admin, "admin@demo.groundwork.local", DEMO_PASSWORD)
    admin.goto("/admin")
    admin.get_by_role("link", name="Clients' data").click()
    admin.wait_for_url("**/admin/clients")
    assert_accessible(admin, "admin-clients")
    admin.get_by_role("link", name="Jordan", exact=True).click()
    admin.wait_for_url(re.compile(r"/admin/clients/[0-9a-f-]{36}$"))
    assert_accessible(admin, "admin-client")
    admin.get_by_role("button", name="Prepare a copy").click()
    expect(admin.locator("#export-progress")).to_be_visible()
    while worker.run_once(now=clock.now, worker="browser-test", engine=live_db) is not None:
        pass
    admin.reload()
    with admin.expect_download() as info:
        admin.get_by_role("link", name="Download (ZIP)").click()
    zipped = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    # The clinic's request is in the client's own audit trail, inside the copy itself.
    assert "my_data.export.request" in zipped.read("csv/audit_event.csv").decode()
    assert zipped.read("summary.pdf").startswith(b"%PDF-")
