"""Ids the Calm domain relies on. Senses, places, time and kit come from the shared sensory
vocabulary (seam 5, app/sensory/vocabulary.py), so the strategy library cannot drift from it;
kinds, effects and the distress thresholds are Calm's own.
"""

from typing import Final, Literal

from app.sensory.vocabulary import KIT_ITEMS as _KIT_ITEMS
from app.sensory.vocabulary import PLACES as _PLACES
from app.sensory.vocabulary import SENSORY_SYSTEMS
from app.sensory.vocabulary import TIME_AVAILABLE as _TIME_AVAILABLE

SYSTEMS: Final = tuple(SENSORY_SYSTEMS)
PLACES: Final = tuple(_PLACES)
TIME_AVAILABLE: Final = tuple(_TIME_AVAILABLE)
KIT_ITEMS: Final = tuple(_KIT_ITEMS)

Kind = Literal[
    "breathing", "grounding", "body_sensory", "movement", "activity", "connecting", "thinking"
]
KINDS: Final = (
    "breathing",
    "grounding",
    "body_sensory",
    "movement",
    "activity",
    "connecting",
    "thinking",
)
Effect = Literal["calming", "alerting"]

# Distress at or above this is "high": only body- and sensory-based strategies are offered
# (clinical reference: match the tool to the level).
HIGH_DISTRESS: Final = 7
# Highest level a thinking-based strategy may claim to suit.
THINKING_MAX: Final = 6
