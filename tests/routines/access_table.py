"""Every routines route with the answer each persona gets (see tests/access.py)."""

from __future__ import annotations

import io
import uuid

from PIL import Image

from app.routines import feeds, service, templates_service
from app.routines.schemas import RoutineCreate, StepIn
from tests.access import (
    ALLOW,
    CLIENT_DATA,
    CLIENT_SELF,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    PUBLIC,
    THERAPIST_CLIENT_DATA,
    THERAPIST_ONLY,
    Expect,
    Route,
    World,
)

# Doing a routine (player, check-offs) is the client's own act: their therapist gets 404 too.
OWN_ROUTINE = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)
# The client's builder pages: staff are the wrong kind of account (they use /caseload/...).
CLIENT_PAGE = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)

API = "/api/v1/routines"
R = API + "/{routine_id}"
BUILDER = [
    ("GET", "/new"),
    ("POST", "/new"),
    ("GET", "/{routine_id}/edit"),
    ("POST", "/{routine_id}/edit"),
    ("POST", "/{routine_id}/steps"),
    ("GET", "/{routine_id}/steps/{step_id}"),
    ("POST", "/{routine_id}/steps/{step_id}"),
    ("POST", "/{routine_id}/steps/{step_id}/move"),
    ("POST", "/{routine_id}/steps/{step_id}/remove"),
    ("POST", "/{routine_id}/order"),
    ("POST", "/{routine_id}/pauses"),
    ("POST", "/{routine_id}/pauses/{pause_id}/remove"),
    ("POST", "/{routine_id}/reminders"),
    ("POST", "/{routine_id}/archive"),
    ("GET", "/{routine_id}/history"),
]
NEEDS_NO_ROUTINE = {"/new"}

ROUTES = [
    Route("GET", API, CLIENT_SELF),
    Route("POST", API, CLIENT_SELF),
    Route("GET", API + "/today", CLIENT_SELF),
    Route("POST", API + "/from-template", CLIENT_SELF),
    Route("POST", API + "/calendar-feed", CLIENT_SELF),
    Route("DELETE", API + "/calendar-feed", CLIENT_SELF),
    Route("GET", R, CLIENT_DATA),
    Route("PUT", R, CLIENT_DATA),
    Route("POST", R + "/archive", CLIENT_DATA),
    Route("POST", R + "/restore", CLIENT_DATA),
    Route("POST", R + "/steps", CLIENT_DATA),
    Route("PUT", R + "/steps/order", CLIENT_DATA),
    Route("PUT", R + "/steps/{step_id}", CLIENT_DATA),
    Route("DELETE", R + "/steps/{step_id}", CLIENT_DATA),
    Route("POST", R + "/steps/{step_id}/photo", CLIENT_DATA),
    Route("POST", R + "/outcomes", OWN_ROUTINE),
    Route("DELETE", R + "/outcomes/{outcome_id}", OWN_ROUTINE),
    Route("PUT", R + "/bad-day", OWN_ROUTINE),
    Route("POST", R + "/pauses", CLIENT_DATA),
    Route("DELETE", R + "/pauses/{pause_id}", CLIENT_DATA),
    Route("PUT", R + "/reminder-times", CLIENT_DATA),
    Route("GET", R + "/history", CLIENT_DATA),
    Route("GET", "/api/v1/clients/{client_id}/routines", CLIENT_DATA),
    # Client pages
    Route("GET", "/routines", CLIENT_SELF),
    Route("GET", "/routines/templates", CLIENT_SELF),
    Route("POST", "/routines/templates/use", CLIENT_SELF),
    Route("GET", "/routines/calendar", CLIENT_SELF),
    Route("POST", "/routines/calendar", CLIENT_SELF),
    Route("GET", "/routines/today", CLIENT_SELF),
    Route("GET", "/calendar/{feed_token}.ics", PUBLIC),
    Route("GET", "/routines/photos/{photo_id}", CLIENT_DATA),
    Route("GET", "/routines/{routine_id}/play", OWN_ROUTINE),
    Route("POST", "/routines/{routine_id}/play", OWN_ROUTINE),
    Route("POST", "/routines/{routine_id}/play/undo", OWN_ROUTINE),
    Route("POST", "/routines/{routine_id}/bad-day", OWN_ROUTINE),
    Route("POST", "/routines/{routine_id}/restart", OWN_ROUTINE),
    *(
        Route(m, "/routines" + p, CLIENT_SELF if p in NEEDS_NO_ROUTINE else CLIENT_PAGE)
        for m, p in BUILDER
    ),
    # Therapist pages
    Route("GET", "/caseload/{client_id}/routines", THERAPIST_CLIENT_DATA),
    Route("GET", "/caseload/{client_id}/routines/templates", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/routines/templates/use", THERAPIST_CLIENT_DATA),
    Route(
        "POST", "/caseload/{client_id}/routines/{routine_id}/save-template", THERAPIST_CLIENT_DATA
    ),
    *(Route(m, "/caseload/{client_id}/routines" + p, THERAPIST_CLIENT_DATA) for m, p in BUILDER),
    Route("GET", "/library/routines", THERAPIST_ONLY),
    Route("POST", "/library/routines/{template_id}/archive", THERAPIST_ONLY),
]


def build(world: World) -> dict[str, str]:
    """A routine of the own client with a step (with a photo) and a pause; a clinic template; a feed."""
    session, client = world.session, world.own_client
    routine = service.create_routine(
        session=session,
        client_id=client.id,
        tz=client.time_zone,
        created_by_id=client.id,
        data=RoutineCreate(
            title="Getting up", steps=[StepIn(title="Sit up", bad_day=True), StepIn(title="Water")]
        ),
    )
    step = service.steps_of(session, routine.id)[0]
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")
    photo = service.set_step_photo(
        session=session, routine=routine, step=step, data=buffer.getvalue()
    )
    pause = service.add_pause(
        session=session, routine=routine, starts_on=routine.starts_on, ends_on=None
    )
    template = templates_service.save_as_template(
        session=session, routine=routine, therapist=world.therapist
    )
    token = feeds.create_feed(session=session, client_id=client.id)
    return {
        "routine_id": str(routine.id),
        "step_id": str(step.id),
        "photo_id": str(photo.id),
        "pause_id": str(pause.id),
        "template_id": str(template.id),
        "feed_token": token,
        "unused": str(uuid.uuid4()),
        "outcome_id": str(uuid.uuid4()),  # undoing an answer that is not there is a no-op
    }
