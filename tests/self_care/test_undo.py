"""Undo of a check-in already sent: the habit's latest, made today, by its own client. The habit
then reads exactly as before the tap (summary, strength, this week), a second undo changes
nothing, and older or earlier-day check-ins stay (issue 20)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.self_care.models import HabitCheckIn
from tests.conftest import Http

LONDON = ZoneInfo("Europe/London")  # the test client's zone (tests/factories.py)
WEDNESDAY = date(2026, 11, 4)
MORNING = datetime(2026, 11, 4, 8, 0, tzinfo=LONDON)


def _habit(http: Http) -> str:
    r = http.post("/api/v1/habits", json={"ladder": "washing", "level": 1})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _check_in(http: Http, habit: str, outcome: str = "done") -> str:
    r = http.post(
        f"/api/v1/habits/{habit}/check-ins", json={"id": str(uuid.uuid4()), "outcome": outcome}
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_the_latest_check_in_is_undone_once_and_the_habit_reads_as_before(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(MORNING - timedelta(days=9)):
        http.as_(client_user)
        habit = _habit(http)
    with clock.frozen_at(MORNING):
        before = http.get(f"/api/v1/habits/{habit}").json()
        check_in = _check_in(http, habit)
        assert http.get(f"/api/v1/habits/{habit}").json() != before
    with clock.frozen_at(MORNING + timedelta(hours=3)):
        first = http.delete(f"/api/v1/habits/{habit}/check-ins/{check_in}")
        again = http.delete(f"/api/v1/habits/{habit}/check-ins/{check_in}")
        after = http.get(f"/api/v1/habits/{habit}").json()
    assert (first.status_code, again.status_code) == (204, 204)
    assert session.get(HabitCheckIn, uuid.UUID(check_in)) is None
    assert after == before
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.client_id == client_user.id))
    assert list(actions).count("habit.check_in.undo") == 1


def test_only_the_latest_check_in_and_only_on_its_day(http: Http, client_user: User) -> None:
    with clock.frozen_at(MORNING):
        http.as_(client_user)
        habit = _habit(http)
        first = _check_in(http, habit, "partly")
    # A minute apart: two check-ins at the same instant have no "latest" (the order was a coin toss).
    with clock.frozen_at(MORNING + timedelta(minutes=1)):
        latest = _check_in(http, habit)
        older = http.delete(f"/api/v1/habits/{habit}/check-ins/{first}")
    assert older.status_code == 409
    assert older.headers["content-type"].startswith("application/problem+json")
    assert "latest" in older.json()["detail"]
    with clock.frozen_at(MORNING + timedelta(days=1)):
        next_day = http.delete(f"/api/v1/habits/{habit}/check-ins/{latest}")
    assert next_day.status_code == 409
    assert "day it was made" in next_day.json()["detail"]


def test_a_check_in_of_another_habit_is_not_found(http: Http, client_user: User) -> None:
    with clock.frozen_at(MORNING):
        http.as_(client_user)
        washing = _habit(http)
        teeth = http.post("/api/v1/habits", json={"ladder": "teeth", "level": 1}).json()["id"]
        check_in = _check_in(http, washing)
        wrong = http.delete(f"/api/v1/habits/{teeth}/check-ins/{check_in}")
    assert wrong.status_code == 404


def test_today_offers_undo_and_the_form_takes_the_check_in_back(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(MORNING):
        http.as_(client_user)
        habit = _habit(http)
        check_in = _check_in(http, habit)
        today = http.get("/today").text
        action = f"/self-care/habits/{habit}/check-ins/{check_in}/undo"
        assert f'action="{action}"' in today
        undone = http.post(action, data={"next": "/today"}, follow_redirects=False)
        after = http.get("/today").text
    assert undone.status_code == 303
    assert undone.headers["location"] == f"/today?undone={habit}#habit-{habit}"
    assert session.get(HabitCheckIn, uuid.UUID(check_in)) is None
    assert "/undo" not in after
    assert 'aria-label="Done: ' in after


def test_a_mood_saved_before_midnight_and_sent_after_counts_for_the_evening(
    http: Http, client_user: User
) -> None:
    tap = datetime(2026, 11, 4, 23, 50, tzinfo=LONDON)
    with clock.frozen_at(tap + timedelta(minutes=25)):
        http.as_(client_user)
        sent = http.post(
            "/api/v1/mood-logs",
            json={"id": str(uuid.uuid4()), "mood": 4, "tapped_at": tap.isoformat()},
        )
        ahead = http.post(
            "/api/v1/mood-logs",
            json={
                "id": str(uuid.uuid4()),
                "mood": 2,
                "tapped_at": (tap + timedelta(hours=2)).isoformat(),
            },
        )
        stale = http.post(
            "/api/v1/mood-logs",
            json={
                "id": str(uuid.uuid4()),
                "mood": 2,
                "tapped_at": (tap - timedelta(days=8)).isoformat(),
            },
        )
    assert sent.status_code == 201, sent.text
    assert sent.json()["logged_on"] == WEDNESDAY.isoformat()
    assert ahead.status_code == stale.status_code == 422
