"""HTML pages: builder forms keep input and show errors next to fields; player; feed; therapist pages."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, date, datetime

from icalendar import Calendar
from PIL import Image
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.routines import service
from app.routines.models import Routine
from tests.conftest import Http


def _new(http: Http, base: str = "/routines", **fields: str) -> str:
    data = {
        "title": "Evening",
        "icon": "🌙",
        "part_of_day": "evening",
        "schedule_kind": "daily",
    } | fields
    response = http.post(f"{base}/new", data=data)
    assert response.status_code == 303, response.text
    match = re.search(r"/routines/([0-9a-f-]{36})/edit", response.headers["location"])
    assert match
    return match.group(1)


def test_bad_rrule_is_shown_next_to_its_field_keeping_input(http: Http, client_user: User) -> None:
    http.as_(client_user)
    response = http.post(
        "/routines/new",
        data={
            "title": "Walk",
            "schedule_kind": "rrule",
            "rrule": "FREQ=SOMETIMES",
            "part_of_day": "morning",
        },
    )
    assert response.status_code == 422
    assert 'id="f-rrule-error"' in response.text
    assert 'value="FREQ=SOMETIMES"' in response.text
    assert 'value="Walk"' in response.text


def test_chosen_days_without_a_day_is_an_error_on_days(http: Http, client_user: User) -> None:
    http.as_(client_user)
    response = http.post(
        "/routines/new", data={"title": "Walk", "schedule_kind": "days", "part_of_day": "morning"}
    )
    assert response.status_code == 422
    assert 'id="f-days-error"' in response.text


def test_build_from_template_play_and_see_progress_on_today(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    used = http.post("/routines/templates/use", data={"template": "medication"})
    assert used.status_code == 303
    rid = used.headers["location"].split("/")[2]
    routine = session.get(Routine, uuid.UUID(rid))
    assert routine is not None
    routine.rrule = "FREQ=DAILY"
    session.add(routine)
    session.flush()
    for _ in range(routine.step_count):
        page = http.get(f"/routines/{rid}/play")
        assert page.status_code == 200
        outcome = re.search(r'name="outcome_id" value="([^"]+)"', page.text)
        step = re.search(r'name="step_id" value="([^"]+)"', page.text)
        assert outcome
        assert step
        form = {"outcome_id": outcome.group(1), "step_id": step.group(1), "status": "done"}
        assert http.post(f"/routines/{rid}/play", data=form).status_code == 303
        assert http.post(f"/routines/{rid}/play", data=form).status_code == 303  # double tap
    done = http.get(f"/routines/{rid}/play")
    assert f"{routine.step_count} of {routine.step_count} steps" in done.text
    today = http.get("/routines/today")
    assert f"{routine.step_count} of {routine.step_count} steps" in today.text
    history = http.get(f"/routines/{rid}/history")
    assert 'data-level="4"' in history.text


def test_builder_steps_up_down_edit_with_photo_and_remove(
    http: Http, session: Session, client_user: User
) -> None:
    http.as_(client_user)
    rid = _new(http)
    for title in ("One", "Two"):
        assert http.post(f"/routines/{rid}/steps", data={"title": title}).status_code == 303
    empty = http.post(f"/routines/{rid}/steps", data={"title": ""})
    assert empty.status_code == 422
    assert 'id="f-title-error"' in empty.text
    one, two = service.steps_of(session, uuid.UUID(rid))
    assert (
        http.post(f"/routines/{rid}/steps/{two.id}/move", data={"direction": "up"}).status_code
        == 303
    )
    assert [s.title for s in service.steps_of(session, uuid.UUID(rid))] == ["Two", "One"]
    assert (
        http.post(f"/routines/{rid}/order", data={"order": f"{one.id},{two.id}"}).status_code == 303
    )
    assert [s.title for s in service.steps_of(session, uuid.UUID(rid))] == ["One", "Two"]
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, format="PNG")
    saved = http.post(
        f"/routines/{rid}/steps/{one.id}",
        data={"title": "One!", "bad_day": "on", "duration_minutes": "3"},
        files={"photo": ("p.png", buffer.getvalue(), "image/png")},
    )
    assert saved.status_code == 303
    session.refresh(one)
    assert one.title == "One!"
    assert one.bad_day
    assert one.photo_id is not None
    bad = http.post(
        f"/routines/{rid}/steps/{two.id}",
        data={"title": "Two"},
        files={"photo": ("x.png", b"nope", "image/png")},
    )
    assert bad.status_code == 422
    assert 'id="f-photo-error"' in bad.text
    assert http.post(f"/routines/{rid}/steps/{two.id}/remove").status_code == 303
    page = http.get(f"/routines/{rid}/edit")
    assert "One!" in page.text
    assert ">Two<" not in page.text


def test_pause_form_errors_and_archive(http: Http, client_user: User) -> None:
    http.as_(client_user)
    rid = _new(http)
    bad = http.post(
        f"/routines/{rid}/pauses",
        data={"pause_starts_on": "2026-12-10", "pause_ends_on": "2026-12-01"},
    )
    assert bad.status_code == 422
    assert 'id="f-pause_ends_on-error"' in bad.text
    assert (
        http.post(f"/routines/{rid}/pauses", data={"pause_starts_on": "2026-12-01"}).status_code
        == 303
    )
    assert "until you resume it" in http.get(f"/routines/{rid}/edit").text
    assert http.post(f"/routines/{rid}/archive").status_code == 303
    assert "Evening" in http.get("/routines?show=archived").text


def test_calendar_feed_url_works_until_revoked(http: Http, client_user: User) -> None:
    http.as_(client_user)
    rid = _new(http, at_time="21:30")
    http.post(f"/routines/{rid}/steps", data={"title": "Lights low"})
    page = http.post("/routines/calendar", data={"action": "new"})
    match = re.search(r'value="[^"]*(/calendar/[^"]+\.ics)"', page.text)
    assert match
    http.as_(None)
    feed = http.get(match.group(1))
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event.decoded("dtstart").hour == 21
    http.as_(client_user)
    http.post("/routines/calendar", data={"action": "revoke"})
    http.as_(None)
    assert http.get(match.group(1)).status_code == 404


def test_therapist_builds_for_a_client_and_access_is_audited(
    http: Http, session: Session, therapist: User, client_user: User
) -> None:
    http.as_(therapist)
    base = f"/caseload/{client_user.id}/routines"
    rid = _new(http, base=base, title="Morning plan")
    assert (
        http.post(f"{base}/{rid}/steps", data={"title": "Sit up", "bad_day": "on"}).status_code
        == 303
    )
    listing = http.get(base)
    assert listing.status_code == 200
    assert "Morning plan" in listing.text
    assert http.get(f"{base}/{rid}/history").status_code == 200
    saved = http.post(f"{base}/{rid}/save-template")
    assert saved.status_code == 303
    assert "Morning plan" in http.get("/library/routines").text
    events = session.exec(select(AuditEvent).where(AuditEvent.client_id == client_user.id)).all()
    assert any("routines" in e.action for e in events)
    routine = session.get(Routine, uuid.UUID(rid))
    assert routine is not None
    assert routine.client_id == client_user.id
    assert routine.created_by_id == therapist.id


def test_calendar_feed_starts_a_tuesday_routine_made_on_a_sunday_on_the_tuesday(
    http: Http, client_user: User
) -> None:
    sunday_evening = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    with clock.frozen_at(sunday_evening):
        assert clock.local_today(client_user.time_zone).weekday() == 6
        http.as_(client_user)
        _new(http, schedule_kind="rrule", rrule="FREQ=WEEKLY;BYDAY=TU", at_time="07:30")
        page = http.post("/routines/calendar", data={"action": "new"})
        match = re.search(r'value="[^"]*(/calendar/[^"]+\.ics)"', page.text)
        assert match
        http.as_(None)
        (event,) = Calendar.from_ical(http.get(match.group(1)).content).walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.date(), start.hour, start.minute) == (date(2026, 12, 8), 7, 30)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
