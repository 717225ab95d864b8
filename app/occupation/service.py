"""The occupational profile and the self-rated activities: both edited by client and therapist,
both versioned (a stale save is refused, see versioning.py). Writes commit once, at the end."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app import clock, versioning
from app.accounts.models import User
from app.audit import service as audit
from app.errors import Conflict, NotFound, Unprocessable
from app.i18n import N_, gettext
from app.occupation import scores
from app.occupation.models import ActivityRating, OccupationProfile, RatedActivity, RatingRound
from app.occupation.schemas import ActivityIn, ProfileIn, RatingIn, RoundIn, RoundUpdate
from app.web_security import Principal

PROFILE_FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "roles",
        N_("My roles"),
        N_("For example parent, friend, worker, student, neighbour, volunteer."),
    ),
    (
        "typical_day",
        N_("A typical day"),
        N_("What a usual day looks like now, from getting up to bed."),
    ),
    (
        "what_matters",
        N_("What matters to me"),
        N_("The people, places and things that matter most."),
    ),
    ("strengths", N_("My strengths"), N_("What I'm good at, and what has got me through before.")),
    ("supports", N_("Who and what helps"), N_("People, services, pets, places, habits.")),
    (
        "environment",
        N_("Where I live and spend time"),
        N_("Home, travel, work or study, money, noise."),
    ),
    ("hopes", N_("What I want to be able to do"), N_("In my own words, big or small.")),
)


def _record(session: Session, principal: Principal, client_id: uuid.UUID, action: str) -> None:
    audit.add(session, actor=principal.user, client_id=client_id, action=action)


# --- profile ------------------------------------------------------------------------------------


def latest_profile(session: Session, client_id: uuid.UUID) -> OccupationProfile | None:
    return session.exec(
        select(OccupationProfile)
        .where(OccupationProfile.client_id == client_id)
        .order_by(col(OccupationProfile.version).desc())
        .limit(1)
    ).first()


def profile_history(session: Session, client_id: uuid.UUID) -> Sequence[OccupationProfile]:
    return session.exec(
        select(OccupationProfile)
        .where(OccupationProfile.client_id == client_id)
        .order_by(col(OccupationProfile.version).desc())
    ).all()


PROFILE_VFIELDS: tuple[versioning.Field, ...] = tuple(
    versioning.Field(name, label, lines=True) for name, label, _hint in PROFILE_FIELDS
)


def profile_values(row: OccupationProfile | None) -> dict[str, str]:
    return {name: getattr(row, name) if row else "" for name, _l, _h in PROFILE_FIELDS}


def save_profile(
    session: Session,
    *,
    principal: Principal,
    client: User,
    data: ProfileIn,
    expected: versioning.Expected = None,
) -> OccupationProfile:
    """A new version. `expected`: the versions the person edited from (nothing saved yet is
    version 0); a newer version that differs raises EditConflict (app/versioning.py), so neither
    person's words are lost. The same answers again add no version. Two saves racing from the
    same version meet the unique (client, version): the second is a Conflict, not a 500."""
    current = latest_profile(session, client.id)
    yours = data.model_dump(exclude={"version"})
    versioning.require(
        expected,
        what="profile",
        version=current.version if current else 0,
        fields=PROFILE_VFIELDS,
        yours=yours,
        current=profile_values(current),
    )
    if current is not None and profile_values(current) == yours:
        return current
    row = OccupationProfile(
        client_id=client.id,
        version=(current.version if current else 0) + 1,
        author_id=principal.id,
        **yours,
    )
    session.add(row)
    _record(session, principal, client.id, "occupation.profile.save")
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            N_(
                "The profile was saved by someone else at the same moment. Nothing was saved: "
                "open it again to see the newer version."
            )
        ) from None
    return row


# --- rated activities ---------------------------------------------------------------------------


def active_activities(session: Session, client_id: uuid.UUID) -> Sequence[RatedActivity]:
    return session.exec(
        select(RatedActivity)
        .where(RatedActivity.client_id == client_id, col(RatedActivity.archived_at).is_(None))
        .order_by(col(RatedActivity.created_at), col(RatedActivity.title))
    ).all()


def add_activity(
    session: Session, *, principal: Principal, client: User, data: ActivityIn
) -> RatedActivity:
    count = session.exec(
        select(func.count())
        .select_from(RatedActivity)
        .where(RatedActivity.client_id == client.id, col(RatedActivity.archived_at).is_(None))
    ).one()
    if count >= scores.MAX_ACTIVITIES:
        raise Conflict(
            gettext(
                "Up to %(num)s activities at a time: take one off to add another.",
                num=scores.MAX_ACTIVITIES,
            )
        )
    row = RatedActivity(client_id=client.id, title=data.title)
    session.add(row)
    _record(session, principal, client.id, "occupation.activity.add")
    session.commit()
    return row


def archive_activity(
    session: Session, *, principal: Principal, activity: RatedActivity
) -> RatedActivity:
    activity.archived_at = clock.now()
    session.add(activity)
    _record(session, principal, activity.client_id, "occupation.activity.archive")
    session.commit()
    return activity


def get_activity(
    session: Session, *, client_id: uuid.UUID, activity_id: uuid.UUID
) -> RatedActivity:
    row = session.get(RatedActivity, activity_id)
    if row is None or row.client_id != client_id:
        raise NotFound()
    return row


def rounds(session: Session, client_id: uuid.UUID) -> Sequence[RatingRound]:
    return session.exec(
        select(RatingRound)
        .where(RatingRound.client_id == client_id)
        .order_by(col(RatingRound.rated_on), col(RatingRound.created_at))
    ).all()


def ratings_of(session: Session, client_id: uuid.UUID) -> dict[uuid.UUID, list[ActivityRating]]:
    """Every rating of the client, by round (one query)."""
    out: dict[uuid.UUID, list[ActivityRating]] = {}
    for r in session.exec(select(ActivityRating).where(ActivityRating.client_id == client_id)):
        out.setdefault(r.round_id, []).append(r)
    return out


def _check_ratings(session: Session, client_id: uuid.UUID, ratings: Sequence[RatingIn]) -> None:
    ids = [r.activity_id for r in ratings]
    if len(set(ids)) != len(ids):
        raise Unprocessable(N_("Rate each activity once."))
    known = {a.id for a in active_activities(session, client_id)}
    if not set(ids) <= known:
        raise NotFound(N_("One of those activities is not on the list."))


def _rows(round_: RatingRound, ratings: Sequence[RatingIn]) -> list[ActivityRating]:
    return [
        ActivityRating(
            round_id=round_.id,
            activity_id=r.activity_id,
            client_id=round_.client_id,
            importance=r.importance,
            performance=r.performance,
            satisfaction=r.satisfaction,
        )
        for r in ratings
    ]


def rate(session: Session, *, principal: Principal, client: User, data: RoundIn) -> RatingRound:
    """A new round of ratings (at the start, or re-rated at a review). A replayed id returns it."""
    if data.id is not None:
        existing = session.get(RatingRound, data.id)
        if existing is not None:
            if existing.client_id != client.id:
                raise Conflict(N_("That id is already in use."))
            return existing
    today = clock.local_today(client.time_zone)
    rated_on = data.rated_on or today
    if rated_on > today:
        raise Unprocessable(N_("Ratings cannot be for a day in the future."))
    _check_ratings(session, client.id, data.ratings)
    round_ = RatingRound(client_id=client.id, rated_on=rated_on, updated_by_id=principal.id)
    if data.id is not None:
        round_.id = data.id
    session.add(round_)
    session.flush()  # the ratings refer to it (no relationship() ordering)
    session.add_all(_rows(round_, data.ratings))
    _record(session, principal, client.id, "occupation.ratings.add")
    session.commit()
    return round_


def _ratings_text(
    session: Session, client_id: uuid.UUID, ratings: Sequence[RatingIn | ActivityRating]
) -> str:
    """A round as lines of text ("Cooking: matters 8, how well 3, how happy 2"), for the conflict."""
    titles = {a.id: a.title for a in active_activities(session, client_id)}
    return "\n".join(
        f"{titles.get(r.activity_id, 'An activity')}: matters {r.importance}, "
        f"how well {r.performance}, how happy {r.satisfaction}"
        for r in sorted(ratings, key=lambda r: titles.get(r.activity_id, ""))
    )


RATINGS_VFIELDS = (versioning.Field("ratings", "Ratings", lines=True, editable=False),)


def update_round(
    session: Session,
    *,
    principal: Principal,
    round_: RatingRound,
    data: RoundUpdate,
    expected: versioning.Expected = None,
) -> RatingRound:
    """Correct a round; refused with 409 (EditConflict) when someone saved it since this edit
    began and the two differ."""
    _check_ratings(session, round_.client_id, data.ratings)
    old = list(session.exec(select(ActivityRating).where(ActivityRating.round_id == round_.id)))
    versioning.require(
        expected,
        what="ratings",
        version=round_.version,
        fields=RATINGS_VFIELDS,
        yours={"ratings": _ratings_text(session, round_.client_id, data.ratings)},
        current={"ratings": _ratings_text(session, round_.client_id, old)},
    )
    for row in old:
        session.delete(row)
    session.flush()
    session.add_all(_rows(round_, data.ratings))
    round_.version += 1
    round_.updated_by_id = principal.id
    round_.updated_at = clock.now()
    session.add(round_)
    _record(session, principal, round_.client_id, "occupation.ratings.update")
    session.commit()
    return round_


def _rating(row: ActivityRating) -> scores.Rating:
    return scores.Rating(row.importance, row.performance, row.satisfaction)


@dataclass(frozen=True, slots=True)
class RoundView:
    round: RatingRound
    ratings: dict[uuid.UUID, ActivityRating]
    score: scores.RoundScore | None


@dataclass(frozen=True, slots=True)
class Performance:
    activities: Sequence[RatedActivity]
    rounds: list[RoundView]

    @property
    def first(self) -> RoundView | None:
        return self.rounds[0] if self.rounds else None

    @property
    def latest(self) -> RoundView | None:
        return self.rounds[-1] if len(self.rounds) > 1 else None

    def change(self) -> tuple[scores.Change, scores.Change] | None:
        """First round against the latest, over the activities rated in both (an activity added
        later would otherwise move the average without anything having changed)."""
        first, latest = self.first, self.latest
        if first is None or latest is None:
            return None
        common = first.ratings.keys() & latest.ratings.keys()
        before = scores.round_score([_rating(first.ratings[a]) for a in common])
        after = scores.round_score([_rating(latest.ratings[a]) for a in common])
        if before is None or after is None:
            return None
        return scores.compare(before, after)

    def activity_change(self, activity_id: uuid.UUID) -> tuple[scores.Change, scores.Change] | None:
        """Per activity: its first rating against its latest (rounds it was not rated in skip)."""
        rated = [v.ratings[activity_id] for v in self.rounds if activity_id in v.ratings]
        if len(rated) < 2:
            return None
        a, b = rated[0], rated[-1]
        return (
            scores.Change(a.performance, b.performance),
            scores.Change(a.satisfaction, b.satisfaction),
        )


def performance(session: Session, client_id: uuid.UUID) -> Performance:
    """Activities and every round with its scores, in three queries."""
    by_round = ratings_of(session, client_id)
    views = []
    for r in rounds(session, client_id):
        rows = by_round.get(r.id, [])
        score = scores.round_score([_rating(x) for x in rows])
        views.append(RoundView(r, {x.activity_id: x for x in rows}, score))
    return Performance(active_activities(session, client_id), views)


def get_round(session: Session, round_id: uuid.UUID) -> RatingRound:
    row = session.get(RatingRound, round_id)
    if row is None:
        raise NotFound()
    return row


def first_rated_on(session: Session, client_id: uuid.UUID) -> date | None:
    return session.exec(
        select(func.min(RatingRound.rated_on)).where(RatingRound.client_id == client_id)
    ).one()
