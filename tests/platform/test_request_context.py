"""The request-context middleware's anonymous CSRF cookie: set once on a first HTML page, never
beside a session cookie, and a malformed Cookie header never breaks the page."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def _anon_cookie_set(response: httpx.Response) -> bool:
    headers = response.headers.get_list("set-cookie")
    return any(h.startswith("gw_csrf=") for h in headers)


def _get(client: TestClient, path: str, cookie: str | None) -> httpx.Response:
    client.cookies.clear()
    headers = {"Cookie": cookie} if cookie is not None else {}
    return client.get(path, headers=headers, follow_redirects=False)


def test_a_first_visit_gets_the_anonymous_csrf_cookie_on_html_only(client: TestClient) -> None:
    assert _anon_cookie_set(_get(client, "/login", None))
    assert not _anon_cookie_set(_get(client, "/healthz/live", None))


@pytest.mark.parametrize(
    "cookie",
    [
        "gw_csrf=already-here",
        "theme=dark; gw_csrf=already-here",
        "gw_session=not-a-live-session",
        "other=1; gw_session=x",
    ],
)
def test_no_new_anonymous_cookie_beside_one_or_beside_a_session(
    client: TestClient, cookie: str
) -> None:
    assert not _anon_cookie_set(_get(client, "/login", cookie))


@pytest.mark.parametrize("cookie", ['a="unterminated; b', "=;;=; ; \x7f", "gw_csrf"])
def test_a_malformed_cookie_header_still_gets_the_page(client: TestClient, cookie: str) -> None:
    response = _get(client, "/login", cookie)
    assert response.status_code == 200
