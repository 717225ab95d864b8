"""The ladder library a client picks from: the built-in ladders plus their clinic's own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.accounts.models import CareLink, User
from app.i18n import N_
from app.sections import LibraryLink
from app.self_care import words
from app.self_care.ladders import LadderSpec, LevelSpec, builtin_ladder, builtin_ladders
from app.self_care.models import ClinicLadder
from app.self_care.schemas import ClinicLadderCreate
from app.self_care.targets import LifeArea


@dataclass(frozen=True, slots=True)
class LibraryLadder:
    """A ladder as the library shows it; `key` is what a client sends to start it."""

    key: str
    life_area: LifeArea
    title: str
    summary: str
    levels: tuple[LevelSpec, ...]
    clinic: bool

    # What the pages show: a built-in ladder in the reader's language, a clinic's as written.
    @property
    def shown_title(self) -> str:
        spec = None if self.clinic else builtin_ladder(self.key)
        return words.title(spec) if spec else self.title

    @property
    def shown_summary(self) -> str:
        spec = None if self.clinic else builtin_ladder(self.key)
        return words.summary(spec) if spec else self.summary

    @property
    def shown_levels(self) -> list[str]:
        """Each level's description (what to do), first (easiest) first."""
        spec = None if self.clinic else builtin_ladder(self.key)
        if spec is None:
            return [level.description for level in self.levels]
        return [words.level(spec, n) for n in range(1, len(self.levels) + 1)]


def _from_builtin(spec: LadderSpec) -> LibraryLadder:
    return LibraryLadder(spec.id, spec.life_area, spec.title, spec.summary, spec.levels, False)


def _from_clinic(row: ClinicLadder) -> LibraryLadder:
    levels = tuple(LevelSpec.model_validate(level) for level in row.levels)
    return LibraryLadder(
        f"clinic:{row.id}", LifeArea(row.life_area), row.title, row.summary, levels, True
    )


def library(*, session: Session, organisation_id: uuid.UUID | None) -> list[LibraryLadder]:
    """Clinic ladders first (the therapist chose them for this place), then the built-in ones."""
    ladders: list[LibraryLadder] = []
    if organisation_id is not None:
        rows = session.exec(
            select(ClinicLadder)
            .where(
                ClinicLadder.organisation_id == organisation_id,
                col(ClinicLadder.archived_at).is_(None),
            )
            .order_by(col(ClinicLadder.title))
        )
        ladders.extend(_from_clinic(row) for row in rows)
    ladders.extend(_from_builtin(spec) for spec in builtin_ladders())
    return ladders


def find(*, session: Session, organisation_id: uuid.UUID | None, key: str) -> LibraryLadder | None:
    """Resolve a key; another clinic's ladder is simply not found."""
    if key.startswith("clinic:"):
        try:
            ladder_id = uuid.UUID(key.removeprefix("clinic:"))
        except ValueError:
            return None
        row = session.get(ClinicLadder, ladder_id)
        if row is None or row.archived_at is not None or row.organisation_id != organisation_id:
            return None
        return _from_clinic(row)
    return next((_from_builtin(s) for s in builtin_ladders() if s.id == key), None)


def create_clinic_ladder(
    *, session: Session, therapist: User, data: ClinicLadderCreate
) -> ClinicLadder:
    if therapist.organisation_id is None:
        raise ValueError("a therapist without a clinic cannot write clinic ladders")
    row = ClinicLadder(
        organisation_id=therapist.organisation_id,
        created_by_id=therapist.id,
        life_area=data.life_area.value,
        title=data.title,
        summary=data.summary,
        levels=[level.model_dump(mode="json") for level in data.levels],
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def clinic_of(*, session: Session, user: User) -> uuid.UUID | None:
    """Whose clinic ladders this person sees: their own clinic, or (a self-managing client)
    the clinic of a therapist they are linked to."""
    if user.organisation_id is not None:
        return user.organisation_id
    return session.exec(
        select(User.organisation_id)
        .join(CareLink, col(CareLink.therapist_id) == User.id)
        .where(CareLink.client_id == user.id, col(CareLink.ended_at).is_(None))
    ).first()


LINK = LibraryLink(
    title=N_("Self-care ladders"),
    description=N_(
        "Graded habit ladders: the built-in library, and ladders you write for your clinic."
    ),
    href="/self-care/clinic-ladders/new",
    order=20,
)
