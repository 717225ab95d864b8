"""Crisis lines as JSON (for the offline calm flow and other clients)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.dependencies import OptionalPrincipal
from app.crisis import service
from app.crisis.service import CountryLines
from app.errors import NotFound

router = APIRouter(tags=["crisis"])


@router.get("/crisis-lines", response_model=CountryLines)
def crisis_lines(
    principal: OptionalPrincipal,
    country: Annotated[str | None, Query(max_length=2, pattern="^[A-Za-z]{2}$")] = None,
) -> CountryLines:
    """Public: a person in distress may not be logged in. Without `country`, the signed-in
    person's own; with neither, no numbers (never another country's) and the directory link."""
    code = country or (principal.user.country if principal is not None else None)
    if code is None:
        return service.no_country()
    found = service.for_country(code)
    if found is None:
        raise NotFound("There is no country with that code (use ISO 3166-1 alpha-2, e.g. ES).")
    return found
