"""GAS goals under optimistic concurrency: a change made from an older version never silently
replaces a newer one (API If-Match, the goal form and the conflict page)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from app.accounts.models import CareLink, User
from app.progress.models import Goal
from tests import factories

GOAL = {
    "title": "Go to the shop on my own",
    "level_m2": "Not at all",
    "level_m1": "With someone, once",
    "level_0": "On my own, once a week",
    "level_p1": "On my own, twice a week",
    "level_p2": "On my own, whenever I need to",
}


def _goal(http: Any, therapist: User, client: User) -> str:
    r = http.as_(therapist).post(f"/api/v1/clients/{client.id}/goals", json=GOAL)
    assert r.status_code == 201
    assert r.json()["version"] == 1
    return str(r.json()["id"])


def _stored(session: Session, goal_id: str) -> Goal:
    goal = session.get(Goal, uuid.UUID(goal_id))
    assert goal is not None
    session.refresh(goal)
    return goal


def test_a_stale_goal_put_is_refused_and_a_fresh_one_bumps_the_version(
    http: Any, session: Session, therapist: User, client_user: User, clinic: Any
) -> None:
    goal_id = _goal(http, therapist, client_user)
    colleague = factories.therapist(session, clinic)
    session.add(CareLink(therapist_id=colleague.id, client_id=client_user.id))
    session.flush()
    url = f"/api/v1/clients/{client_user.id}/goals/{goal_id}"
    r = http.as_(colleague).put(
        url, json=GOAL | {"level_0": "On my own"}, headers={"If-Match": '"1"'}
    )
    assert (r.status_code, r.json()["version"], r.headers["ETag"]) == (200, 2, '"2"')
    stale = http.as_(therapist).put(
        url, json=GOAL | {"title": "Shop alone"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409
    assert {c["field"] for c in stale.json()["changed"]} == {"title", "level_0"}
    goal = _stored(session, goal_id)
    assert (goal.version, goal.title, goal.level_0) == (2, GOAL["title"], "On my own")


def test_a_stale_goal_form_shows_both_and_keep_theirs_saves(
    http: Any, session: Session, therapist: User, client_user: User
) -> None:
    goal_id = _goal(http, therapist, client_user)
    page = f"/caseload/{client_user.id}/progress/goals/{goal_id}"
    assert 'name="version" value="1"' in http.as_(therapist).get(page).text
    http.as_(therapist).put(
        f"/api/v1/clients/{client_user.id}/goals/{goal_id}", json=GOAL | {"level_p2": "Daily"}
    )
    form = GOAL | {"version": "1", "weight": "1", "level_p2": "Any day I like"}
    r = http.as_(therapist).post(page, data=form)
    assert r.status_code == 409
    assert "Any day I like" in r.text
    assert "Daily" in r.text
    assert _stored(session, goal_id).level_p2 == "Daily"
    r = http.as_(therapist).post(page, data=form | {"version": "2", "keep__level_p2": "theirs"})
    assert r.status_code == 303
    goal = _stored(session, goal_id)
    assert (goal.level_p2, goal.version) == ("Daily", 2)
    r = http.as_(therapist).post(page, data=form | {"version": "2"})
    assert r.status_code == 303
    assert _stored(session, goal_id).version == 3
