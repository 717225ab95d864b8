"""The kinds of homework a therapist can set, in plain words, and where each one is practised."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    label: str
    hint: str
    target_label: str | None = None  # what `details["target"]` names for this kind
    practise_path: str | None = None  # the client's page where it is done, when that page exists


KINDS: tuple[Kind, ...] = (
    Kind(
        "routine",
        "Practise a routine",
        "Go through one of your routines.",
        "Which routine",
        "/routines",
    ),
    Kind(
        "habit",
        "Keep a habit at a level",
        "Stay at the level you agreed, without moving up yet.",
        "Which habit",
        "/self-care",
    ),
    Kind(
        "coping",
        "Practise a coping strategy while calm",
        "Practising when calm helps the strategy work when you need it.",
        "Which strategy",
        "/calm",
    ),
    Kind(
        "sensory",
        "A sensory-diet activity",
        "A planned sensory activity at the time agreed.",
        "Which activity",
        "/sensory",
    ),
    Kind("reflection", "Reflection questions", "Answer a few questions in your own words."),
    Kind(
        "activation",
        "An activity to try (behavioural activation)",
        "Before: guess how you'll feel. After: rate mood, pleasure and mastery.",
        "The activity",
    ),
    Kind(
        "task", "A task with instructions", "Follow the instructions; there may be a file to see."
    ),
)
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
KIND_KEYS: tuple[str, ...] = tuple(BY_KEY)


def label(key: str) -> str:
    return BY_KEY[key].label if key in BY_KEY else key
