"""The kinds of homework a therapist can set, in plain words, and where each one is practised."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import N_, gettext


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    label: str
    hint: str
    target_label: str | None = None  # what `details["target"]` names for this kind
    practise_path: str | None = None  # the client's page where it is done, when that page exists
    practise_label: str | None = None  # the link to that page


KINDS: tuple[Kind, ...] = (
    Kind(
        "routine",
        N_("Practise a routine"),
        N_("Go through one of your routines."),
        N_("Which routine"),
        "/routines",
        N_("Go to your routines"),
    ),
    Kind(
        "habit",
        N_("Keep a habit at a level"),
        N_("Stay at the level you agreed, without moving up yet."),
        N_("Which habit"),
        "/self-care",
        N_("Go to your habits"),
    ),
    Kind(
        "coping",
        N_("Practise a coping strategy while calm"),
        N_("Practising when calm helps the strategy work when you need it."),
        N_("Which strategy"),
        "/calm",
        N_("Go to your calm tools"),
    ),
    Kind(
        "sensory",
        N_("A sensory-diet activity"),
        N_("A planned sensory activity at the time agreed."),
        N_("Which activity"),
        "/sensory",
        N_("Go to your sensory plan"),
    ),
    Kind("reflection", N_("Reflection questions"), N_("Answer a few questions in your own words.")),
    Kind(
        "activation",
        N_("An activity to try (behavioural activation)"),
        N_("Before: guess how you'll feel. After: rate mood, pleasure and mastery."),
        N_("The activity"),
    ),
    Kind(
        "task",
        N_("A task with instructions"),
        N_("Follow the instructions; there may be a file to see."),
    ),
)
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
KIND_KEYS: tuple[str, ...] = tuple(BY_KEY)


def label(key: str) -> str:
    """The kind's name in the current language (the key itself for an unknown kind)."""
    return gettext(BY_KEY[key].label) if key in BY_KEY else key
