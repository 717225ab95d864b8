"""Sensory routes and who may use them (see tests/access.py)."""

from __future__ import annotations

from datetime import time

from app import clock
from app.sensory.models import SensoryDietItem
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

# A client's own page about one of their objects: clients first (a therapist is the wrong kind of
# account, before any lookup), then the object must be theirs.
OWN_OBJECT_PAGE = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)

API = "/api/v1"
CASE = "/caseload/{client_id}/sensory"

ROUTES = [
    Route("GET", f"{API}/sensory/activities", ANY_USER),
    Route("GET", f"{API}/sensory/profile", CLIENT_SELF),
    Route("PUT", f"{API}/sensory/profile", CLIENT_SELF),
    Route("GET", f"{API}/clients/{{client_id}}/sensory/profile", CLIENT_DATA),
    Route("PUT", f"{API}/clients/{{client_id}}/sensory/profile", CLIENT_DATA),
    Route("GET", f"{API}/sensory/kit", CLIENT_SELF),
    Route("PUT", f"{API}/sensory/kit", CLIENT_SELF),
    Route("GET", f"{API}/clients/{{client_id}}/sensory/kit", CLIENT_DATA),
    Route("PUT", f"{API}/clients/{{client_id}}/sensory/kit", CLIENT_DATA),
    Route("GET", f"{API}/sensory/diet", CLIENT_SELF),
    Route("POST", f"{API}/sensory/diet", CLIENT_SELF),
    Route("GET", f"{API}/sensory/diet/today", CLIENT_SELF),
    Route("GET", f"{API}/clients/{{client_id}}/sensory/diet", CLIENT_DATA),
    Route("POST", f"{API}/clients/{{client_id}}/sensory/diet", CLIENT_DATA),
    Route("GET", f"{API}/clients/{{client_id}}/sensory/report", CLIENT_DATA),
    Route("GET", f"{API}/sensory/diet/{{item_id}}", CLIENT_DATA),
    Route("PUT", f"{API}/sensory/diet/{{item_id}}", CLIENT_DATA),
    Route("DELETE", f"{API}/sensory/diet/{{item_id}}", CLIENT_DATA),
    Route("POST", f"{API}/sensory/diet/{{item_id}}/checkoffs", CLIENT_DATA),
    Route("DELETE", f"{API}/sensory/diet/{{item_id}}/checkoffs/{{on}}", CLIENT_DATA),
    # Client pages
    Route("GET", "/sensory", CLIENT_SELF),
    Route("GET", "/sensory/profile", CLIENT_SELF),
    Route("POST", "/sensory/profile", CLIENT_SELF),
    Route("GET", "/sensory/kit", CLIENT_SELF),
    Route("POST", "/sensory/kit", CLIENT_SELF),
    Route("GET", "/sensory/diet", CLIENT_SELF),
    Route("POST", "/sensory/diet", CLIENT_SELF),
    Route("GET", "/sensory/diet/{item_id}", OWN_OBJECT_PAGE),
    Route("POST", "/sensory/diet/{item_id}", OWN_OBJECT_PAGE),
    Route("POST", "/sensory/diet/{item_id}/remove", OWN_OBJECT_PAGE),
    Route("POST", "/sensory/diet/{item_id}/checkoff", OWN_OBJECT_PAGE),
    Route("POST", "/sensory/diet/{item_id}/undo", OWN_OBJECT_PAGE),
    # Therapist pages about a client
    Route("GET", CASE, THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/profile", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/profile", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/kit", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/kit", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/diet", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/diet", THERAPIST_CLIENT_DATA),
    Route("GET", f"{CASE}/diet/{{item_id}}", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/diet/{{item_id}}", THERAPIST_CLIENT_DATA),
    Route("POST", f"{CASE}/diet/{{item_id}}/remove", THERAPIST_CLIENT_DATA),
    Route("GET", "/library/sensory", THERAPIST_ONLY),
]


def build(world: World) -> dict[str, str]:
    """A diet item planned for the own client (every day), and today's local date."""
    client = world.own_client
    item = SensoryDietItem(
        client_id=client.id,
        activity_id="rocking_chair",
        title="Rocking chair",
        local_time=time(15),
        days_mask=127,
        minutes=10,
        effect="calming",
        course="main_course",
        starts_on=clock.local_today(client.time_zone),
        created_by_id=client.id,
    )
    world.session.add(item)
    world.session.flush()
    return {"item_id": str(item.id), "on": clock.local_today(client.time_zone).isoformat()}
