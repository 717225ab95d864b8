"""The installable app's promises that do not need a browser: the "Calm now" home-screen shortcut
opens a page the service worker keeps offline; the worker keeps Today; the offline page offers calm,
the safety plan and the crisis lines (issue 20)."""

from __future__ import annotations

import json
import re

from app.accounts.models import User
from tests.conftest import Http


def _precache(http: Http) -> list[str]:
    source = http.get("/sw.js").text
    match = re.search(r"^const PRECACHE = (.*);$", source, re.MULTILINE)
    assert match
    return [str(url) for url in json.loads(match.group(1))]


def test_the_calm_now_shortcut_opens_a_page_kept_for_offline_use(http: Http) -> None:
    shortcuts = http.get("/manifest.webmanifest").json()["shortcuts"]
    calm = next(s for s in shortcuts if s["name"] == "Calm now")
    assert calm["url"] in _precache(http)
    assert all(s["url"] in _precache(http) for s in shortcuts)


def test_the_worker_keeps_today_and_answers_the_start_page_with_it(
    http: Http, client_user: User
) -> None:
    source = http.get("/sw.js").text
    assert 'const TODAY_KEY = "/today";' in source
    assert 'const START_PATHS = ["/", "/today"];' in source
    # The mark the worker rewrites when it serves the phone's copy is on Today, once.
    today = http.as_(client_user).get("/today").text
    assert today.count('data-served="network"') == 1
    assert 'data-served="network"' in source


def test_the_offline_page_offers_calm_safety_plan_and_crisis_lines(http: Http) -> None:
    page = http.get("/offline").text
    for href in ("/calm", "/calm/safety-plan", "/crisis", "/today"):
        assert f'href="{href}"' in page
