"""Every built-in template validates, and the validator rejects what it should."""

import pytest
from pydantic import ValidationError

from app.routines import recurrence
from app.routines.templates_library import builtin_template, builtin_templates, parse_templates

EXPECTED_KEYS = {
    "getting-up",
    "leaving-the-house",
    "evening-wind-down",
    "medication",
    "shower",
    "meal-preparation",
    "laundry",
    "weekly-shop",
    "tidy-one-room",
    "appointment-ready",
}


def test_every_builtin_template_validates_and_the_library_is_broad() -> None:
    templates = builtin_templates()
    assert len(templates) >= 10
    assert {t.key for t in templates} >= EXPECTED_KEYS
    for template in templates:
        assert recurrence.normalise_rrule(template.rrule) == template.rrule
        assert 1 <= template.bad_day_count <= len(template.steps)
        assert all(step.title.strip() == step.title for step in template.steps)


def test_templates_avoid_blaming_language() -> None:
    words = ("should", "must", "failure", "failed", "lazy")
    for template in builtin_templates():
        texts = [template.title, template.summary] + [
            s.title + " " + s.detail for s in template.steps
        ]
        for text in texts:
            assert not any(w in text.lower().split() for w in words), text


def test_lookup_by_key() -> None:
    template = builtin_template("getting-up")
    assert template is not None
    assert template.time is not None
    assert template.time.hour == 8
    assert builtin_template("nope") is None


GOOD = """
- key: a-routine
  title: A
  icon: "☀️"
  summary: s
  part_of_day: morning
  schedule: {kind: daily}
  steps:
    - {title: one, bad_day: true}
"""


def test_parse_accepts_a_minimal_template() -> None:
    (template,) = parse_templates(GOOD)
    assert template.rrule == "FREQ=DAILY"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("bad_day: true", "bad_day: false"),  # no bad-day step
        ("kind: daily", "kind: rrule, rrule: 'FREQ=NEVER'"),
        ('icon: "☀️"', "icon: sun"),
        ("part_of_day: morning", "part_of_day: midnight"),
        ("title: one", "title: one, minutes: 0"),
        ("summary: s", "summary: s\n  colour: red"),
    ],
)
def test_parse_rejects_invalid_templates(old: str, new: str) -> None:
    with pytest.raises((ValidationError, ValueError)):
        parse_templates(GOOD.replace(old, new))


def test_parse_rejects_duplicate_keys() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        parse_templates(GOOD + GOOD.replace("\n- key", "- key", 1))
