"""Caseload dashboard signals from Calm (seam 3): distress summary and flags, one query."""

from app.coping.insights import caseload_signals

__all__ = ["caseload_signals"]
