"""What the client's and the therapist's homework pages both show: the kinds, state labels and
weekdays every homework template reads. No routes."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.homework import kinds
from app.homework.states import LABELS
from app.i18n import lazy_gettext

# Monday (0) to Sunday (6), each with a date on that weekday: its name comes from the language.
WEEKDAYS = [(n, date(2024, 1, 1 + n)) for n in range(7)]


def common_context() -> dict[str, Any]:
    return {
        "kinds": kinds.KINDS,
        "labels": LABELS,
        "weekdays": WEEKDAYS,
        "kind_label": kinds.label,
        "kind_options": [(k.key, lazy_gettext(k.label)) for k in kinds.KINDS],
    }
