"""The therapist's home pages: the library of everything they can set up for clients."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.dependencies import CurrentTherapist
from app.sections import library_links
from app.templates import render

router = APIRouter()


@router.get("/library", response_class=HTMLResponse)
def library(request: Request, _therapist: CurrentTherapist) -> Response:
    return render(request, "home/library.html", {"links": library_links()})
