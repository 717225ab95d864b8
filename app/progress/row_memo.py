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

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

from app.progress import flags
from app.signals import ClientSignals

MAX_ENTRIES = 4096  # clients, as row_cache

Inputs = tuple[str, tuple[ClientSignals | None, ...], int | None]


class RowMemo:
    """A bounded, thread-safe LRU of client id → (the inputs, the row derived from them)."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._size = size
        self._items: OrderedDict[uuid.UUID, tuple[Inputs, flags.Row]] = OrderedDict()
        self._lock = threading.Lock()

    def row(
        self,
        client_id: uuid.UUID,
        name: str,
        signals: tuple[ClientSignals | None, ...],
        *,
        now: datetime,
    ) -> flags.Row:
        last_activity = max(
            (s.last_activity_at for s in signals if s is not None and s.last_activity_at),
            default=None,
        )
        inputs: Inputs = (name, signals, flags.time_key(last_activity, now=now))
        with self._lock:
            found = self._items.get(client_id)
            if found is not None and found[0] == inputs:
                self._items.move_to_end(client_id)
                return found[1]
        row = flags.build_row(client_id, name, flags.merge_one(signals), now=now)
        with self._lock:
            self._items[client_id] = (inputs, row)
            self._items.move_to_end(client_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return row

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


MEMO = RowMemo()


def rows(
    clients: Sequence[tuple[uuid.UUID, str]],
    parts: Sequence[dict[uuid.UUID, ClientSignals]],
    *,
    now: datetime,
    memo: RowMemo = MEMO,
) -> list[flags.Row]:
    """`flags.build_rows(clients, flags.merge(parts), now=now)`, reusing unchanged rows."""
    return [
        memo.row(client_id, name, tuple(part.get(client_id) for part in parts), now=now)
        for client_id, name in clients
    ]
