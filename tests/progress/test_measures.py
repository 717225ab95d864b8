"""PHQ-9 / GAD-7 scoring, bands worded as ranges, and the item 9 urgent flag."""

import re

import pytest

from app.progress import measures
from app.progress.measures import GAD7, PHQ9, MeasureError, score


def test_item_counts_and_maxima() -> None:
    assert len(PHQ9.items) == 9
    assert PHQ9.max_total == 27
    assert len(GAD7.items) == 7
    assert GAD7.max_total == 21


@pytest.mark.parametrize(
    ("total", "key"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_edges(total: int, key: str) -> None:
    answers = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    answers += [0] * (9 - len(answers))
    # Keep item 9 at 0 unless the total needs every item.
    answers = sorted(answers, reverse=True) if total < 27 else answers
    result = score("phq9", answers)
    assert result.total == total
    assert result.band.key == key


@pytest.mark.parametrize(
    ("total", "key"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_band_edges(total: int, key: str) -> None:
    answers = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    answers += [0] * (7 - len(answers))
    result = score("gad7", answers)
    assert result.total == total
    assert result.band.key == key


def test_bands_cover_every_total_once() -> None:
    for measure in (PHQ9, GAD7):
        covered = [t for band in measure.bands for t in range(band.low, band.high + 1)]
        assert covered == list(range(measure.max_total + 1))


def test_band_labels_never_name_a_condition() -> None:
    forbidden = re.compile(r"depress|anxiety|disorder|diagnos", re.IGNORECASE)
    for measure in (PHQ9, GAD7):
        for band in measure.bands:
            assert band.label.startswith("Score in the")
            assert not forbidden.search(band.label)
    assert "not a diagnosis" in measures.NOT_A_DIAGNOSIS


def test_item9_above_zero_is_urgent_even_with_a_low_total() -> None:
    result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.urgent
    assert result.band.key == "minimal"


def test_item9_zero_is_not_urgent_even_with_a_high_total() -> None:
    assert not score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).urgent


def test_gad7_is_never_urgent_on_its_own() -> None:
    assert not score("gad7", [3] * 7).urgent


def test_band_text_shows_the_range() -> None:
    assert score("gad7", [2, 2, 2, 2, 2, 0, 0]).band_text == "10 of 21: score in the moderate range"


@pytest.mark.parametrize(
    "answers",
    [[0] * 8, [0] * 10, [0] * 8 + [4], [0] * 8 + [-1], [0] * 8 + [True], [0] * 8 + [1.0]],
)
def test_bad_answers_are_refused(answers: list[int]) -> None:
    with pytest.raises(MeasureError):
        score("phq9", answers)


def test_unknown_measure_is_refused() -> None:
    with pytest.raises(MeasureError):
        score("beck", [0])


def test_answer_labels() -> None:
    assert measures.answer_label(0) == "Not at all"
    assert measures.answer_label(3) == "Nearly every day"
