"""Homework routes in the authorization matrix."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from app import clock
from app.homework import service
from app.homework.attachments import check
from app.homework.schemas import AssignmentCreate
from tests.access import (
    ALLOW,
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

# The client's own decisions about their homework: their therapist cannot make them.
CLIENT_DECIDES = Expect(LOGIN, ALLOW, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND)

ROUTES = [
    Route("GET", "/api/v1/homework", CLIENT_SELF),
    Route("GET", "/api/v1/clients/{client_id}/homework", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/clients/{client_id}/homework", THERAPIST_CLIENT_DATA),
    Route("GET", "/api/v1/homework/{assignment_id}", CLIENT_DATA),
    Route("PUT", "/api/v1/homework/{assignment_id}", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/homework/{assignment_id}/cancel", THERAPIST_CLIENT_DATA),
    Route("POST", "/api/v1/homework/{assignment_id}/actions", CLIENT_DECIDES),
    Route("POST", "/api/v1/homework/{assignment_id}/completions", CLIENT_DECIDES),
    Route("POST", "/api/v1/homework/{assignment_id}/messages", CLIENT_DATA),
    Route("GET", "/api/v1/homework-notices", THERAPIST_ONLY),
    Route("GET", "/homework", CLIENT_SELF),
    Route("GET", "/homework/{assignment_id}", CLIENT_DATA),
    Route("POST", "/homework/{assignment_id}/action", CLIENT_DECIDES),
    Route("POST", "/homework/{assignment_id}/complete", CLIENT_DECIDES),
    Route("POST", "/homework/{assignment_id}/messages", CLIENT_DATA),
    Route("GET", "/homework/{assignment_id}/attachment", CLIENT_DATA),
    Route("GET", "/caseload/{client_id}/homework", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/homework", THERAPIST_CLIENT_DATA),
    Route("GET", "/caseload/{client_id}/homework/{assignment_id}", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/homework/{assignment_id}/revise", THERAPIST_CLIENT_DATA),
    Route("POST", "/caseload/{client_id}/homework/{assignment_id}/cancel", THERAPIST_CLIENT_DATA),
]


def build(world: World) -> dict[str, str]:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(out, "PNG")
    a = service.assign(
        world.session,
        therapist=world.principal("therapist"),
        client=world.own_client,
        data=AssignmentCreate(
            kind="task",
            title="Matrix homework",
            due_on=clock.local_today(world.own_client.time_zone) + timedelta(days=2),
        ),
        attachment=check(out.getvalue()),
        attachment_name="plan.png",
    )
    return {"assignment_id": str(a.id)}
