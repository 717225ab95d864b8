"""The shared sensory vocabulary: system ids, responses, kit items, places.

Strategies (coping), the sensory profile, the kit and the sensory diet all speak these ids, so the
calm flow can rank by what a person seeks, avoids and has at hand. Keep ids stable: data refers to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

SENSORY_SYSTEMS: Final[dict[str, str]] = {
    "visual": "Seeing",
    "auditory": "Hearing",
    "tactile": "Touch",
    "proprioceptive": "Body position and heavy work",
    "vestibular": "Movement and balance",
    "olfactory": "Smell",
    "gustatory": "Taste and mouth",
    "interoceptive": "Inner body signals",
}
SYSTEMS: Final[tuple[str, ...]] = tuple(SENSORY_SYSTEMS)

Response = Literal["seek", "neutral", "avoid", "overwhelmed"]
RESPONSES: Final[dict[str, str]] = {
    "seek": "I look for this",
    "neutral": "It doesn't bother me either way",
    "avoid": "I avoid this",
    "overwhelmed": "It overwhelms me",
}

KIT_ITEMS: Final[dict[str, str]] = {
    "weighted_blanket": "Weighted blanket",
    "weighted_lap_pad": "Weighted lap pad",
    "noise_cancelling_headphones": "Noise-cancelling headphones",
    "headphones": "Headphones or earbuds",
    "earplugs": "Earplugs",
    "fidget": "Fidget toy",
    "stress_ball": "Stress ball",
    "putty": "Therapy putty or modelling clay",
    "chewing_gum": "Chewing gum",
    "sour_sweets": "Sour sweets",
    "crunchy_snack": "Crunchy snack",
    "cold_pack": "Cold pack",
    "ice": "Ice cubes",
    "hot_drink": "A warm drink",
    "scented_item": "Something with a scent I like",
    "hand_cream": "Hand cream",
    "soft_blanket": "Soft blanket",
    "rocking_chair": "Rocking chair",
    "exercise_ball": "Exercise ball",
    "resistance_band": "Resistance band",
    "sunglasses": "Sunglasses",
    "eye_mask": "Eye mask",
    "paper_pen": "Paper and pen",
    "colouring": "Colouring book and pencils",
    "playing_cards": "Playing cards",
    "music_player": "Music I like on my phone or a player",
    "phone": "A phone to call or text someone",
}

PLACES: Final[dict[str, str]] = {
    "home": "At home",
    "work_school": "At work or school",
    "public": "Out and about",
    "in_bed": "In bed",
}

TIME_AVAILABLE: Final[tuple[int, ...]] = (1, 5, 15)


@dataclass(frozen=True)
class SensoryFit:
    """What the calm ranking needs to know about a person's senses and kit."""

    seeks: frozenset[str] = field(default_factory=frozenset)
    avoids: frozenset[str] = field(default_factory=frozenset)
    overwhelmed: frozenset[str] = field(default_factory=frozenset)
    kit: frozenset[str] = field(default_factory=frozenset)
