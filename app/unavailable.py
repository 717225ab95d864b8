"""The two `503` answers: the server is at capacity (the request was shed), or the database cannot
be reached. Both say when to come back (`Retry-After`), as problem+json for the API and as a calm
page for people, which keeps the way to the crisis lines open.

A database fault is never a 500 or a dropped connection: whatever the driver raises for a refused,
lost or exhausted connection is answered here, and the next request tries again (the pool
pre-pings and replaces dead connections), so recovery needs no restart.
"""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.types import Scope

from app.db import WriteLockTimeout
from app.errors import PROBLEM_JSON, wants_json
from app.i18n import N_, gettext, request_language, use_language
from app.templates import render

log = logging.getLogger("groundwork.unavailable")

Reason = Literal["busy", "database"]

# Seconds: a shed request is worth retrying almost at once; an outage takes longer to clear.
# (While the server keeps shedding, the admission gate asks for longer: app/admission.py.)
RETRY_AFTER: dict[Reason, int] = {"busy": 2, "database": 5}

DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,  # refused, lost, "database is locked", disk full
    sa_exc.InterfaceError,  # a connection closed under the driver
    sa_exc.DisconnectionError,  # includes InvalidatePoolError (pre-ping gave up)
    sa_exc.TimeoutError,  # the connection pool stayed empty
    sa_exc.PendingRollbackError,  # a session whose connection failed mid-transaction
    WriteLockTimeout,
)

_TEXT: dict[Reason, tuple[str, str, str]] = {
    "busy": (
        "busy",
        N_("Groundwork is busy right now"),
        N_(
            "A lot of people are using Groundwork at this moment. Nothing you did caused this. "
            "Please try again in a few seconds."
        ),
    ),
    "database": (
        "unavailable",
        N_("We'll be back shortly"),
        N_(
            "Groundwork can't reach its records just now. Nothing you did caused this. "
            "Please try again in a minute or two."
        ),
    ),
}


def response_for(request: Request, reason: Reason, *, retry_after: int | None = None) -> Response:
    """503 with Retry-After (the reason's own unless given), for whoever asked (API client or
    person)."""
    type_slug, title, detail = _TEXT[reason]
    wait = RETRY_AFTER[reason] if retry_after is None else retry_after
    headers = {"Retry-After": str(wait), "Cache-Control": "no-store"}
    language = request_language(request)
    if wants_json(request):
        with use_language(language):
            shown_title, shown_detail = gettext(title), gettext(detail)
        body = {
            "type": f"/problems/{type_slug}",
            "title": shown_title,
            "status": 503,
            "detail": shown_detail,
            "instance": request.url.path,
        }
        return JSONResponse(body, status_code=503, media_type=PROBLEM_JSON, headers=headers)
    try:
        return render(
            request,
            "unavailable.html",
            {
                "title": title,
                "detail": detail,
                # A page can simply be reloaded; a form's address may only take a POST.
                "retry_href": request.url.path if request.method == "GET" else "/",
            },
            status_code=503,
            headers=headers,
        )
    except Exception:  # the page must go out even if rendering needs something that is down
        log.exception("could not render the unavailable page")
        with use_language(language):
            page = _PLAIN_PAGE.format(
                lang=language,
                title=gettext(title),
                detail=gettext(detail),
                crisis=gettext(
                    'If you need support right now, <a href="/crisis">the crisis lines are '
                    "here</a>."
                ),
            )
        return HTMLResponse(page, 503, headers=headers)


def response_for_scope(scope: Scope, reason: Reason, *, retry_after: int | None = None) -> Response:
    return response_for(Request(scope), reason, retry_after=retry_after)


_PLAIN_PAGE = (
    '<!doctype html><html lang="{lang}"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{title}</title><h1>{title}</h1><p>{detail}</p><p>{crisis}</p></html>"
)


def install(app: FastAPI) -> None:
    """Answer database faults raised anywhere in a route or its dependencies with 503."""

    async def _database_unavailable(request: Request, exc: Exception) -> Response:
        # Names only: the driver's message can quote the statement's parameters (health data).
        cause = getattr(exc, "orig", None)
        log.warning(
            "database unavailable: %s (%s)",
            type(exc).__name__,
            type(cause).__name__ if cause is not None else "no driver error",
            extra={"path": request.url.path},
        )
        return response_for(request, "database")

    for exc_class in DATABASE_UNAVAILABLE:
        app.add_exception_handler(exc_class, _database_unavailable)
