"""Liveness (no database: the benchmark's trivial baseline) and readiness (checks the database)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app.db import SessionDep
from app.unavailable import RETRY_AFTER
from app.web_security import NO_PRINCIPAL

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz/live", response_model=Health, openapi_extra={NO_PRINCIPAL: True})
async def live() -> Health:
    """The process answers: never touches the database, never queued or shed (app/admission.py)."""
    return Health(status="ok")


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def ready(session: SessionDep) -> Health | JSONResponse:
    """The database answers a read of a real table (on SQLite, `SELECT 1` opens no file)."""
    try:
        session.execute(text("SELECT version_num FROM alembic_version LIMIT 1"))
    except Exception:
        return JSONResponse(
            {"status": "database unavailable"},
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER["database"])},
        )
    return Health(status="ok")
