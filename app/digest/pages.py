"""Digest pages: the one-click unsubscribe (works logged out). The therapist's settings form is in
therapist_pages.py, included here."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.config import get_settings
from app.db import SessionDep
from app.digest import service, therapist_pages, tokens
from app.errors import NotFound
from app.i18n import N_
from app.templates import render
from app.web_security import CSRF_EXEMPT

router = APIRouter()
router.include_router(therapist_pages.router)


def _therapist_for(token: str) -> uuid.UUID:
    therapist_id = tokens.read_unsubscribe_token(get_settings().secret_key.encode(), token)
    if therapist_id is None:
        raise NotFound(N_("This unsubscribe link is not valid."))
    return therapist_id


@router.get("/digest/unsubscribe/{unsubscribe_token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, unsubscribe_token: str) -> Response:
    _therapist_for(unsubscribe_token)
    return render(request, "digest/unsubscribe.html", {"token": unsubscribe_token, "done": False})


@router.post(
    "/digest/unsubscribe/{unsubscribe_token}",
    response_class=HTMLResponse,
    openapi_extra={CSRF_EXEMPT: True},
)
def unsubscribe(request: Request, unsubscribe_token: str, session: SessionDep) -> Response:
    """RFC 8058 one-click: mail providers POST here without cookies; the signed token is the proof."""
    therapist_id = _therapist_for(unsubscribe_token)
    if not service.unsubscribe(session, therapist_id=therapist_id):
        raise NotFound(N_("This unsubscribe link is not valid."))
    return render(request, "digest/unsubscribe.html", {"token": unsubscribe_token, "done": True})
