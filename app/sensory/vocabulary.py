"""The shared sensory vocabulary: system ids, responses, kit items, places.

Strategies (coping), the sensory profile, the kit and the sensory diet all speak these ids, so the
calm flow can rank by what a person seeks, avoids and has at hand. Keep ids stable: data refers to them.
Labels are English message ids (marked with N_), translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from app.i18n import N_

SENSORY_SYSTEMS: Final[dict[str, str]] = {
    "visual": N_("Seeing"),
    "auditory": N_("Hearing"),
    "tactile": N_("Touch"),
    "proprioceptive": N_("Body position and heavy work"),
    "vestibular": N_("Movement and balance"),
    "olfactory": N_("Smell"),
    "gustatory": N_("Taste and mouth"),
    "interoceptive": N_("Inner body signals"),
}
SYSTEMS: Final[tuple[str, ...]] = tuple(SENSORY_SYSTEMS)

Response = Literal["seek", "neutral", "avoid", "overwhelmed"]
RESPONSES: Final[dict[str, str]] = {
    "seek": N_("I look for this"),
    "neutral": N_("It doesn't bother me either way"),
    "avoid": N_("I avoid this"),
    "overwhelmed": N_("It overwhelms me"),
}

KIT_ITEMS: Final[dict[str, str]] = {
    "weighted_blanket": N_("Weighted blanket"),
    "weighted_lap_pad": N_("Weighted lap pad"),
    "noise_cancelling_headphones": N_("Noise-cancelling headphones"),
    "headphones": N_("Headphones or earbuds"),
    "earplugs": N_("Earplugs"),
    "fidget": N_("Fidget toy"),
    "stress_ball": N_("Stress ball"),
    "putty": N_("Therapy putty or modelling clay"),
    "chewing_gum": N_("Chewing gum"),
    "sour_sweets": N_("Sour sweets"),
    "crunchy_snack": N_("Crunchy snack"),
    "cold_pack": N_("Cold pack"),
    "ice": N_("Ice cubes"),
    "hot_drink": N_("A warm drink"),
    "scented_item": N_("Something with a scent I like"),
    "hand_cream": N_("Hand cream"),
    "soft_blanket": N_("Soft blanket"),
    "rocking_chair": N_("Rocking chair"),
    "exercise_ball": N_("Exercise ball"),
    "resistance_band": N_("Resistance band"),
    "sunglasses": N_("Sunglasses"),
    "eye_mask": N_("Eye mask"),
    "paper_pen": N_("Paper and pen"),
    "colouring": N_("Colouring book and pencils"),
    "playing_cards": N_("Playing cards"),
    "music_player": N_("Music I like on my phone or a player"),
    "phone": N_("A phone to call or text someone"),
}

PLACES: Final[dict[str, str]] = {
    "home": N_("At home"),
    "work_school": N_("At work or school"),
    "public": N_("Out and about"),
    "in_bed": N_("In bed"),
}

TIME_AVAILABLE: Final[tuple[int, ...]] = (1, 5, 15)


@dataclass(frozen=True)
class SensoryFit:
    """What the calm ranking needs to know about a person's senses and kit."""

    seeks: frozenset[str] = field(default_factory=frozenset)
    avoids: frozenset[str] = field(default_factory=frozenset)
    overwhelmed: frozenset[str] = field(default_factory=frozenset)
    kit: frozenset[str] = field(default_factory=frozenset)
