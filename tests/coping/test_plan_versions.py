"""Safety and wellness plans under optimistic concurrency: a stale save never overwrites newer lines
(API: If-Match or the body's version; pages: the hidden version and the side-by-side conflict page)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from app.accounts.models import User
from app.coping import plans
from app.coping.models import Plan

MINE = "/api/v1/calm/plans/safety"


def _theirs(client: User) -> str:
    return f"/api/v1/clients/{client.id}/calm/plans/safety"


def _two_versions(http: Any, client: User, therapist: User) -> None:
    """Version 1 by the client; version 2 by the therapist, who added a line."""
    r = http.as_(client).put(MINE, json={"sections": {"warning_signs": "Not sleeping"}})
    assert r.status_code == 200
    assert r.headers["ETag"] == '"1"'
    r = http.as_(therapist).put(
        _theirs(client),
        json={"sections": {"warning_signs": "Not sleeping\nSkipping meals"}},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200
    assert r.json()["version"] == 2
    assert r.headers["ETag"] == '"2"'


def test_a_stale_if_match_is_refused_with_what_changed_and_nothing_is_saved(
    http: Any, client_user: User, therapist: User, session: Session
) -> None:
    _two_versions(http, client_user, therapist)
    r = http.as_(client_user).put(
        MINE,
        json={"sections": {"warning_signs": "Not sleeping\nStaying in bed"}},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["ETag"] == '"2"'
    problem = r.json()
    assert problem["type"] == "/problems/edit-conflict"
    assert problem["current_version"] == 2
    assert problem["your_version"] == 1
    assert problem["changed"] == [
        {
            "field": "warning_signs",
            "label": "Warning signs that a crisis may be coming",
            "current": "Not sleeping\nSkipping meals",
            "yours": "Not sleeping\nStaying in bed",
            "only_in_current": ["Skipping meals"],
            "only_in_yours": ["Staying in bed"],
        }
    ]
    plan = plans.get_plan(session, client_user.id, "safety")
    assert plan is not None
    session.refresh(plan)
    assert plan.version == 2
    assert plan.sections["warning_signs"] == "Not sleeping\nSkipping meals"


def test_the_current_if_match_saves_and_raises_the_version(
    http: Any, client_user: User, therapist: User
) -> None:
    _two_versions(http, client_user, therapist)
    r = http.as_(client_user).put(
        MINE,
        json={"sections": {"warning_signs": "Not sleeping\nSkipping meals\nStaying in bed"}},
        headers={"If-Match": '"2"'},
    )
    assert r.status_code == 200
    assert r.json()["version"] == 3
    assert r.headers["ETag"] == '"3"'
    got = http.as_(therapist).get(_theirs(client_user))
    assert got.headers["ETag"] == '"3"'
    assert got.json()["sections"]["warning_signs"].splitlines() == [
        "Not sleeping",
        "Skipping meals",
        "Staying in bed",
    ]


def test_the_version_in_the_body_works_like_if_match(
    http: Any, client_user: User, therapist: User
) -> None:
    _two_versions(http, client_user, therapist)
    body = {"sections": {"reasons_for_living": "My sister"}}
    stale = http.as_(client_user).put(MINE, json=body | {"version": 1})
    assert stale.status_code == 409
    assert [c["field"] for c in stale.json()["changed"]] == ["warning_signs", "reasons_for_living"]
    fresh = http.as_(client_user).put(MINE, json=body | {"version": 2})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 3


@pytest.mark.parametrize(
    ("header", "status"),
    [("*", 200), ('W/"2"', 409), ('"x", "1"', 409), ('"1", "2"', 200), ("2", 400), ('"', 400)],
)
def test_if_match_forms(
    http: Any, client_user: User, therapist: User, header: str, status: int
) -> None:
    _two_versions(http, client_user, therapist)
    r = http.as_(client_user).put(
        MINE, json={"sections": {"warning_signs": "Calm"}}, headers={"If-Match": header}
    )
    assert r.status_code == status


def test_a_plan_made_meanwhile_is_not_overwritten_by_a_new_one(
    http: Any, client_user: User, therapist: User
) -> None:
    http.as_(therapist).put(_theirs(client_user), json={"sections": {"warning_signs": "Pacing"}})
    r = http.as_(client_user).put(
        MINE, json={"sections": {"warning_signs": "Crying"}}, headers={"If-Match": '"0"'}
    )
    assert r.status_code == 409
    assert r.json()["changed"][0]["only_in_current"] == ["Pacing"]


def test_a_stale_save_that_changes_nothing_they_changed_goes_through(
    http: Any, client_user: User, therapist: User
) -> None:
    _two_versions(http, client_user, therapist)
    r = http.as_(client_user).put(
        MINE,
        json={"sections": {"warning_signs": "Not sleeping\nSkipping meals"}},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200
    assert r.json()["version"] == 2


def test_two_saves_racing_past_the_check_cannot_both_win(
    session: Session, client_user: User, therapist: User
) -> None:
    plans.save_plan(
        session=session,
        actor=client_user,
        client=client_user,
        kind="safety",
        sections={"warning_signs": "Not sleeping"},
    )
    plan = plans.get_plan(session, client_user.id, "safety")
    assert plan is not None
    # Another request saves between this one's check and its UPDATE.
    session.connection().execute(update(Plan).where(Plan.id == plan.id).values(version=2))
    with pytest.raises(StaleDataError):
        plans.save_plan(
            session=session,
            actor=therapist,
            client=client_user,
            kind="safety",
            sections={"warning_signs": "Pacing"},
            expected=frozenset({1}),
        )


# ------------------------------------------------------------------------------------------- pages
def test_a_stale_plan_form_shows_both_versions_and_keep_both_merges(
    http: Any, client_user: User, therapist: User, session: Session
) -> None:
    _two_versions(http, client_user, therapist)
    form = http.as_(client_user).get("/calm/safety-plan?edit=1")
    assert 'name="version" value="2"' in form.text
    r = http.as_(client_user).post(
        "/calm/safety-plan",
        data={"version": "1", "warning_signs": "Not sleeping\nStaying in bed", "daily": "x"},
    )
    assert r.status_code == 409
    assert "This was changed while you were editing" in r.text
    shown = re.sub(r"<[^>]+>", "", r.text)  # the name is marked as written by a person
    assert f"{therapist.preferred_name} (therapist) saved a newer version" in shown
    assert "Skipping meals" in r.text
    assert "Staying in bed" in r.text
    assert 'name="version" value="2"' in r.text
    assert 'name="keep__warning_signs" value="both" checked' in r.text
    plan = plans.get_plan(session, client_user.id, "safety")
    assert plan is not None
    session.refresh(plan)
    assert plan.version == 2
    r = http.as_(client_user).post(
        "/calm/safety-plan",
        data={
            "version": "2",
            "warning_signs": "Not sleeping\nStaying in bed",
            "keep__warning_signs": "both",
        },
    )
    assert r.status_code == 303
    session.refresh(plan)
    assert plan.version == 3
    assert plan.sections["warning_signs"].splitlines() == [
        "Not sleeping",
        "Skipping meals",
        "Staying in bed",
    ]


def test_the_therapist_keeps_mine_or_theirs_per_section(
    http: Any, client_user: User, therapist: User, session: Session
) -> None:
    http.as_(client_user).put(
        MINE, json={"sections": {"warning_signs": "Not sleeping", "reasons_for_living": "Cat"}}
    )
    http.as_(client_user).put(
        MINE,
        json={"sections": {"warning_signs": "Not sleeping", "reasons_for_living": "Cat\nSister"}},
    )
    url = f"/caseload/{client_user.id}/calm/plans/safety"
    stale = {"version": "1", "warning_signs": "Pacing", "reasons_for_living": "Cat"}
    r = http.as_(therapist).post(url, data=stale)
    assert r.status_code == 409
    assert "Sister" in r.text
    r = http.as_(therapist).post(
        url,
        data=stale
        | {"version": "2", "keep__warning_signs": "mine", "keep__reasons_for_living": "theirs"},
    )
    assert r.status_code == 303
    plan = plans.get_plan(session, client_user.id, "safety")
    assert plan is not None
    session.refresh(plan)
    assert (plan.version, plan.sections["warning_signs"]) == (3, "Pacing")
    assert plan.sections["reasons_for_living"] == "Cat\nSister"


def test_a_form_without_a_readable_version_is_shown_both_versions(
    http: Any, client_user: User, therapist: User
) -> None:
    _two_versions(http, client_user, therapist)
    r = http.as_(client_user).post(
        "/calm/safety-plan", data={"version": "two", "warning_signs": "Calm"}
    )
    assert r.status_code == 409


def test_the_race_loser_gets_a_409_not_a_500(
    http: Any, client_user: User, therapist: User, session: Session
) -> None:
    _two_versions(http, client_user, therapist)
    plan = plans.get_plan(session, client_user.id, "safety")
    assert plan is not None
    session.refresh(plan)
    # A save commits between this request's check (which sees version 2) and its UPDATE.
    session.connection().execute(update(Plan).where(Plan.id == plan.id).values(version=3))
    r = http.as_(client_user).put(
        MINE, json={"sections": {"warning_signs": "Calm"}}, headers={"If-Match": '"2"'}
    )
    assert r.status_code == 409
    assert r.json()["type"] == "/problems/edit-conflict"
