"""Self-care pages: Today's one-tap check-in, forms that keep input, the therapist's view."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.self_care import service, suggestions
from app.self_care.models import Habit, HabitCheckIn, MoodLog
from tests.self_care.helpers import MONDAY, check, daily_check_ins, noon, start


def _form_ids(html: str) -> list[str]:
    return re.findall(r'name="id" value="([0-9a-f-]{36})"', html)


def test_today_offers_one_tap_check_in_and_it_lands(
    http: Any, session: Session, client_user: User
) -> None:
    habit = start(session, client_user, "washing", level=2)
    page = http.as_(client_user).get("/today")
    assert page.status_code == 200
    assert "Wash face and underarms at the sink" in page.text
    assert 'aria-label="Done: Washing"' in page.text
    form_id = _form_ids(page.text)[0]
    r = http.post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": form_id, "outcome": "done", "next": "/today", "csrf_token": http.csrf},
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/today#habit-{habit.id}"
    assert "Done today" in http.get("/today").text
    # The same tap replayed (an offline retry) stays one check-in.
    http.post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": form_id, "outcome": "done", "next": "/today"},
    )
    assert (
        len(session.exec(select(HabitCheckIn).where(HabitCheckIn.habit_id == habit.id)).all()) == 1
    )


def test_not_today_with_a_reason_from_today(http: Any, session: Session, client_user: User) -> None:
    habit = start(session, client_user)
    http.as_(client_user)
    r = http.post(
        f"/self-care/habits/{habit.id}/check-in",
        data={
            "id": str(uuid.uuid4()),
            "outcome": "not_today",
            "reason": "energy",
            "next": "/today",
        },
    )
    assert r.status_code == 303
    row = session.exec(select(HabitCheckIn).where(HabitCheckIn.habit_id == habit.id)).one()
    assert (row.outcome, row.reason) == ("not_today", "energy")


def test_open_redirect_is_not_followed(http: Any, session: Session, client_user: User) -> None:
    habit = start(session, client_user)
    r = http.as_(client_user).post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": str(uuid.uuid4()), "outcome": "done", "next": "https://evil.example/"},
    )
    assert r.headers["location"] == f"/self-care/habits/{habit.id}"


def test_check_in_form_shows_the_error_beside_the_field_and_keeps_input(
    http: Any, session: Session, client_user: User
) -> None:
    habit = start(session, client_user)
    form = http.as_(client_user).get(f"/self-care/habits/{habit.id}/check-in?day=yesterday")
    assert "Check in for yesterday" in form.text
    r = http.post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": str(uuid.uuid4()), "outcome": "done", "confidence": "11", "note": "kept note"},
    )
    assert r.status_code == 422
    assert 'id="f-confidence-error"' in r.text
    assert 'value="kept note"' in r.text


def test_a_refused_check_in_is_shown_beside_the_field_the_service_names(
    http: Any, session: Session, client_user: User
) -> None:
    """The service says which input it refuses (AppError.field); the page never reads the text."""
    habit = start(session, client_user)
    too_early = service.today_for(client_user) - timedelta(days=3)
    r = http.as_(client_user).post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": str(uuid.uuid4()), "outcome": "done", "on": too_early.isoformat()},
    )
    assert r.status_code == 422
    beside_day = re.search(r'<p class="error" id="f-on">(.*?)</p>', r.text, re.S)
    assert beside_day is not None
    assert "You can check in for today or yesterday." in beside_day.group(1)

    r = http.post(
        f"/self-care/habits/{habit.id}/check-in",
        data={"id": str(uuid.uuid4()), "outcome": "done", "amount": "2"},
    )
    assert r.status_code == 422
    assert "leave the amount empty" in r.text
    assert 'id="f-on"' not in r.text  # not beside the day: the service named the amount
    assert session.exec(select(HabitCheckIn)).all() == []


def test_yesterday_back_fill_link_appears_on_today(
    http: Any, session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        start(session, client_user, "washing", level=2)
    with clock.frozen_at(noon(MONDAY + timedelta(days=1))):
        page = http.as_(client_user).get("/today")
    assert "check-in?day=yesterday" in page.text


def test_library_to_habit_page(http: Any, session: Session, client_user: User) -> None:
    http.as_(client_user)
    library = http.get("/self-care/library")
    assert "Drinking water" in library.text
    ladder = http.get("/self-care/library/washing")
    assert "Where would you like to start?" in ladder.text
    r = http.post("/self-care/library/washing", data={"level": "3"})
    assert r.status_code == 303
    page = http.get(r.headers["location"])
    assert "Step 3 of 5:" in page.text
    assert "Habit strength" in page.text
    assert "Mon 2 Nov" not in page.text or "before this habit started" in page.text
    habit = session.exec(select(Habit).where(Habit.client_id == client_user.id)).one()
    assert habit.level == 3


def test_personal_habit_form_errors_are_kind_and_kept(http: Any, client_user: User) -> None:
    http.as_(client_user)
    assert http.get("/self-care/habits/new").status_code == 200
    r = http.post(
        "/self-care/habits/new",
        data={"title": "Walk the dog", "life_area": "moving", "target_kind": "amount"},
    )
    assert r.status_code == 422
    assert "how much" in r.text
    assert 'value="Walk the dog"' in r.text
    ok = http.post(
        "/self-care/habits/new",
        data={
            "title": "Walk the dog",
            "life_area": "moving",
            "target_kind": "amount",
            "amount": "15",
            "unit": "minutes",
        },
    )
    assert ok.status_code == 303


def test_habit_page_shows_the_suggestion_and_accepting_moves_up(
    http: Any, session: Session, client_user: User
) -> None:
    with clock.frozen_at(noon(MONDAY)):
        habit = start(session, client_user, "washing", level=2)
    daily_check_ins(session, client_user, habit, MONDAY, 15)
    waiting = suggestions.pending(session, habit)
    assert waiting is not None
    with clock.frozen_at(noon(MONDAY + timedelta(days=15))):
        page = http.as_(client_user).get(f"/self-care/habits/{habit.id}")
        assert "Ready for the next step?" in page.text
        assert "Quick shower" in page.text
        r = http.post(f"/self-care/suggestions/{waiting.id}/accept")
        assert r.status_code == 303
        assert "Step 3 of 5:" in http.get(f"/self-care/habits/{habit.id}").text


def test_mood_page_logs_and_shows_charts_with_tables(
    http: Any, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    page = http.get("/self-care/mood")
    assert "Very low" in page.text
    assert "Show mood as a table" in page.text
    bad = http.post(
        "/self-care/mood", data={"id": str(uuid.uuid4()), "mood": "", "hours_slept": "30"}
    )
    assert bad.status_code == 422
    assert 'id="f-hours_slept-error"' in bad.text
    ok = http.post(
        "/self-care/mood",
        data={"id": str(uuid.uuid4()), "mood": "4", "energy": "2", "hours_slept": "7.5"},
    )
    assert ok.status_code == 303
    row = session.exec(select(MoodLog).where(MoodLog.client_id == client_user.id)).one()
    assert (row.mood, row.energy, row.hours_slept) == (4, 2, 7.5)


def test_pause_all_from_the_self_care_page(http: Any, session: Session, client_user: User) -> None:
    start(session, client_user)
    http.as_(client_user)
    assert http.post("/self-care/pause", data={}).status_code == 303
    assert "Resume all habits" in http.get("/self-care").text
    assert "Your habits are paused" in http.get("/today").text
    http.post("/self-care/resume")
    assert "Resume all habits" not in http.get("/self-care").text


def test_therapist_page_shows_levels_and_sets_a_level_with_clear_errors(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    habit = start(session, client_user, "washing", level=2)
    check(session, client_user, habit)
    http.as_(therapist)
    page = http.get(f"/caseload/{client_user.id}/self-care")
    assert page.status_code == 200
    assert "Step 2 of 5:" in page.text
    assert "Step history" in page.text
    base = f"/caseload/{client_user.id}/self-care/habits/{habit.id}"
    assert http.post(f"{base}/bounds", data={"lowest": "1", "highest": "3"}).status_code == 303
    r = http.post(f"{base}/level", data={"level": "5"})
    assert r.status_code == 422
    assert "outside this habit&#39;s range" in r.text or "outside this habit's range" in r.text
    assert http.post(f"{base}/level", data={"level": "3"}).status_code == 303
    session.refresh(habit)
    assert habit.level == 3
    overview = http.get(f"/caseload/{client_user.id}")
    assert "step 3, quick shower" in overview.text


def test_therapist_writes_a_clinic_ladder(http: Any, client_user: User, therapist: User) -> None:
    http.as_(therapist)
    assert http.get("/self-care/clinic-ladders/new").status_code == 200
    bad = http.post(
        "/self-care/clinic-ladders/new",
        data={"title": "Cooking", "life_area": "eating", "level_1_description": "Make toast"},
    )
    assert bad.status_code == 422
    assert 'value="Make toast"' in bad.text
    ok = http.post(
        "/self-care/clinic-ladders/new",
        data={
            "title": "Cooking",
            "life_area": "eating",
            "level_1_description": "Make toast",
            "level_1_kind": "weekly",
            "level_1_number": "2",
            "level_2_description": "Cook pasta",
            "level_2_kind": "days",
        },
    )
    assert ok.status_code == 303
    assert "Cooking" in http.as_(client_user).get("/self-care/library").text


def test_therapist_saves_suggestion_rules_from_the_page(
    http: Any, session: Session, client_user: User, therapist: User
) -> None:
    habit = start(session, client_user)
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/self-care/habits/{habit.id}/grading"
    bad = http.post(base, data={"window_weeks": "2", "weeks_met_to_step_up": "3"})
    assert bad.status_code == 422
    assert "weeks needed" in bad.text
    ok = http.post(
        base, data={"window_weeks": "4", "weeks_met_to_step_up": "3", "min_confidence": "6.5"}
    )
    assert ok.status_code == 303
    session.refresh(habit)
    assert habit.grading["min_confidence"] == 6.5
