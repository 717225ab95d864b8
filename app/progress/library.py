"""The therapist's Library links to the caseload dashboard until it becomes /caseload's default."""

from app.sections import LibraryLink

LINK = LibraryLink(
    title="Caseload dashboard",
    description="Every client's last activity, adherence, distress and flags with reasons.",
    href="/dashboard",
    order=5,
)
