"""Step answers made offline and taken back (issue 20): an answer carries the moment of the tap
and joins the run of that local day; the last answer can be undone (API and the player's form),
by its own client, on its day or the next, and undoing twice changes nothing."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.routines.models import RoutineRun, StepOutcome
from tests.conftest import Http

LONDON = ZoneInfo("Europe/London")  # the test client's zone (tests/factories.py)
MONDAY = date(2026, 11, 2)
TAP = datetime(2026, 11, 2, 23, 50, tzinfo=LONDON)
ROUTINE = {"title": "Evening", "steps": [{"title": "Teeth"}, {"title": "Lights"}]}


def _routine(http: Http) -> tuple[str, list[str]]:
    made = http.post("/api/v1/routines", json=ROUTINE)
    assert made.status_code == 201, made.text
    rid = str(made.json()["id"])
    return rid, [str(s["id"]) for s in http.get(f"/api/v1/routines/{rid}").json()["steps"]]


def _answer(http: Http, rid: str, step: str, **extra: Any) -> Any:
    body = {"id": str(uuid.uuid4()), "step_id": step, "status": "done", **extra}
    return http.post(f"/api/v1/routines/{rid}/outcomes", json=body)


def test_an_answer_tapped_before_midnight_joins_that_evenings_run(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(TAP - timedelta(days=1)):
        http.as_(client_user)
        rid, steps = _routine(http)
    with clock.frozen_at(TAP + timedelta(minutes=30)):
        queued = _answer(http, rid, steps[0], tapped_at=TAP.isoformat())
        ahead = _answer(http, rid, steps[1], tapped_at=(TAP + timedelta(hours=2)).isoformat())
    assert queued.status_code == 200, queued.text
    assert queued.json()["run"]["local_day"] == MONDAY.isoformat()
    assert [r.local_day for r in session.exec(select(RoutineRun))] == [MONDAY]
    assert ahead.status_code == 422
    assert "future" in ahead.json()["detail"]


def test_the_last_answer_is_undone_once_and_the_run_counts_again(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(TAP - timedelta(hours=2)):
        http.as_(client_user)
        rid, steps = _routine(http)
        stored = _answer(http, rid, steps[0]).json()["outcome"]["id"]
        first = http.delete(f"/api/v1/routines/{rid}/outcomes/{stored}")
        again = http.delete(f"/api/v1/routines/{rid}/outcomes/{stored}")
        today = http.get("/api/v1/routines/today").json()
    assert (first.status_code, again.status_code) == (204, 204)
    assert session.get(StepOutcome, uuid.UUID(stored)) is None
    assert [(t["done"], t["planned"]) for t in today] == [(0, 2)]


def test_answers_of_earlier_days_stay_and_other_routines_cannot_take_them(
    http: Http, client_user: User
) -> None:
    with clock.frozen_at(TAP - timedelta(hours=2)):
        http.as_(client_user)
        rid, steps = _routine(http)
        other, _ = _routine(http)
        stored = _answer(http, rid, steps[0]).json()["outcome"]["id"]
        wrong = http.delete(f"/api/v1/routines/{other}/outcomes/{stored}")
    with clock.frozen_at(TAP + timedelta(days=1)):  # the next day: still fine
        next_day = http.get(f"/api/v1/routines/{rid}")
    with clock.frozen_at(TAP + timedelta(days=2)):
        late = http.delete(f"/api/v1/routines/{rid}/outcomes/{stored}")
    assert wrong.status_code == 404
    assert next_day.status_code == 200
    assert late.status_code == 409
    assert late.headers["content-type"].startswith("application/problem+json")


def test_the_player_offers_undo_of_the_last_answer_and_carries_its_steps(
    http: Http, session: Session, client_user: User
) -> None:
    with clock.frozen_at(TAP - timedelta(hours=2)):
        http.as_(client_user)
        rid, steps = _routine(http)
        stored = _answer(http, rid, steps[0]).json()["outcome"]["id"]
        page = http.get(f"/routines/{rid}/play").text
        undone = http.post(
            f"/routines/{rid}/play/undo", data={"outcome_id": stored}, follow_redirects=False
        )
        bad = http.post(f"/routines/{rid}/play/undo", data={"outcome_id": "nope"})
        after = http.get(undone.headers["location"]).text
    found = re.search(r'<script type="application/json" id="rt-player-data">(.*?)</script>', page)
    assert found is not None
    data = json.loads(found.group(1))
    assert [s["id"] for s in data["steps"]] == steps
    assert data["answers"] == {steps[0]: "done"}
    assert data["answer_ids"] == {steps[0]: stored}
    assert data["last"] == {"id": stored, "step": steps[0], "status": "done"}
    assert data["day"] == (MONDAY).isoformat()
    assert 'aria-label="Undo your answer to Teeth"' in page
    assert undone.status_code == 303
    assert undone.headers["location"] == f"/routines/{rid}/play?undone=1"
    assert bad.status_code == 422
    assert "Undone. That step is waiting for you again." in after
    assert session.exec(select(StepOutcome)).all() == []
