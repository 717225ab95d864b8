"""Start-up warm-up: fill the dashboard's row cache for the therapists who are signed in.

After a restart the row cache (`row_cache.py`) is empty, so each therapist's first dashboard
computes every client's signals from cold (2.0 s for 60 clients in issue #19, against ~10 ms
warm). A background thread computes them once at start-up, most recently active therapist first,
so that first view is a warm one. It only fills the cache: what it stores is validated against
each client's data version on every request, exactly like an entry a request stored, so a write
during or after the warm-up is never hidden. It stops after `MAX_CLIENTS` clients or at the cache's size (warming more would evict what it
just stored), and yields the GIL between therapists.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app import clock
from app.accounts import sessions
from app.accounts.models import Role
from app.db import open_session
from app.progress import dashboard, row_cache, row_memo

log = logging.getLogger(__name__)

# Therapists considered, most recently active first, and the clients warmed at most: about
# 1 s of CPU per 100 clients from cold, so a restart costs at most ~10 s of background work.
MAX_THERAPISTS = 50
MAX_CLIENTS = 1000


def warm(*, engine: Engine | None = None, cache: row_cache.RowCache = row_cache.CACHE) -> int:
    """Compute the dashboard rows of each signed-in therapist; returns the clients warmed."""
    with open_session(engine=engine) as session:
        return warm_with(session, cache=cache)


def warm_with(session: Session, *, cache: row_cache.RowCache = row_cache.CACHE) -> int:
    """`warm` in a given session (tests pass theirs)."""
    warmed = 0
    therapists = sessions.signed_in(session, role=Role.therapist, limit=MAX_THERAPISTS)
    for therapist_id in therapists:
        if warmed >= MAX_CLIENTS or len(cache) >= cache.size:
            break
        clients = dashboard.caseload(session, therapist_id)
        now = clock.now()
        signals = row_cache.signals_by_client(session, clients, now, cache=cache)
        row_memo.rows(clients, signals, now=now)  # the rows, derived
        if not session.in_nested_transaction():
            session.rollback()  # end the read transaction: no snapshot held across therapists
        warmed += len(clients)
        time.sleep(0)
    return warmed


def start() -> threading.Thread:
    """Warm in a daemon thread: start-up does not wait, and a failure only costs the warm-up."""

    def run() -> None:
        began = time.monotonic()
        try:
            clients = warm()
        except DBAPIError as error:
            # The database is down or not there yet (answered 503 elsewhere): the warm-up is
            # only a head start, and the first dashboard fills the cache itself.
            log.warning("dashboard warm-up skipped: %s", type(error.orig).__name__)
            return
        except Exception:
            log.exception("dashboard warm-up failed")
            return
        log.info(
            "dashboard warm-up done",
            extra={"clients": clients, "seconds": round(time.monotonic() - began, 2)},
        )

    thread = threading.Thread(target=run, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread
