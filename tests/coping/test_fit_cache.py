"""The cached sensory fit (coping_sensory_fit): kept current by the sensory service's hook, read by
the ranked list in its single round trip, and ranking with it equals ranking from scratch."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app import clock
from app.accounts.models import User
from app.accounts.sessions import lookup
from app.coping import catalog, service
from app.coping.models import StrategyStats
from app.coping.ranking import Situation, rank
from app.sensory import fit_cache
from app.sensory import service as sensory
from app.sensory.catalog import checklist
from app.sensory.models import SensoryFitCache, SensoryKit, SensoryProfileVersion
from app.sensory.profile import ProfileAnswers
from app.sensory.vocabulary import KIT_ITEMS, RESPONSES, SYSTEMS, SensoryFit
from app.web_security import Principal
from tests import factories
from tests.statements import captured_statements

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _me(session: Session, person: User) -> Principal:
    token, _ = factories.login_token(session, person)
    found = lookup(session, token)
    assert found is not None
    return Principal(user=person, session=found[0])


def _cached(session: Session, client_id: uuid.UUID) -> SensoryFit | None:
    session.expire_all()
    row = session.get(SensoryFitCache, client_id)
    if row is None:
        return None
    return fit_cache.from_columns(row.seeks, row.avoids, row.overwhelmed, row.kit)


def _answers(responses: dict[str, str], calming: set[str] = frozenset()) -> ProfileAnswers:  # type: ignore[assignment]
    return ProfileAnswers(responses=responses, calming=frozenset(calming))


def _save_kit(session: Session, me: Principal, client_id: uuid.UUID, items: list[str]) -> None:
    sensory.save_kit(
        session,
        principal=me,
        client_id=client_id,
        items=items,
        corner_items=[],
        corner_location="",
        corner_notes="",
    )


def test_the_cache_follows_profile_and_kit_saves(session: Session, client_user: User) -> None:
    me = _me(session, client_user)
    assert _cached(session, client_user.id) is None
    sensory.save_profile(
        session,
        principal=me,
        client_id=client_user.id,
        answers=_answers({"auditory": "seek", "vestibular": "overwhelmed", "tactile": "avoid"}),
    )
    first = _cached(session, client_user.id)
    assert first == SensoryFit(
        seeks=frozenset({"auditory"}),
        avoids=frozenset({"tactile"}),
        overwhelmed=frozenset({"vestibular"}),
    )
    _save_kit(session, me, client_user.id, ["cold_pack", "stress_ball"])
    assert _cached(session, client_user.id) == SensoryFit(
        seeks=first.seeks if first else frozenset(),
        avoids=frozenset({"tactile"}),
        overwhelmed=frozenset({"vestibular"}),
        kit=frozenset({"cold_pack", "stress_ball"}),
    )
    sensory.save_profile(
        session, principal=me, client_id=client_user.id, answers=_answers({"auditory": "avoid"})
    )
    after = _cached(session, client_user.id)
    assert after == sensory.ranking_fit(session=session, client_id=client_user.id)
    assert after is not None
    assert after.avoids == frozenset({"auditory"})
    assert service.ranking_inputs(session, client_user).fit == after


def test_sensory_rows_written_around_the_service_are_still_used(
    session: Session, client_user: User
) -> None:
    """Demo seeding inserts profile rows directly: with no cache row the fit is computed."""
    session.add(
        SensoryProfileVersion(
            client_id=client_user.id,
            version=1,
            responses={"visual": "seek", "olfactory": "overwhelmed"},
            created_by_id=client_user.id,
        )
    )
    session.add(SensoryKit(client_id=client_user.id, items=["phone"], updated_by_id=client_user.id))
    session.flush()
    fit = service.ranking_inputs(session, client_user).fit
    assert fit == sensory.ranking_fit(session=session, client_id=client_user.id)
    assert fit.seeks == frozenset({"visual"})
    assert fit.kit == frozenset({"phone"})


def test_a_cache_row_from_another_checklist_version_is_recomputed(
    session: Session, client_user: User
) -> None:
    me = _me(session, client_user)
    sensory.save_profile(
        session, principal=me, client_id=client_user.id, answers=_answers({"visual": "seek"})
    )
    row = session.get(SensoryFitCache, client_user.id)
    assert row is not None
    row.seeks, row.checklist_version = "gustatory", checklist().version + 1
    session.flush()
    assert service.ranking_inputs(session, client_user).fit.seeks == frozenset({"visual"})
    assert service.client_fit(session, client_user.id).seeks == frozenset({"visual"})


def _statements(session: Session, client: User) -> int:
    session.connection()  # begin the session's transaction first: its SAVEPOINT is not counted
    with captured_statements(session) as seen, clock.frozen_at(NOW):
        found = service.suggestions(
            session=session, client=client, situation=Situation(6, "home", 5)
        )
    assert found
    return len(seen)


def test_the_ranked_list_costs_one_statement_however_many_episodes(
    session: Session, client_user: User
) -> None:
    me = _me(session, client_user)
    _save_kit(session, me, client_user.id, ["phone"])
    with clock.frozen_at(NOW):
        service.record_episode(
            session=session,
            client=client_user,
            data=service.EpisodeInput(
                id=uuid.uuid4(),
                strategy_key="box-breathing",
                before=8,
                after=4,
                seconds=60,
                started_at=NOW - timedelta(minutes=5),
            ),
        )
    few = _statements(session, client_user)
    for i, key in enumerate(["five-senses", "cold-water", "wall-push", "box-breathing"] * 50):
        stats = session.get(StrategyStats, (client_user.id, key))
        if stats is None:
            stats = StrategyStats(client_id=client_user.id, strategy_key=key)
            session.add(stats)
        stats.uses += 1
        stats.sum_before += 7
        stats.sum_after += i % 7
    session.flush()
    many = _statements(session, client_user)
    assert few == many == 1


# ------------------------------------------------------------------ property: cached == scratch
profiles = st.fixed_dictionaries(
    {},
    optional={s: st.sampled_from(sorted(RESPONSES)) for s in SYSTEMS},
)
kits = st.lists(st.sampled_from(sorted(KIT_ITEMS)), unique=True, max_size=6)
calmings = st.lists(
    st.sampled_from(sorted(checklist().choices("calming"))), unique=True, max_size=4
)
situations = st.builds(
    Situation,
    level=st.integers(0, 10),
    place=st.sampled_from([None, "home", "public", "work_school", "in_bed"]),
    minutes=st.sampled_from([None, 1, 2, 5, 10, 30]),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(responses=profiles, calming=calmings, kit=kits, situation=situations)
def test_ranking_with_the_cached_fit_equals_ranking_from_scratch(
    session: Session,
    client_user: User,
    responses: dict[str, str],
    calming: list[str],
    kit: list[str],
    situation: Situation,
) -> None:
    me = _me(session, client_user)
    sensory.save_profile(
        session,
        principal=me,
        client_id=client_user.id,
        answers=_answers(responses, set(calming)),
    )
    _save_kit(session, me, client_user.id, kit)
    scratch = sensory.ranking_fit(session=session, client_id=client_user.id)
    inputs = service.ranking_inputs(session, client_user)
    assert inputs.fit == scratch
    with clock.frozen_at(NOW):
        cached = service.suggestions(session=session, client=client_user, situation=situation)
        expected = rank(
            catalog.builtin_candidates(),
            situation,
            usage=inputs.usage,
            toolbox=inputs.toolbox,
            fit=scratch,
            seed=service.seed_for(client_user),
        )
    assert [(s.ranked.id, s.ranked.score, s.ranked.reasons) for s in cached] == [
        (r.id, r.score, r.reasons) for r in expected
    ]


@pytest.mark.parametrize("n", [0, 3])
def test_encoding_round_trips(n: int) -> None:
    ids = sorted(SYSTEMS)[:n]
    assert fit_cache.decode(fit_cache.encode(ids)) == frozenset(ids)


def test_no_sensory_data_is_the_empty_fit_without_a_query(
    session: Session, client_user: User
) -> None:
    inputs = service.ranking_inputs(session, client_user)
    assert inputs.fit == SensoryFit()
    assert inputs.fit == sensory.ranking_fit(session=session, client_id=client_user.id)
    assert _statements(session, client_user) == 1
