"""Liveness (no database: the benchmark's trivial baseline) and readiness (checks the database)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app.db import SessionDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz/live", response_model=Health)
def live() -> Health:
    return Health(status="ok")


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def ready(session: SessionDep) -> Health | JSONResponse:
    try:
        session.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return Health(status="ok")
