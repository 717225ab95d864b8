"""Calm on the therapist's client page: a short summary and a link to the full view."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from app.accounts.models import User
from app.coping import service
from app.home.sections import OverviewSection


def client_overview(*, session: Session, client: User, now: datetime) -> OverviewSection | None:
    episodes = service.recent_episodes(
        session, client.id, since=now - timedelta(days=14), limit=500
    )
    drops = [e.before - e.after for e in episodes]
    return OverviewSection(
        key="calm",
        title="Calm",
        template="coping/_overview.html",
        context={
            "client_id": client.id,
            "count": len(episodes),
            "mean_before": round(sum(e.before for e in episodes) / len(episodes), 1)
            if episodes
            else None,
            "mean_drop": round(sum(drops) / len(drops), 1) if drops else None,
            "high": sum(1 for e in episodes if e.after >= 8),
        },
        order=40,
    )
