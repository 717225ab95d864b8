"""Each client's dashboard row, remembered with what it was derived from.

`flags` derives a client's row from their signals (one per domain) and the time, and takes from
the time only `flags.time_key` (whole days since the last activity). So a row is reused when the
same signals and the same time key come again, and derived afresh otherwise: an exact memo, not a
cache that can go stale. The signals are compared by value; the cached domains' signals are the
very objects `row_cache` hands out, so comparing them is nearly free.

Nothing here decides what a row says (that stays in `flags`); it only saves deriving it again,
which was about half of a 200-client dashboard's CPU (issue #19, docs/progress.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from app.lru import Lru
from app.progress import flags
from app.progress.row_cache import CaseClient, Signals

MAX_ENTRIES = 4096  # clients, as row_cache

Inputs = tuple[str, Signals, int | None]
Wanted = tuple[uuid.UUID, str, Signals]  # client, name, signals by domain


class RowMemo:
    """Client id → (the inputs, the row derived from them), the least recently used forgotten
    first."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._items: Lru[uuid.UUID, tuple[Inputs, flags.Row]] = Lru(size)

    def row(
        self,
        client_id: uuid.UUID,
        name: str,
        signals: Signals,
        *,
        now: datetime,
    ) -> flags.Row:
        return self.rows([(client_id, name, signals)], now=now)[0]

    def rows(self, wanted: Sequence[Wanted], *, now: datetime) -> list[flags.Row]:
        """Each client's row, in order: reused where the inputs are the same, derived otherwise
        (the store is asked and told once for all of them)."""
        found = self._items.get_many([client_id for client_id, _, _ in wanted])
        out: list[flags.Row] = []
        fresh: list[tuple[uuid.UUID, tuple[Inputs, flags.Row]]] = []
        for (client_id, name, signals), prior in zip(wanted, found, strict=True):
            inputs: Inputs = (
                name,
                signals,
                flags.time_key(flags.latest_activity(signals), now=now),
            )
            if prior is not None and prior[0] == inputs:
                out.append(prior[1])
                if not _same_objects(prior[0][1], signals):
                    # Equal by value only (the row cache recomputed an unchanged client): keep
                    # these objects, so the next view compares by identity, not field by field.
                    fresh.append((client_id, (inputs, prior[1])))
                continue
            row = flags.build_row(client_id, name, flags.merge_one(signals), now=now)
            fresh.append((client_id, (inputs, row)))
            out.append(row)
        if fresh:
            self._items.put_many(fresh)
        return out

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def _same_objects(before: Signals, now: Signals) -> bool:
    return all(a is b for a, b in zip(before, now, strict=True))


MEMO = RowMemo()


def rows(
    clients: Sequence[CaseClient],
    signals: Sequence[Signals],
    *,
    now: datetime,
    memo: RowMemo = MEMO,
) -> list[flags.Row]:
    """`flags.build_rows` for these clients from their signals (`row_cache.signals_by_client`),
    reusing unchanged rows."""
    return memo.rows(
        [(c.id, c.name, one) for c, one in zip(clients, signals, strict=True)], now=now
    )
