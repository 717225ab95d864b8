"""Sensory preference profile: checking answers, scoring them, a plain summary, and the calm-ranking fit.

Pure functions over plain values (no database), so the same rules serve the API, the pages and the
ranking. The profile describes preferences in the client's terms; it never labels or diagnoses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from babel.lists import format_list

from app.i18n import FORMAT_LOCALES, current_language
from app.i18n import gettext as _
from app.sensory.catalog import checklist
from app.sensory.vocabulary import KIT_ITEMS, RESPONSES, SYSTEMS, SensoryFit
from app.sensory.words import current_checklist

NOTES_MAX = 2000


class ProfileError(ValueError):
    """An answer outside the checklist; `field` names where, never the submitted value."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class ProfileAnswers:
    """One version of the checklist as filled in. A system missing from `responses` is unanswered."""

    responses: Mapping[str, str] = field(default_factory=dict)
    triggers: frozenset[str] = frozenset()
    calming: frozenset[str] = frozenset()
    alerting: frozenset[str] = frozenset()
    notes: str = ""


@dataclass(frozen=True)
class ProfileScore:
    """The answers grouped by response, plus what the ticked lists say about each system."""

    by_response: dict[str, tuple[str, ...]]
    unanswered: tuple[str, ...]
    trigger_counts: dict[str, int]
    calming_systems: frozenset[str]
    alerting_systems: frozenset[str]

    @property
    def answered(self) -> int:
        return len(SYSTEMS) - len(self.unanswered)

    @property
    def complete(self) -> bool:
        return not self.unanswered


def validate_answers(
    *,
    responses: Mapping[str, str],
    triggers: Iterable[str] = (),
    calming: Iterable[str] = (),
    alerting: Iterable[str] = (),
    notes: str = "",
) -> ProfileAnswers:
    """Check every id against the checklist; empty responses mean "not answered yet"."""
    cl = checklist()
    clean: dict[str, str] = {}
    for system, response in responses.items():
        if system not in SYSTEMS:
            raise ProfileError("responses", _("unknown sensory system"))
        if response == "":
            continue
        if response not in RESPONSES:
            raise ProfileError(f"responses.{system}", _("choose one of the four answers"))
        clean[system] = response
    lists: dict[str, frozenset[str]] = {}
    for kind, chosen in (("triggers", triggers), ("calming", calming), ("alerting", alerting)):
        ids = frozenset(chosen)
        if ids - cl.choices(kind).keys():
            raise ProfileError(kind, _("unknown choice"))
        lists[kind] = ids
    if len(notes) > NOTES_MAX or "\x00" in notes:
        raise ProfileError("notes", _("keep notes under %(max)s characters", max=NOTES_MAX))
    return ProfileAnswers(
        responses={s: clean[s] for s in SYSTEMS if s in clean},
        triggers=lists["triggers"],
        calming=lists["calming"],
        alerting=lists["alerting"],
        notes=notes.strip(),
    )


def _systems_of(kind: str, ids: Iterable[str]) -> list[str]:
    options = checklist().choices(kind)
    return [s for i in ids if i in options for s in options[i].systems]


def score_profile(answers: ProfileAnswers) -> ProfileScore:
    """Group systems by answer (in vocabulary order) and count what the ticked lists point at."""
    by_response = {r: tuple(s for s in SYSTEMS if answers.responses.get(s) == r) for r in RESPONSES}
    trigger_counts: dict[str, int] = {}
    for s in _systems_of("triggers", answers.triggers):
        trigger_counts[s] = trigger_counts.get(s, 0) + 1
    return ProfileScore(
        by_response=by_response,
        unanswered=tuple(s for s in SYSTEMS if s not in answers.responses),
        trigger_counts=trigger_counts,
        calming_systems=frozenset(_systems_of("calming", answers.calming)),
        alerting_systems=frozenset(_systems_of("alerting", answers.alerting)),
    )


def fit_from_profile(answers: ProfileAnswers | None, kit: Iterable[str]) -> SensoryFit:
    """What the calm ranking should know: which senses to lean on, steer around or keep away from.

    The client's explicit seek/avoid/overwhelmed answer for a system always wins. For a system left
    neutral or unanswered, what they ticked speaks for them: an input they said calms them counts as
    sought (the ranking is for calming), else a known trigger on that sense counts as avoided.
    """
    owned = frozenset(k for k in kit if k in KIT_ITEMS)
    if answers is None:
        return SensoryFit(kit=owned)
    score = score_profile(answers)
    seeks = set(score.by_response["seek"])
    avoids = set(score.by_response["avoid"])
    overwhelmed = frozenset(score.by_response["overwhelmed"])
    for system in (*score.by_response["neutral"], *score.unanswered):
        if system in score.calming_systems:
            seeks.add(system)
        elif score.trigger_counts.get(system):
            avoids.add(system)
    return SensoryFit(
        seeks=frozenset(seeks), avoids=frozenset(avoids), overwhelmed=overwhelmed, kit=owned
    )


def _join(words: list[str], sep: str = ", ") -> str:
    """The words joined as "a, b and c" in the current language's way; `sep` joins longer phrases ("; ")."""
    if sep != ", ":
        return sep.join(words)
    language = current_language()
    return format_list(words, locale=FORMAT_LOCALES.get(language, language)) if words else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class ProfileSummary:
    """Sentences for the summary page, in the client's second person or with their name."""

    lines: tuple[str, ...]
    seeks: tuple[str, ...]
    neutral: tuple[str, ...]
    avoids: tuple[str, ...]
    overwhelmed: tuple[str, ...]
    unanswered: tuple[str, ...]


def summarize(answers: ProfileAnswers | None, *, name: str | None = None) -> ProfileSummary:
    """A readable summary both client and therapist understand ("You tend to seek movement…"),
    in the current language (whole sentences from the catalog; the checklist's words beside it)."""
    cl = current_checklist()
    empty = ProfileSummary((_("Nothing filled in yet."),), (), (), (), (), SYSTEMS)
    if answers is None:
        return empty
    score = score_profile(answers)

    def phrases(system_ids: tuple[str, ...]) -> list[str]:
        return [cl.system(x).summary for x in system_ids]

    lines: list[str] = []
    if seek := phrases(score.by_response["seek"]):
        things = _join(seek)
        lines.append(
            _("%(name)s tends to seek %(things)s.", name=name, things=things)
            if name
            else _("You tend to seek %(things)s.", things=things)
        )
    if avoid := phrases(score.by_response["avoid"]):
        things = _join(avoid)
        lines.append(
            _("%(name)s tends to avoid %(things)s.", name=name, things=things)
            if name
            else _("You tend to avoid %(things)s.", things=things)
        )
    if over := phrases(score.by_response["overwhelmed"]):
        things = _join(over)
        sentence = (
            _("%(things)s can get too much for %(name)s.", name=name, things=things)
            if name
            else _("%(things)s can get too much for you.", things=things)
        )
        lines.append(_upper_first(sentence))
    if neutral := phrases(score.by_response["neutral"]):
        things = _join(neutral)
        lines.append(
            _("%(name)s feels fine either way about %(things)s.", name=name, things=things)
            if name
            else _("You feel fine either way about %(things)s.", things=things)
        )
    leads = {
        "triggers": (_("Known triggers: %(things)s."), _("Known triggers: %(things)s.")),
        "calming": (
            _("What helps you calm down: %(things)s."),
            _("What helps %(name)s calm down: %(things)s."),
        ),
        "alerting": (
            _("What wakes you up: %(things)s."),
            _("What wakes %(name)s up: %(things)s."),
        ),
    }
    for kind, (yours, theirs) in leads.items():
        chosen = getattr(answers, kind)
        labels = [_lower_first(c.label) for i, c in cl.choices(kind).items() if i in chosen]
        if labels:
            template = theirs if name else yours
            lines.append(template % {"name": name, "things": _join(labels, "; ")})
    if score.unanswered and score.answered:
        names = [_lower_first(cl.system(x).name) for x in score.unanswered]
        lines.append(_("Not answered yet: %(things)s.", things=_join(names, "; ")))
    if not lines:
        return empty
    return ProfileSummary(
        lines=tuple(lines),
        seeks=score.by_response["seek"],
        neutral=score.by_response["neutral"],
        avoids=score.by_response["avoid"],
        overwhelmed=score.by_response["overwhelmed"],
        unanswered=score.unanswered,
    )
