"""Writes per signed-in person are rate-limited far above human pace: 429 + Retry-After, never a wait."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from app.accounts import throttle
from app.accounts.throttle import WriteBuckets
from app.config import get_settings
from tests import factories

PROFILE = {"name": "Sam", "time_zone": "Europe/London", "country": "GB"}


def test_the_default_allowance_is_far_above_human_pace() -> None:
    s = get_settings()
    # A phone replaying a week offline sends a few dozen writes at once; a person taps a few a minute.
    assert s.write_burst >= 100
    assert s.write_rate_per_minute >= 30
    # …and far below the flood that was seen (4,576 check-ins on one habit in a day, in bursts).
    assert s.write_burst < 1000


def test_a_bucket_allows_a_burst_then_one_write_per_refill() -> None:
    buckets = WriteBuckets(per_minute=60, burst=3)
    who = uuid.uuid4()
    assert [buckets.take(who, now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take(who, now=0.0) == pytest.approx(1.0)
    assert buckets.take(who, now=0.5) == pytest.approx(0.5)
    assert buckets.take(who, now=1.0) == 0.0
    # Someone else has their own bucket.
    assert buckets.take(uuid.uuid4(), now=1.0) == 0.0
    # A long pause refills to the burst, never beyond it.
    assert [buckets.take(who, now=1000.0) for _ in range(4)][-1] > 0


def test_idle_buckets_are_forgotten() -> None:
    buckets = WriteBuckets(per_minute=60, burst=2)
    for n in range(50):
        buckets.take(uuid.uuid4(), now=float(n))
    buckets.take(uuid.uuid4(), now=500.0)
    assert len(buckets) == 1


@pytest.fixture
def small_allowance(monkeypatch: Any) -> Iterator[None]:
    monkeypatch.setattr(get_settings(), "write_burst", 3)
    monkeypatch.setattr(get_settings(), "write_rate_per_minute", 1)
    throttle.reset_write_buckets()
    yield
    throttle.reset_write_buckets()


@pytest.mark.usefixtures("small_allowance")
def test_a_flood_of_api_writes_gets_429_with_retry_after(http: Any, session: Any) -> None:
    person = factories.client(session)
    http.as_(person)
    answers = [http.patch("/api/v1/me", json=PROFILE).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = http.patch("/api/v1/me", json=PROFILE)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"] == "/problems/rate-limited"
    assert 0 < int(refused.headers["retry-after"]) <= 60
    # Reads are never limited, nor logging out.
    assert http.get("/api/v1/me").status_code == 200
    assert http.post("/logout").status_code == 303


@pytest.mark.usefixtures("small_allowance")
def test_page_forms_count_too_and_others_are_unaffected(http: Any, session: Any) -> None:
    person, other = factories.client(session), factories.client(session)
    http.as_(person)
    for _ in range(3):
        assert http.post("/settings/logout-others").status_code == 303
    refused = http.post("/settings/logout-others")
    assert refused.status_code == 429
    assert "retry-after" in refused.headers
    http.as_(other)
    assert http.post("/settings/logout-others").status_code == 303


@pytest.mark.usefixtures("small_allowance")
def test_forged_requests_do_not_spend_someones_allowance(http: Any, session: Any) -> None:
    person = factories.client(session)
    http.as_(person)
    for _ in range(10):
        forged = http.client.patch("/api/v1/me", json=PROFILE, headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
    assert http.patch("/api/v1/me", json=PROFILE).status_code == 200
