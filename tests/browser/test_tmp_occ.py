from __future__ import annotations
from typing import Any
import re
import pytest
from tests.browser.fixtures import PHONE
from tests.browser.spanish import english_in, our_words
from tests.browser.test_spanish_everywhere import spanish_clinic, log_in, spanish_problems  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("who", ["ruth@demo.groundwork.local", "priya@demo.groundwork.local"])
def test_occ(who: str, browser: Any, spanish_clinic: Any) -> None:
    context = browser.new_context(viewport=PHONE, base_url=spanish_clinic.url, locale="es-MX", is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, who)
    if who.startswith("ruth"):
        page.goto("/caseload")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        cid = next(re.search(r"/caseload/([0-9a-f-]{36})", h).group(1) for h in hrefs if re.search(r"/caseload/[0-9a-f-]{36}", h))
        base = f"/caseload/{cid}/occupation"
        paths = [f"/caseload/{cid}", base, f"{base}/profile", f"{base}/profile/print", f"{base}/activities", f"{base}/diary", f"{base}/interests", f"{base}/review", f"{base}/discharge", f"{base}/discharge/print"]
    else:
        base = "/occupation"
        paths = ["/today", base, f"{base}/profile", f"{base}/profile/print", f"{base}/activities", f"{base}/diary", f"{base}/interests", f"{base}/discharge"]
    for p in paths:
        r = page.goto(p)
        page.wait_for_load_state("networkidle")
        text = our_words(page)
        bad = english_in(text)
        print("\n==", p, r.status, page.locator("html").get_attribute("lang"), bad)
        if bad:
            for sent in re.split(r"\s{2,}|\n", text):
                if english_in(sent):
                    print("   >>", sent.strip()[:200])
        probs = [x for x in spanish_problems(page) if x.startswith("axe")]
        if probs:
            print("   AXE", probs)
    context.close()
