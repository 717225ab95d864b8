"""The dashboard's row memo: a row is reused exactly when its inputs (signals, name, days without
activity) are the same, and equals a row derived afresh. The whole dashboard against the uncached
reference after every kind of write is tests/progress/test_row_cache.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.progress import flags, row_memo
from app.signals import Adherence, ClientSignals, DistressSummary, Flag

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)
CLIENT = uuid.uuid4()


def _signals(last_activity: datetime | None, *, done: float = 2) -> ClientSignals:
    return ClientSignals(
        last_activity_at=last_activity,
        adherence={"Routines": Adherence(planned=5, done=done, planned_prev=5, done_prev=5)},
        distress=DistressSummary(episodes=3, episodes_prev=1, max_before=9),
        flags=[Flag("homework_overdue", "Homework overdue", "attention")],
    )


def _fresh(signals: tuple[ClientSignals | None, ...], now: datetime) -> flags.Row:
    parts = [{CLIENT: s} for s in signals if s is not None]
    return flags.build_rows([(CLIENT, "Alex")], flags.merge(parts), now=now)[0]


def test_the_same_inputs_give_the_very_same_row() -> None:
    memo = row_memo.RowMemo()
    signals = (_signals(NOW - timedelta(days=4)), None, _signals(None, done=1))
    first = memo.row(CLIENT, "Alex", signals, now=NOW)
    again = memo.row(CLIENT, "Alex", signals, now=NOW + timedelta(hours=3))
    assert again is first
    assert first == _fresh(signals, NOW)


def test_a_new_day_without_activity_derives_the_row_again() -> None:
    memo = row_memo.RowMemo()
    signals = (_signals(NOW - timedelta(days=4)),)
    before = memo.row(CLIENT, "Alex", signals, now=NOW)
    later = NOW + timedelta(days=1)
    after = memo.row(CLIENT, "Alex", signals, now=later)
    assert after is not before
    assert after == _fresh(signals, later)
    reasons = [str(f.reason) for f in after.flags if f.code == "no_activity"]
    assert reasons == ["No activity for 5 days"]


def test_changed_signals_or_name_derive_the_row_again() -> None:
    memo = row_memo.RowMemo()
    first = memo.row(CLIENT, "Alex", (_signals(NOW),), now=NOW)
    changed = (_signals(NOW, done=0),)
    assert memo.row(CLIENT, "Alex", changed, now=NOW) == _fresh(changed, NOW)
    assert memo.row(CLIENT, "Alex", changed, now=NOW).adherence != first.adherence
    assert memo.row(CLIENT, "Alexa", changed, now=NOW).name == "Alexa"
    # A domain that said nothing this time (or failed) is an input too.
    assert memo.row(CLIENT, "Alexa", (*changed, None), now=NOW) is not memo.row(
        CLIENT, "Alexa", changed, now=NOW
    )


def test_equal_signals_in_new_objects_reuse_the_row() -> None:
    """Domains that are not cached (reminders) answer with new objects on every request."""
    memo = row_memo.RowMemo()
    first = memo.row(CLIENT, "Alex", (_signals(NOW),), now=NOW)
    assert memo.row(CLIENT, "Alex", (_signals(NOW),), now=NOW) is first


def test_after_an_equal_answer_in_new_objects_the_next_view_compares_by_identity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The row cache recomputing an unchanged client (or a restart's warm-up racing the first
    view) must not leave every later view comparing that client's signals field by field."""
    memo = row_memo.RowMemo()
    first = memo.row(CLIENT, "Alex", (_signals(NOW),), now=NOW)
    current = (_signals(NOW),)
    assert memo.row(CLIENT, "Alex", current, now=NOW) is first
    compared: list[object] = []
    real_eq = ClientSignals.__eq__

    def counting_eq(self: ClientSignals, other: object) -> bool:
        compared.append(self)
        return real_eq(self, other)

    monkeypatch.setattr(ClientSignals, "__eq__", counting_eq)
    assert memo.row(CLIENT, "Alex", current, now=NOW) is first
    assert compared == []


def test_a_batch_asks_once_and_answers_in_order() -> None:
    memo = row_memo.RowMemo()
    others = [uuid.uuid4() for _ in range(3)]
    wanted = [(cid, f"C{n}", (_signals(NOW - timedelta(days=n)),)) for n, cid in enumerate(others)]
    rows = memo.rows(wanted, now=NOW)
    assert [r.client_id for r in rows] == others
    assert [r.name for r in rows] == ["C0", "C1", "C2"]
    assert memo.rows(wanted, now=NOW) == rows
    assert all(a is b for a, b in zip(memo.rows(wanted, now=NOW), rows, strict=True))


def test_the_memo_holds_at_most_its_size() -> None:
    memo = row_memo.RowMemo(size=3)
    for _ in range(5):
        memo.row(uuid.uuid4(), "Sam", (_signals(NOW),), now=NOW)
    assert len(memo) == 3
