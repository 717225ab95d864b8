"""Self-care routes and who may use them."""

from __future__ import annotations

import uuid

from app import clock
from app.self_care import library, service
from app.self_care.models import HabitSuggestion
from tests.access import (
    ALLOW,
    ANY_USER,
    CLIENT_DATA,
    CLIENT_SELF,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    THERAPIST_CLIENT_DATA,
    THERAPIST_ONLY,
    Expect,
    Route,
    World,
)

# A client acting on one of their own objects: other clients get 404, staff the wrong-account 403.
CLIENT_OWN = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)
# A therapist acting on a client's object: the role is checked first, then the caseload (404).
THERAPIST_OF = Expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOW, NOT_FOUND, FORBIDDEN)

API = "/api/v1"
ROUTES = [
    Route("GET", f"{API}/habit-ladders", ANY_USER),
    Route("POST", f"{API}/habit-ladders", THERAPIST_ONLY),
    Route("GET", f"{API}/habits", CLIENT_SELF),
    Route("POST", f"{API}/habits", CLIENT_SELF),
    Route("POST", f"{API}/habits/personal", CLIENT_SELF),
    Route("GET", f"{API}/habits/{{habit_id}}", CLIENT_DATA),
    Route("DELETE", f"{API}/habits/{{habit_id}}", CLIENT_OWN),
    Route("POST", f"{API}/habits/{{habit_id}}/check-ins", CLIENT_OWN),
    Route("DELETE", f"{API}/habits/{{habit_id}}/check-ins/{{check_in_id}}", CLIENT_OWN),
    Route("POST", f"{API}/habits/{{habit_id}}/pause", CLIENT_OWN),
    Route("POST", f"{API}/habits/{{habit_id}}/resume", CLIENT_OWN),
    Route("PUT", f"{API}/habits/{{habit_id}}/level", THERAPIST_OF),
    Route("PUT", f"{API}/habits/{{habit_id}}/bounds", THERAPIST_OF),
    Route("PUT", f"{API}/habits/{{habit_id}}/grading", THERAPIST_OF),
    Route("POST", f"{API}/habit-pauses", CLIENT_SELF),
    Route("POST", f"{API}/habit-pauses/resume", CLIENT_SELF),
    Route("POST", f"{API}/habit-suggestions/{{suggestion_id}}/accept", CLIENT_OWN),
    Route("POST", f"{API}/habit-suggestions/{{suggestion_id}}/decline", CLIENT_OWN),
    Route("POST", f"{API}/habit-suggestions/{{suggestion_id}}/approve", THERAPIST_OF),
    Route("POST", f"{API}/habit-suggestions/{{suggestion_id}}/override", THERAPIST_OF),
    Route("POST", f"{API}/mood-logs", CLIENT_SELF),
    Route("GET", f"{API}/mood-logs", CLIENT_SELF),
    Route("GET", f"{API}/clients/{{client_id}}/habits", CLIENT_DATA),
    Route("GET", f"{API}/clients/{{client_id}}/mood-logs", CLIENT_DATA),
    # Client pages.
    Route("GET", "/self-care", CLIENT_SELF),
    Route("POST", "/self-care/pause", CLIENT_SELF),
    Route("POST", "/self-care/resume", CLIENT_SELF),
    Route("GET", "/self-care/library", CLIENT_SELF),
    Route("GET", "/self-care/library/{ladder_key}", CLIENT_SELF),
    Route("POST", "/self-care/library/{ladder_key}", CLIENT_SELF),
    Route("GET", "/self-care/habits/new", CLIENT_SELF),
    Route("POST", "/self-care/habits/new", CLIENT_SELF),
    Route("GET", "/self-care/habits/{habit_id}", CLIENT_OWN),
    Route("GET", "/self-care/habits/{habit_id}/check-in", CLIENT_OWN),
    Route("POST", "/self-care/habits/{habit_id}/check-in", CLIENT_OWN),
    Route("POST", "/self-care/habits/{habit_id}/check-ins/{check_in_id}/undo", CLIENT_OWN),
    Route("POST", "/self-care/habits/{habit_id}/pause", CLIENT_OWN),
    Route("POST", "/self-care/habits/{habit_id}/resume", CLIENT_OWN),
    Route("POST", "/self-care/habits/{habit_id}/stop", CLIENT_OWN),
    Route("POST", "/self-care/habits/{habit_id}/reminder", CLIENT_OWN),
    Route("POST", "/self-care/mood/reminder", CLIENT_SELF),
    Route("POST", "/self-care/suggestions/{suggestion_id}/accept", CLIENT_OWN),
    Route("POST", "/self-care/suggestions/{suggestion_id}/decline", CLIENT_OWN),
    Route("GET", "/self-care/mood", CLIENT_SELF),
    Route("POST", "/self-care/mood", CLIENT_SELF),
    # Therapist pages.
    Route("GET", "/self-care/clinic-ladders/new", THERAPIST_ONLY),
    Route("POST", "/self-care/clinic-ladders/new", THERAPIST_ONLY),
    Route("GET", "/caseload/{client_id}/self-care", THERAPIST_CLIENT_DATA),
    Route(
        "POST", "/caseload/{client_id}/self-care/habits/{habit_id}/grading", THERAPIST_CLIENT_DATA
    ),
    Route("POST", "/caseload/{client_id}/self-care/habits/{habit_id}/level", THERAPIST_CLIENT_DATA),
    Route(
        "POST", "/caseload/{client_id}/self-care/habits/{habit_id}/bounds", THERAPIST_CLIENT_DATA
    ),
    Route(
        "POST",
        "/caseload/{client_id}/self-care/suggestions/{suggestion_id}/approve",
        THERAPIST_CLIENT_DATA,
    ),
    Route(
        "POST",
        "/caseload/{client_id}/self-care/suggestions/{suggestion_id}/override",
        THERAPIST_CLIENT_DATA,
    ),
]


def build(world: World) -> dict[str, str]:
    """A washing habit at step 2 for the own client, with a step-up suggestion waiting."""
    session = world.session
    client = world.own_client
    ladder = library.find(session=session, organisation_id=None, key="washing")
    assert ladder is not None
    habit = service.start_from_ladder(
        session=session, actor=client, client=client, ladder=ladder, level=2
    )
    suggestion = HabitSuggestion(
        habit_id=habit.id,
        direction="up",
        from_level=2,
        to_level=3,
        message="Ready for the next step?",
        created_on=clock.local_today(client.time_zone),
    )
    session.add(suggestion)
    session.flush()
    return {
        "habit_id": str(habit.id),
        "suggestion_id": str(suggestion.id),
        "ladder_key": "washing",
        "check_in_id": str(uuid.uuid4()),  # undoing what is not there is a no-op
    }
