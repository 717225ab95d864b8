"""Every Calm route and who may use it (seam 8)."""

from __future__ import annotations

from app.coping.models import ClinicCrisisLine, CustomStrategy
from tests.access import (
    ALLOW,
    CLIENT_DATA,
    CLIENT_SELF,
    CLINIC_MANAGER,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    PUBLIC,
    STAFF_ONLY,
    THERAPIST_CLIENT_DATA,
    Expect,
    Route,
    World,
)

# A client's own object, acted on by that client only (therapists have no such page).
OWN_CLIENT_ONLY = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)

ROUTES = [
    # The flow itself works for anyone, logged in or not (and offline).
    Route("GET", "/calm", PUBLIC),
    Route("GET", "/calm-now", PUBLIC),
    Route("GET", "/calm/toolbox", CLIENT_SELF),
    Route("POST", "/calm/toolbox/{strategy_key}", CLIENT_SELF),
    Route("GET", "/calm/history", CLIENT_SELF),
    Route("GET", "/calm/safety-plan", CLIENT_SELF),
    Route("POST", "/calm/safety-plan", CLIENT_SELF),
    Route("GET", "/calm/wellness-plan", CLIENT_SELF),
    Route("POST", "/calm/wellness-plan", CLIENT_SELF),
    Route("GET", "/calm/my-strategies", CLIENT_SELF),
    Route("POST", "/calm/my-strategies", CLIENT_SELF),
    Route("POST", "/calm/my-strategies/{strategy_id}/archive", OWN_CLIENT_ONLY),
    Route("GET", "/library/calm", STAFF_ONLY),
    Route("POST", "/library/calm", STAFF_ONLY),
    Route("POST", "/library/calm/{clinic_strategy_id}/archive", STAFF_ONLY),
    Route("GET", "/api/v1/calm/suggestions", CLIENT_SELF),
    Route("GET", "/api/v1/calm/sync", CLIENT_SELF),
    Route("POST", "/api/v1/calm/episodes", CLIENT_SELF),
    Route("GET", "/api/v1/calm/episodes", CLIENT_SELF),
    Route("PUT", "/api/v1/calm/toolbox/{strategy_key}", CLIENT_SELF),
    Route("GET", "/api/v1/calm/plans/{kind}", CLIENT_SELF),
    Route("PUT", "/api/v1/calm/plans/{kind}", CLIENT_SELF),
    Route("GET", "/api/v1/clients/{client_id}/calm/effectiveness", CLIENT_DATA),
    Route("GET", "/api/v1/clients/{client_id}/calm/episodes", CLIENT_DATA),
    Route("GET", "/api/v1/clients/{client_id}/calm/plans/{kind}", CLIENT_DATA),
    Route("PUT", "/api/v1/clients/{client_id}/calm/plans/{kind}", THERAPIST_CLIENT_DATA),
    Route(
        "PUT",
        "/api/v1/clients/{client_id}/calm/recommendations/{strategy_key}",
        THERAPIST_CLIENT_DATA,
    ),
    Route("GET", "/caseload/{client_id}/calm", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/calm/recommend", THERAPIST_CLIENT_DATA),
    Route("GET", "/caseload/{client_id}/calm/plans/{kind}", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/calm/plans/{kind}", THERAPIST_CLIENT_DATA),
    Route("GET", "/admin/calm/crisis-lines", CLINIC_MANAGER),
    Route("POST", "/admin/calm/crisis-lines", CLINIC_MANAGER),
    Route("POST", "/admin/calm/crisis-lines/{line_id}/delete", CLINIC_MANAGER),
]


def build(world: World) -> dict[str, str]:
    admin = world.people["admin"]
    assert admin is not None
    assert admin.organisation_id is not None
    line = ClinicCrisisLine(
        organisation_id=admin.organisation_id,
        name="Local team",
        phone="01632 960 000",
        created_by_id=admin.id,
    )
    mine = CustomStrategy(
        client_id=world.own_client.id,
        created_by_id=world.own_client.id,
        title="Lego",
        kind="activity",
        steps=["Build something."],
        places=["home"],
    )
    clinic = CustomStrategy(
        organisation_id=admin.organisation_id,
        created_by_id=admin.id,
        title="Sensory room",
        kind="body_sensory",
        steps=["Go to the room."],
        places=["work_school"],
    )
    world.session.add_all([line, mine, clinic])
    world.session.flush()
    return {
        "strategy_key": "box-breathing",
        "kind": "safety",
        "line_id": str(line.id),
        "strategy_id": str(mine.id),
        "clinic_strategy_id": str(clinic.id),
    }
