"""Response headers: HSTS whenever the public address is https, and a Permissions-Policy everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app

PATHS = ["/login", "/healthz/live", "/api/v1/crisis-lines", "/static/css/app.css", "/nowhere"]


def _policy(response: Any) -> dict[str, str]:
    entries = [e.strip() for e in response.headers["permissions-policy"].split(",")]
    return dict(e.split("=", 1) for e in entries)


def test_https_deployments_send_hsts_on_every_response(monkeypatch: Any) -> None:
    monkeypatch.setattr(get_settings(), "base_url", "https://groundwork.example.org")
    with TestClient(create_app(), base_url="https://groundwork.example.org") as client:
        for path in PATHS:
            hsts = client.get(path, follow_redirects=False).headers["strict-transport-security"]
            assert "includeSubDomains" in hsts
            assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


@pytest.mark.parametrize("path", PATHS)
def test_plain_http_sends_no_hsts_but_a_permissions_policy(app: Any, path: str) -> None:
    assert get_settings().base_url.startswith("http://")
    with TestClient(app) as client:
        response = client.get(path, follow_redirects=False)
    assert "strict-transport-security" not in response.headers
    policy = _policy(response)
    for unused in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[unused] == "()"
    # The routine player keeps the screen on; copy buttons use the clipboard.
    assert policy["screen-wake-lock"] == "(self)"
    assert policy["clipboard-write"] == "(self)"
