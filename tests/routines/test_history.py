"""History: heat-map shading, skip analytics and weekly summaries."""

from datetime import date, timedelta
from uuid import UUID

from app.routines import history as h

MON = date(2026, 11, 16)


def test_level_shades_partial_days_partially() -> None:
    assert [h.level_for(d, 6) for d in range(7)] == [0, 1, 2, 2, 3, 3, 4]
    assert h.level_for(1, 1) == 4
    assert h.level_for(0, 0) == 0
    assert h.level_for(9, 3) == 4


def test_heat_map_has_one_cell_per_day_with_text_equivalents() -> None:
    planned = [MON, MON + timedelta(days=2), MON + timedelta(days=4)]
    records = {
        MON: h.DayRecord(MON, planned=6, done=4),
        MON + timedelta(days=2): h.DayRecord(MON + timedelta(days=2), planned=3, done=3),  # bad day
        MON + timedelta(days=5): h.DayRecord(
            MON + timedelta(days=5), planned=6, done=2
        ),  # extra day
    }
    cells = h.heat_map(
        first=MON,
        last=MON + timedelta(days=6),
        planned_days=planned,
        steps_planned=6,
        records=records,
    )
    assert len(cells) == 7
    assert [c.level for c in cells] == [3, 0, 4, 0, 0, 2, 0]
    assert cells[0].label == "Mon 16 Nov: 4 of 6 steps"
    assert cells[0].share == 4 / 6
    assert cells[1].label == "Tue 17 Nov: not planned"
    assert cells[1].share is None
    assert cells[2].label == "Wed 18 Nov: 3 of 3 steps"
    assert cells[4].label == "Fri 20 Nov: not started, 6 steps planned"
    assert cells[5].label == "Sat 21 Nov: 2 of 6 steps (an extra day)"
    assert not any("miss" in c.label or "fail" in c.label for c in cells)


def test_weeks_pad_to_monday_and_sunday() -> None:
    cells = h.heat_map(
        first=MON + timedelta(days=2),
        last=MON + timedelta(days=9),
        planned_days=[],
        steps_planned=1,
        records={},
    )
    rows = h.weeks(cells)
    assert len(rows) == 2
    assert rows[0][:2] == [None, None]
    assert rows[0][2] is not None
    assert rows[0][2].day == MON + timedelta(days=2)
    assert rows[1][2] is not None
    assert rows[1][3:] == [None, None, None, None]
    assert h.weeks([]) == []


def test_step_stats_and_most_skipped() -> None:
    a, b, c = UUID(int=1), UUID(int=2), UUID(int=3)
    rows = (
        [h.OutcomeRow(a, "Sit up", "done")] * 5
        + [h.OutcomeRow(b, "Shower", "skipped")] * 3
        + [h.OutcomeRow(b, "Shower", "done")] * 2
        + [h.OutcomeRow(c, "Breakfast", "skipped")] * 3
        + [h.OutcomeRow(c, "Breakfast", "helped")]
    )
    stats = h.step_stats(rows, order=[a, b, c])
    assert [(s.title, s.done, s.helped, s.skipped) for s in stats] == [
        ("Sit up", 5, 0, 0),
        ("Shower", 2, 0, 3),
        ("Breakfast", 0, 1, 3),
    ]
    top = h.most_skipped(stats)
    assert top is not None
    assert top.title == "Breakfast"  # same count as Shower, higher rate (3 of 4)
    assert top.skip_rate == 0.75
    assert h.most_skipped([s for s in stats if s.step_id == a]) is None


def test_weekly_summary_counts_partial_and_complete_days() -> None:
    planned = [MON + timedelta(days=i) for i in range(7)]
    records = {
        MON: h.DayRecord(MON, 4, 4),
        MON + timedelta(days=1): h.DayRecord(MON + timedelta(days=1), 4, 1),
        MON + timedelta(days=7): h.DayRecord(MON + timedelta(days=7), 4, 4),  # next week
    }
    cells = h.heat_map(
        first=MON,
        last=MON + timedelta(days=13),
        planned_days=planned,
        steps_planned=4,
        records=records,
    )
    summary = h.weekly_summary(cells, h.week_start(MON + timedelta(days=3)))
    assert (summary.days_planned, summary.days_started, summary.days_complete) == (7, 2, 1)
    assert (summary.steps_done, summary.steps_planned) == (5, 28)
    assert (
        summary.text
        == "Steps done on 2 of 7 planned days, 1 of them in full. 5 of 28 steps in all."
    )
    empty = h.weekly_summary(cells, MON + timedelta(days=14))
    assert empty.text == "Nothing was planned."
    none_done = h.weekly_summary(
        h.heat_map(
            first=MON,
            last=MON + timedelta(days=6),
            planned_days=planned,
            steps_planned=2,
            records={},
        ),
        MON,
    )
    assert none_done.text == "7 days were planned. Each new day is a fresh start."
