"""What the client's and the therapist's homework pages both show: the kinds, state labels and
weekdays every homework template reads. No routes."""

from __future__ import annotations

from typing import Any

from app.homework import kinds
from app.homework.states import LABELS

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


def common_context() -> dict[str, Any]:
    return {
        "kinds": kinds.KINDS,
        "labels": LABELS,
        "weekdays": WEEKDAYS,
        "kind_label": kinds.label,
        "kind_options": [(k.key, k.label) for k in kinds.KINDS],
    }
