"""Therapist pages for progress: the dashboard, report and exports (report.py), and a client's goals,
measures and notes (records.py). One router, included by the domain's pages.py."""

from __future__ import annotations

from fastapi import APIRouter

from app.progress.therapist_pages import records, report

router = APIRouter()
router.include_router(records.router)
router.include_router(report.router)
