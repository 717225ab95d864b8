"""The crisis page: works for anyone, logged in or not, and offline (pre-cached by the service worker)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.accounts.dependencies import OptionalPrincipal
from app.crisis import service
from app.templates import render

router = APIRouter()


@router.get("/crisis", response_class=HTMLResponse)
def crisis(
    request: Request,
    principal: OptionalPrincipal,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    chosen = country or (principal.user.country if principal is not None else None)
    lines = service.for_country(chosen)
    others = [c for c in service.directory().countries.values() if c.code != lines.code]
    return render(
        request,
        "crisis/crisis.html",
        {
            "lines": lines,
            "others": others,
            "choices": service.country_choices(),
            "verified_on": service.directory().verified_on,
            "picked": bool(country) or principal is not None,
        },
    )
