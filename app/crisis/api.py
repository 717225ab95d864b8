"""Crisis lines as JSON (for the offline calm flow and other clients)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.crisis import service
from app.crisis.service import CountryLines

router = APIRouter(tags=["crisis"])


@router.get("/crisis-lines", response_model=CountryLines)
def crisis_lines(
    country: Annotated[str | None, Query(max_length=2, pattern="^[A-Za-z]{2}$")] = None,
) -> CountryLines:
    """Public: a person in distress may not be logged in."""
    return service.for_country(country)
