"""A bounded, thread-safe map that forgets the least recently used entry first.

For in-process stores that only save work (the dashboard's row cache, row memo and row HTML):
what they hold can always be made again, so forgetting is safe, and requests in many threads
share them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def get_many(self, keys: Iterable[K]) -> list[V | None]:
        """`get` for each key, under one lock (a 200-client dashboard asks for 200 at once)."""
        items = self._items
        found: list[V | None] = []
        with self._lock:
            for key in keys:
                value = items.get(key)
                if value is not None:
                    items.move_to_end(key)
                found.append(value)
        return found

    def put(self, key: K, value: V) -> None:
        self.put_many([(key, value)])

    def put_many(self, pairs: Iterable[tuple[K, V]]) -> None:
        with self._lock:
            for key, value in pairs:
                self._items[key] = value
                self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        """How many entries it holds at most."""
        return self._size
