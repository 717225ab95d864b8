"""app/lru.py: bounded, and what was used most recently is kept longest."""

from __future__ import annotations

from app.lru import Lru


def test_the_least_recently_used_entry_goes_first() -> None:
    lru: Lru[str, int] = Lru(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert lru.get("b") is None
    assert lru.get("a") == 1
    assert lru.get("c") == 3
    assert len(lru) == 2


def test_putting_again_replaces_and_clear_empties() -> None:
    lru: Lru[str, int] = Lru(2)
    lru.put("a", 1)
    lru.put("a", 5)
    assert lru.get("a") == 5
    assert len(lru) == 1
    lru.clear()
    assert lru.get("a") is None
    assert len(lru) == 0


def test_many_at_once_is_each_in_turn() -> None:
    lru: Lru[str, int] = Lru(3)
    lru.put_many([("a", 1), ("b", 2), ("c", 3), ("d", 4)])  # "a" forgotten: 3 at most
    assert lru.get_many(["a", "b", "d"]) == [None, 2, 4]  # "b" and "d" now the most recent
    lru.put("e", 5)
    assert lru.get_many(["c", "b", "d", "e"]) == [None, 2, 4, 5]
