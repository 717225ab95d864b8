"""The therapist's Library entry for routine templates."""

from app.i18n import N_
from app.sections import LibraryLink

LINK = LibraryLink(
    title=N_("Routine templates"),
    description=N_("Built-in routines and the ones your clinic saved from clients' routines."),
    href="/library/routines",
    order=10,
)
