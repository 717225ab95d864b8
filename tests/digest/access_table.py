"""Digest routes in the authorization matrix."""

from __future__ import annotations

from app.config import get_settings
from app.digest import tokens
from tests.access import PUBLIC, THERAPIST_ONLY, Route, World

ROUTES = [
    Route("GET", "/settings/digest", THERAPIST_ONLY),
    Route("POST", "/settings/digest", THERAPIST_ONLY),
    # One-click unsubscribe: the signed link is the proof (mail providers post without cookies).
    Route("GET", "/digest/unsubscribe/{unsubscribe_token}", PUBLIC),
    Route("POST", "/digest/unsubscribe/{unsubscribe_token}", PUBLIC),
]


def build(world: World) -> dict[str, str]:
    token = tokens.unsubscribe_token(get_settings().secret_key.encode(), world.therapist.id)
    return {"unsubscribe_token": token}
