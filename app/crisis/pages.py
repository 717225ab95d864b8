"""The crisis page: works for anyone, logged in or not, and offline (pre-cached by the service worker).

The plain `/crisis` shows the signed-in person's own country; that is the copy the service worker
keeps offline, and the `X-Crisis-Country` header lets it notice when the person's country changed
(web/sw/base.js). `?country=XX` shows another country and is never cached.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app import countries
from app.accounts.dependencies import OptionalPrincipal
from app.crisis import service
from app.i18n import request_language
from app.templates import render

router = APIRouter()
COUNTRY_HEADER = "X-Crisis-Country"


@router.get("/crisis", response_class=HTMLResponse)
def crisis(
    request: Request,
    principal: OptionalPrincipal,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    own = principal.user.country if principal is not None else None
    language = request_language(request)
    chosen = service.for_country(country, language) if country else None
    lines = chosen or service.for_country(own, language)
    return render(
        request,
        "crisis/crisis.html",
        {
            "lines": lines,
            "choices": countries.country_choices(language),
            "unknown_choice": bool(country) and chosen is None,
            "directory_url": service.DIRECTORY_URL,
            "directory_name": service.DIRECTORY_NAME,
            "numbers_source": service.directory().numbers_source,
            "numbers_source_url": service.directory().numbers_source_url,
        },
        headers={COUNTRY_HEADER: lines.code if lines and not country else ""},
    )
