"""A write queued offline carries the moment of the tap, and the server files it under the client's
local day at that moment, not the day it arrives (issue 16, point 8; app/taps.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from app import clock, taps
from app.accounts.models import User
from app.errors import Unprocessable
from app.self_care.models import HabitCheckIn
from app.sensory.models import SensoryDietCheckoff

LONDON = ZoneInfo("Europe/London")  # the test client's zone (tests/factories.py)
MONDAY = date(2026, 11, 2)
TAP = datetime(2026, 11, 2, 23, 50, tzinfo=LONDON)  # Monday night, before midnight
REPLAY = datetime(2026, 11, 3, 0, 10, tzinfo=LONDON)  # sent twenty minutes later: Tuesday


def _habit(http: Any, client: User) -> str:
    with clock.frozen_at(TAP - timedelta(days=3)):
        r = http.as_(client).post("/api/v1/habits", json={"ladder": "water", "level": 1})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_check_in_tapped_before_midnight_and_sent_after_counts_for_the_day_tapped(
    http: Any, session: Session, client_user: User
) -> None:
    habit = _habit(http, client_user)
    url = f"/api/v1/habits/{habit}/check-ins"
    # The phone stamps its own offset: a New York phone clock for the same instant is the same tap.
    stamp = TAP.astimezone(ZoneInfo("America/New_York")).isoformat()
    with clock.frozen_at(REPLAY):
        queued = http.post(
            url, json={"id": str(uuid.uuid4()), "outcome": "done", "amount": 1, "tapped_at": stamp}
        )
        live = http.post(url, json={"id": str(uuid.uuid4()), "outcome": "partly"})
        detail = http.get(f"/api/v1/habits/{habit}").json()
    assert queued.status_code == 201, queued.text
    assert queued.json()["done_on"] == MONDAY.isoformat()
    assert live.json()["done_on"] == (MONDAY + timedelta(days=1)).isoformat()  # no stamp: today
    days = session.exec(select(HabitCheckIn.done_on).order_by(HabitCheckIn.done_on)).all()
    assert days == [MONDAY, MONDAY + timedelta(days=1)]
    assert detail["this_week"]["done"] == 1.0  # Monday's half glass and Tuesday's "partly"


def test_yesterday_is_relative_to_the_tap(http: Any, client_user: User) -> None:
    """A back-fill for "yesterday" chosen on Monday night is Sunday, even when it arrives on
    Tuesday; a day before the tap's yesterday is still refused."""
    habit = _habit(http, client_user)
    url = f"/api/v1/habits/{habit}/check-ins"
    sunday = (MONDAY - timedelta(days=1)).isoformat()
    with clock.frozen_at(REPLAY):
        ok = http.post(
            url,
            json={
                "id": str(uuid.uuid4()),
                "outcome": "done",
                "on": sunday,
                "tapped_at": TAP.isoformat(),
            },
        )
        saturday = (MONDAY - timedelta(days=2)).isoformat()
        late = http.post(
            url,
            json={
                "id": str(uuid.uuid4()),
                "outcome": "done",
                "on": saturday,
                "tapped_at": TAP.isoformat(),
            },
        )
    assert ok.status_code == 201, ok.text
    assert ok.json()["done_on"] == sunday
    assert late.status_code == 422


@pytest.mark.parametrize(
    ("tapped", "words"),
    [
        (REPLAY + timedelta(hours=2), "in the future"),
        (REPLAY - timedelta(days=8), "more than 7 days"),
    ],
)
def test_an_implausible_tap_moment_is_a_clear_422(
    http: Any, session: Session, client_user: User, tapped: datetime, words: str
) -> None:
    habit = _habit(http, client_user)
    with clock.frozen_at(REPLAY):
        r = http.post(
            f"/api/v1/habits/{habit}/check-ins",
            json={"id": str(uuid.uuid4()), "outcome": "done", "tapped_at": tapped.isoformat()},
        )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert words in r.json()["detail"]
    assert session.exec(select(HabitCheckIn)).all() == []


def test_a_tap_without_a_zone_is_refused(http: Any, client_user: User) -> None:
    habit = _habit(http, client_user)
    with clock.frozen_at(REPLAY):
        r = http.post(
            f"/api/v1/habits/{habit}/check-ins",
            json={"id": str(uuid.uuid4()), "outcome": "done", "tapped_at": "2026-11-02T23:50:00"},
        )
    assert r.status_code == 422


def test_a_replay_after_midnight_returns_the_stored_row_once(
    http: Any, session: Session, client_user: User
) -> None:
    habit = _habit(http, client_user)
    body = {"id": str(uuid.uuid4()), "outcome": "done", "amount": 1, "tapped_at": TAP.isoformat()}
    with clock.frozen_at(TAP + timedelta(minutes=1)):
        first = http.post(f"/api/v1/habits/{habit}/check-ins", json=body)
    with clock.frozen_at(REPLAY):
        again = http.post(f"/api/v1/habits/{habit}/check-ins", json=body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(session.exec(select(HabitCheckIn)).all()) == 1


def test_a_sensory_check_off_tapped_before_midnight_counts_for_that_day(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    with clock.frozen_at(TAP - timedelta(days=1)):
        item = http.post(
            "/api/v1/sensory/diet",
            json={"activity_id": "chewing_gum", "local_time": "10:00", "days": list(range(7))},
        ).json()
    url = f"/api/v1/sensory/diet/{item['id']}/checkoffs"
    cid = str(uuid.uuid4())
    body = {"id": cid, "felt_after": "just_right", "tapped_at": TAP.isoformat()}
    with clock.frozen_at(REPLAY):
        r = http.post(url, json=body)
        again = http.post(url, json=body)
        future = http.post(
            url,
            json={
                "felt_after": "just_right",
                "tapped_at": (REPLAY + timedelta(hours=1)).isoformat(),
            },
        )
    assert r.status_code == 201, r.text
    assert r.json()["done_on"] == MONDAY.isoformat()
    assert again.json() == r.json()
    assert future.status_code == 422
    assert session.exec(select(SensoryDietCheckoff.done_on)).all() == [MONDAY]


def test_local_day_is_the_clients_day_at_the_tap() -> None:
    now = REPLAY.astimezone(UTC)
    assert taps.local_day(TAP.astimezone(UTC), tz="Europe/London", now=now) == MONDAY
    assert taps.local_day(None, tz="Europe/London", now=now) == MONDAY + timedelta(days=1)
    # A phone a minute ahead of the server is drift, taken as now.
    ahead = now + timedelta(minutes=1)
    assert taps.checked(ahead, now=now) == now
    with pytest.raises(Unprocessable):
        taps.checked(now + taps.CLOCK_SKEW + timedelta(seconds=1), now=now)
