"""In development the reset link is shown on screen (the demo has no mail server), never logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from app.config import get_settings
from tests import factories


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage() + str(record.args or ""))


@pytest.fixture
def app_logs() -> Iterator[_Records]:
    """Everything the app logs (its loggers do not propagate, so caplog would see nothing)."""
    handler = _Records()
    root = logging.getLogger("groundwork")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _ask(http: Any, email: str | None) -> Any:
    assert email is not None
    http.as_(None)
    return http.post("/forgot", data={"email": email, "csrf_token": http.csrf})


def test_development_shows_the_link_on_screen_and_never_logs_it(
    http: Any, session: Any, app_logs: _Records, monkeypatch: Any
) -> None:
    monkeypatch.setattr(get_settings(), "environment", "development")
    person = factories.client(session)
    page = _ask(http, person.email)
    assert page.status_code == 200
    assert "data-demo-reset" in page.text
    link = page.text.split('<a href="http://testserver/reset/', 1)[1].split('"', 1)[0]
    assert http.get(f"/reset/{link}").status_code == 200
    assert not [line for line in app_logs.lines if link in line or "/reset/" in line]


def test_development_shows_nothing_extra_for_an_unknown_email(http: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(get_settings(), "environment", "development")
    page = _ask(http, "nobody@example.test")
    assert page.status_code == 200
    assert "data-demo-reset" not in page.text


def test_outside_development_the_link_is_never_shown(
    http: Any, session: Any, app_logs: _Records
) -> None:
    assert get_settings().environment == "test"
    page = _ask(http, factories.client(session).email)
    assert page.status_code == 200
    assert "/reset/" not in page.text
    assert not [line for line in app_logs.lines if "/reset/" in line]
