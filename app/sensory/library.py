"""The therapist's Library page links to the sensory-diet activity library."""

from __future__ import annotations

from app.i18n import N_
from app.sections import LibraryLink

LINK = LibraryLink(
    title=N_("Sensory diet activities"),
    description=N_(
        "Main courses and snacks, calming and alerting, with the kit they need and their cautions."
    ),
    href="/library/sensory",
    order=60,
)
