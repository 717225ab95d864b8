"""Caseload dashboard signals from Calm (seam 3): distress summary and flags, one query."""

from app.coping.insights import caseload_signals, signals_valid_until

__all__ = ["caseload_signals", "signals_valid_until"]
