"""The therapist's Library entry for routine templates."""

from app.sections import LibraryLink

LINK = LibraryLink(
    title="Routine templates",
    description="Built-in routines and the ones your clinic saved from clients' routines.",
    href="/library/routines",
    order=10,
)
