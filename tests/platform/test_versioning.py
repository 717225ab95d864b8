"""The shared optimistic-concurrency rules (app/versioning.py), without a database."""

from __future__ import annotations

import pytest

from app import versioning
from app.errors import BadRequest

F = versioning.Field


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("*", None),
        ('"3"', frozenset({3})),
        (' "3" , "4"', frozenset({3, 4})),
        ('W/"3"', frozenset()),
        ('"abc"', frozenset()),
        ('"' + "9" * 40 + '"', frozenset()),
    ],
)
def test_if_match_gives_the_versions_it_allows(
    header: str | None, expected: frozenset[int] | None
) -> None:
    assert versioning.parse_if_match(header) == expected


@pytest.mark.parametrize("header", ["3", '"3', "W/3", '"3" "4"', "\x00"])
def test_if_match_that_is_not_entity_tags_is_a_bad_request(header: str) -> None:
    with pytest.raises(BadRequest):
        versioning.parse_if_match(header)


def test_the_header_wins_over_the_body_and_the_body_counts_without_it() -> None:
    assert versioning.expected('"5"', 2) == frozenset({5})
    assert versioning.expected(None, 2) == frozenset({2})
    assert versioning.expected(None, None) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, None),
        ({"version": ""}, None),
        ({"version": "7"}, frozenset({7})),
        ({"version": "seven"}, frozenset()),
        ({"version": ["1", "2"]}, frozenset()),
    ],
)
def test_a_forms_version(values: dict[str, object], expected: frozenset[int] | None) -> None:
    assert versioning.form_version(values) == expected


def test_keep_both_puts_the_saved_lines_first_then_only_yours_that_are_new() -> None:
    assert versioning.merge_lines("a\nb", "b\nc\n\na ") == "a\nb\nc"
    assert versioning.merge_lines("a\nb", "a") == "a\nb"


def test_choices_take_the_saved_value_from_the_row_not_the_page() -> None:
    fields = (
        F("notes", "Notes", lines=True),
        F("when", "When", form_names=("kind", "days")),
        F("t", "T"),
    )
    sent = {
        "notes": "mine",
        "kind": "daily",
        "days": ["1"],
        "t": "typed",
        "keep__notes": "both",
        "keep__when": "theirs",
        "keep__t": "mine",
    }
    current = {"notes": "saved", "kind": "weekly", "days": ["0", "2"], "t": "stored"}
    assert versioning.apply_choices(sent, fields=fields, current=current) == {
        "notes": "saved\nmine",
        "kind": "weekly",
        "days": ["0", "2"],
        "t": "typed",
    }


def test_a_stale_save_conflicts_only_where_it_differs() -> None:
    fields = (F("a", "A", lines=True), F("b", "B"))
    versioning.require(
        frozenset({1}),
        what="x",
        version=2,
        fields=fields,
        yours={"a": "same", "b": "x"},
        current={"a": "same ", "b": "x"},
    )
    with pytest.raises(versioning.EditConflict) as caught:
        versioning.require(
            frozenset({1}),
            what="x",
            version=2,
            fields=fields,
            yours={"a": "one\ntwo", "b": "x"},
            current={"a": "one\nthree", "b": "x"},
        )
    assert caught.value.extra == {
        "current_version": 2,
        "your_version": 1,
        "changed": [
            {
                "field": "a",
                "label": "A",
                "current": "one\nthree",
                "yours": "one\ntwo",
                "only_in_current": ["three"],
                "only_in_yours": ["two"],
            }
        ],
    }
    assert caught.value.headers["ETag"] == '"2"'
