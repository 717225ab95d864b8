"""The therapist's Library links to the caseload dashboard until it becomes /caseload's default."""

from app.i18n import N_
from app.sections import LibraryLink

LINK = LibraryLink(
    title=N_("Caseload dashboard"),
    description=N_("Every client's last activity, adherence, distress and flags with reasons."),
    href="/dashboard",
    order=5,
)
