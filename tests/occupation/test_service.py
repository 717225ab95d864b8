"""Occupation services on both databases: versioned profile and ratings, the diary, interests,
plan links, the review's contents and the discharge summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.errors import Conflict, NotFound, Unprocessable
from app.homework.models import HomeworkAssignment
from app.occupation import diary_service, discharge, interests, plan, service
from app.occupation.schemas import (
    ActivityIn,
    DiaryEntryIn,
    DischargeIn,
    InterestIn,
    PlanGoalIn,
    ProfileIn,
    RatingIn,
    ReviewIn,
    RoundIn,
    RoundUpdate,
    SupportIn,
)
from app.progress import gas
from app.progress.models import GoalRating, MeasureResponse
from app.routines.models import Routine
from app.versioning import EditConflict
from tests.occupation.helpers import goal, principal

# Monday 16 Nov 2026, 10:00 UTC (10:00 in London).
NOW = datetime(2026, 11, 16, 10, tzinfo=UTC)
TODAY = date(2026, 11, 16)


def _actions(session: Session, client: User) -> list[str]:
    return list(session.exec(select(AuditEvent.action).where(AuditEvent.client_id == client.id)))


def _rate(session: Session, who: User, client: User, perf: list[int], sat: list[int], on: date):  # type: ignore[no-untyped-def]
    acts = service.active_activities(session, client.id)
    data = RoundIn(
        rated_on=on,
        ratings=[
            RatingIn(activity_id=a.id, importance=8, performance=p, satisfaction=s)
            for a, p, s in zip(acts, perf, sat, strict=True)
        ],
    )
    return service.rate(session, principal=principal(session, who), client=client, data=data)


def test_profile_saves_new_versions_and_refuses_a_stale_save(
    session: Session, client_user: User, therapist: User
) -> None:
    me, ot = principal(session, client_user), principal(session, therapist)
    with clock.frozen_at(NOW):
        v1 = service.save_profile(
            session,
            principal=me,
            client=client_user,
            data=ProfileIn(roles="Dad, gardener"),
            expected=frozenset({0}),
        )
        v2 = service.save_profile(
            session,
            principal=ot,
            client=client_user,
            data=ProfileIn(roles="Dad, gardener", hopes="Cook for my kids"),
            expected=frozenset({1}),
        )
        with pytest.raises(EditConflict) as stale:
            service.save_profile(
                session,
                principal=me,
                client=client_user,
                data=ProfileIn(roles="Dad"),
                expected=frozenset({1}),
            )
    assert (v1.version, v2.version) == (1, 2)
    assert stale.value.status == 409
    assert "version 2" in stale.value.detail
    latest = service.latest_profile(session, client_user.id)
    assert latest is not None
    assert latest.hopes == "Cook for my kids"
    assert [h.version for h in service.profile_history(session, client_user.id)] == [2, 1]
    assert _actions(session, client_user).count("occupation.profile.save") == 2
    same = service.save_profile(
        session,
        principal=me,
        client=client_user,
        data=ProfileIn(roles="Dad, gardener", hopes="Cook for my kids"),
        expected=frozenset({2}),
    )
    assert same.version == 2  # the same answers again add no version


def test_at_most_five_rated_activities(session: Session, client_user: User) -> None:
    me = principal(session, client_user)
    for title in ("Cooking", "Taking the bus", "Budgeting", "Getting up", "Shopping"):
        service.add_activity(
            session, principal=me, client=client_user, data=ActivityIn(title=title)
        )
    with pytest.raises(Conflict):
        service.add_activity(
            session, principal=me, client=client_user, data=ActivityIn(title="Six")
        )
    service.archive_activity(
        session, principal=me, activity=service.active_activities(session, client_user.id)[0]
    )
    service.add_activity(session, principal=me, client=client_user, data=ActivityIn(title="Six"))
    assert len(service.active_activities(session, client_user.id)) == 5


def test_re_rating_shows_the_change_and_whether_it_is_meaningful(
    session: Session, client_user: User, therapist: User
) -> None:
    me = principal(session, client_user)
    for title in ("Cooking", "Taking the bus", "Budgeting"):
        service.add_activity(
            session, principal=me, client=client_user, data=ActivityIn(title=title)
        )
    with clock.frozen_at(NOW):
        _rate(session, client_user, client_user, [2, 3, 4], [2, 2, 5], TODAY - timedelta(days=42))
        _rate(session, therapist, client_user, [5, 5, 5], [3, 3, 4], TODAY)
    perf = service.performance(session, client_user.id)
    assert perf.first is not None
    assert perf.first.score is not None
    assert (perf.first.score.performance, perf.first.score.satisfaction) == (3.0, 3.0)
    change = perf.change()
    assert change is not None
    assert (change[0].delta, change[0].meaningful, change[1].delta, change[1].meaningful) == (
        2.0,
        True,
        0.3,
        False,
    )
    cooking = perf.activities[0]
    per_activity = perf.activity_change(cooking.id)
    assert per_activity is not None
    assert per_activity[0].delta == 3
    assert per_activity[0].meaningful


def test_a_stale_ratings_save_is_refused_and_a_current_one_bumps_the_version(
    session: Session, client_user: User, therapist: User
) -> None:
    me, ot = principal(session, client_user), principal(session, therapist)
    act = service.add_activity(
        session, principal=me, client=client_user, data=ActivityIn(title="Cooking")
    )
    with clock.frozen_at(NOW):
        round_ = _rate(session, client_user, client_user, [3], [3], TODAY)
    fix = [RatingIn(activity_id=act.id, importance=9, performance=4, satisfaction=4)]
    service.update_round(
        session,
        principal=ot,
        round_=round_,
        data=RoundUpdate(ratings=fix),
        expected=frozenset({1}),
    )
    assert round_.version == 2
    # Saved again from version 1 with different numbers: refused, nothing overwritten.
    with pytest.raises(EditConflict):
        service.update_round(
            session,
            principal=me,
            round_=round_,
            data=RoundUpdate(ratings=[fix[0].model_copy(update={"performance": 6})]),
            expected=frozenset({1}),
        )
    perf = service.performance(session, client_user.id)
    assert perf.rounds[0].ratings[act.id].performance == 4


def test_ratings_must_name_listed_activities_once_and_not_the_future(
    session: Session, client_user: User
) -> None:
    me = principal(session, client_user)
    act = service.add_activity(
        session, principal=me, client=client_user, data=ActivityIn(title="Cooking")
    )
    one = RatingIn(activity_id=act.id, importance=5, performance=5, satisfaction=5)
    with clock.frozen_at(NOW):
        with pytest.raises(Unprocessable):
            service.rate(
                session, principal=me, client=client_user, data=RoundIn(ratings=[one, one])
            )
        with pytest.raises(Unprocessable):
            service.rate(
                session,
                principal=me,
                client=client_user,
                data=RoundIn(rated_on=TODAY + timedelta(days=1), ratings=[one]),
            )
        other = one.model_copy(update={"activity_id": act.client_id})
        with pytest.raises(NotFound):
            service.rate(session, principal=me, client=client_user, data=RoundIn(ratings=[other]))


def test_diary_one_entry_per_block_replays_and_totals(session: Session, client_user: User) -> None:
    me = principal(session, client_user)
    with clock.frozen_at(NOW):
        week = diary_service.start_week(session, principal=me, client=client_user)
        assert diary_service.start_week(session, principal=me, client=client_user).id == week.id
        first = DiaryEntryIn(
            id=None,
            done_on=TODAY,
            block="morning",
            category="self_care",
            activity="Shower",
            pleasure=4,
            mastery=7,
        )
        a = diary_service.record(session, client=client_user, data=first)
        # A one-tap change keeps the words and ratings; the same id again is a replay.
        tap = DiaryEntryIn(id=a.id, done_on=TODAY, block="morning", category="leisure")
        assert diary_service.record(session, client=client_user, data=tap).category == "self_care"
        tap2 = tap.model_copy(update={"id": None})
        b = diary_service.record(session, client=client_user, data=tap2)
        assert (b.id, b.category, b.activity, b.pleasure) == (a.id, "leisure", "Shower", 4)
        diary_service.record(
            session,
            client=client_user,
            data=DiaryEntryIn(
                done_on=TODAY, block="evening", category="rest", activity="TV", pleasure=6
            ),
        )
        with pytest.raises(Unprocessable):
            diary_service.record(
                session,
                client=client_user,
                data=DiaryEntryIn(
                    done_on=TODAY + timedelta(days=1), block="morning", category="rest"
                ),
            )
        view = diary_service.week_view(session, client_id=client_user.id, starts_on=week.starts_on)
    assert view.filled == 2
    assert {r.category: r.blocks for r in view.balance} == {
        "self_care": 0,
        "productive": 0,
        "leisure": 1,
        "rest": 1,
    }
    assert [(r.activity, r.pleasure) for r in view.lifts_mood] == [("TV", 6.0), ("Shower", 4.0)]
    assert "occupation.diary.start" in _actions(session, client_user)


def test_interests_save_as_a_whole_and_become_a_routine_or_homework(
    session: Session, client_user: User, therapist: User
) -> None:
    me, ot = principal(session, client_user), principal(session, therapist)
    with clock.frozen_at(NOW):
        saved = interests.save_checklist(
            session,
            principal=me,
            client=client_user,
            items=[
                InterestIn(name="Gardening", past=True, want_to_try=True),
                InterestIn(name="Swimming", present=True),
                InterestIn(name="Chess"),  # nothing ticked: not kept
            ],
        )
        assert [i.name for i in saved] == ["Gardening", "Swimming"]
        garden, swim = saved
        routine_id = interests.to_routine(
            session, therapist=ot, client=client_user, interest=garden
        )
        homework_id = interests.to_homework(
            session, therapist=ot, client=client_user, interest=swim
        )
        again = interests.to_routine(session, therapist=ot, client=client_user, interest=garden)
        # Unticking a linked interest keeps the row (the link is part of the record).
        kept = interests.save_checklist(session, principal=me, client=client_user, items=[])
    assert again == routine_id
    routine = session.get(Routine, routine_id)
    homework = session.get(HomeworkAssignment, homework_id)
    assert routine is not None
    assert routine.title == "Gardening"
    assert routine.client_id == client_user.id
    assert homework is not None
    assert homework.kind == "activation"
    assert homework.due_on == date(2026, 11, 23)
    assert [(i.name, i.present) for i in kept] == [("Gardening", False), ("Swimming", False)]
    assert {"occupation.interest.routine", "occupation.interest.homework"} <= set(
        _actions(session, client_user)
    )


def test_plan_links_a_goal_to_supports_the_client_has(
    session: Session, client_user: User, therapist: User
) -> None:
    ot = principal(session, therapist)
    g = goal(session, client_user, therapist)
    with clock.frozen_at(NOW):
        interests.save_checklist(
            session,
            principal=ot,
            client=client_user,
            items=[InterestIn(name="Cooking", present=True)],
        )
        cooking = interests.interests(session, client_user.id)[0]
        routine_id = interests.to_routine(
            session, therapist=ot, client=client_user, interest=cooking
        )
        pg = plan.add_goal(
            session,
            therapist=ot,
            client=client_user,
            data=PlanGoalIn(goal_id=g.id, review_on=TODAY + timedelta(days=28)),
        )
        link = plan.link_support(
            session,
            therapist=ot,
            client=client_user,
            plan_goal=pg,
            data=SupportIn(kind="routine", ref=str(routine_id)),
        )
        same = plan.link_support(
            session,
            therapist=ot,
            client=client_user,
            plan_goal=pg,
            data=SupportIn(kind="routine", ref=str(routine_id)),
        )
        with pytest.raises(NotFound):
            plan.link_support(
                session,
                therapist=ot,
                client=client_user,
                plan_goal=pg,
                data=SupportIn(kind="habit", ref=str(routine_id)),
            )
        with pytest.raises(Unprocessable):
            plan.add_goal(
                session,
                therapist=ot,
                client=client_user,
                data=PlanGoalIn(goal_id=g.id, review_on=TODAY - timedelta(days=1)),
            )
    assert (link.title, same.id) == ("Cooking", link.id)
    assert plan.supports(session, client_user.id)[pg.id] == [link]


def test_review_shows_gas_ratings_measures_performance_and_records_the_outcome(
    session: Session, client_user: User, therapist: User
) -> None:
    ot, me = principal(session, therapist), principal(session, client_user)
    g1, g2 = goal(session, client_user, therapist), goal(session, client_user, therapist, "Bus")
    session.add_all(
        [
            GoalRating(
                goal_id=g1.id,
                client_id=client_user.id,
                rated_on=TODAY - timedelta(days=28),
                level=-1,
                rated_by_id=therapist.id,
            ),
            GoalRating(
                goal_id=g2.id,
                client_id=client_user.id,
                rated_on=TODAY - timedelta(days=28),
                level=-2,
                rated_by_id=therapist.id,
            ),
            GoalRating(
                goal_id=g1.id,
                client_id=client_user.id,
                rated_on=TODAY,
                level=1,
                rated_by_id=therapist.id,
            ),
            MeasureResponse(
                client_id=client_user.id,
                code="phq9",
                answers=[2] * 9,
                total=18,
                band="moderately_severe",
                answered_at=NOW - timedelta(days=28),
            ),
            MeasureResponse(
                client_id=client_user.id,
                code="phq9",
                answers=[1] * 9,
                total=9,
                band="mild",
                answered_at=NOW,
            ),
        ]
    )
    session.flush()
    service.add_activity(session, principal=me, client=client_user, data=ActivityIn(title="Cook"))
    with clock.frozen_at(NOW):
        _rate(session, client_user, client_user, [3], [3], TODAY - timedelta(days=28))
        _rate(session, client_user, client_user, [6], [4], TODAY)
        plan.add_goal(
            session,
            therapist=ot,
            client=client_user,
            data=PlanGoalIn(goal_id=g1.id, review_on=TODAY),
        )
        data = plan.review_data(session, client_user, now=NOW)
        review = plan.record_review(
            session,
            therapist=ot,
            client=client_user,
            data=ReviewIn(
                outcome="partly",
                notes="Cooking twice a week now",
                next_review_on=TODAY + timedelta(days=42),
            ),
        )
    by_title = {line.title: line for line in data.goals}
    assert [lv for _, lv, _ in by_title["Cook a meal"].ratings] == [-1, 1]
    assert by_title["Cook a meal"].plan_goal is not None
    assert by_title["Bus"].plan_goal is None
    assert data.t_scores == [
        (TODAY - timedelta(days=28), gas.t_score_rounded(gas.unweighted([-1, -2]))),
        (TODAY, gas.t_score_rounded(gas.unweighted([1, -2]))),
    ]
    assert [(m.name, m.total) for m in data.measures] == [("PHQ-9", 18), ("PHQ-9", 9)]
    change = data.performance.change()
    assert change is not None
    assert change[0].meaningful
    assert not change[1].meaningful
    assert data.adherence is not None
    assert review.outcome == "partly"
    assert review.reviewed_on == TODAY
    assert plan.plan_goals(session, client_user.id)[0].review_on == TODAY + timedelta(days=42)
    assert plan.reviews(session, client_user.id)[0].id == review.id
    assert "occupation.review" in _actions(session, client_user)


def test_discharge_summary_compares_start_and_end_and_exports_valid_fhir(
    session: Session, client_user: User, therapist: User
) -> None:
    ot, me = principal(session, therapist), principal(session, client_user)
    g1 = goal(session, client_user, therapist)
    g2 = goal(session, client_user, therapist, "Take the bus alone")
    session.add_all(
        [
            GoalRating(
                goal_id=g1.id,
                client_id=client_user.id,
                rated_on=TODAY,
                level=0,
                rated_by_id=therapist.id,
            ),
            GoalRating(
                goal_id=g2.id,
                client_id=client_user.id,
                rated_on=TODAY,
                level=-1,
                rated_by_id=therapist.id,
            ),
        ]
    )
    session.flush()
    service.add_activity(session, principal=me, client=client_user, data=ActivityIn(title="Cook"))
    with clock.frozen_at(NOW):
        _rate(session, client_user, client_user, [2], [2], TODAY - timedelta(days=60))
        _rate(session, client_user, client_user, [7], [6], TODAY)
        discharge.save(
            session,
            therapist=ot,
            client=client_user,
            data=DischargeIn(
                what_helped="The cooking routine",
                client_words="I cook <b>most</b> days now",
                keep_going="Keep the Sunday shop",
            ),
        )
        doc = discharge.summary(session, client_user, prepared_by="Sam OT", now=NOW)
    assert (doc.start_on, doc.discharged_on) == (TODAY - timedelta(days=60), TODAY)
    assert doc.change is not None
    assert doc.change[0].words == "up 5"
    assert [(g.title, g.attained) for g in doc.goals] == [
        ("Cook a meal", True),
        ("Take the bus alone", False),
    ]
    assert doc.goals_attained == 1
    assert doc.activities[0].start == (2, 2)
    assert doc.activities[0].end == (7, 6)
    bundle = Bundle.model_validate(discharge.fhir_bundle(doc))
    resources: list[Any] = [e.resource for e in bundle.entry or []]
    comp, patient, care_plan = resources
    assert comp.get_resource_type() == "Composition"
    assert comp.type.coding[0].code == "18842-5"
    assert care_plan.get_resource_type() == "CarePlan"
    assert care_plan.status == "completed"
    words = next(s for s in comp.section if s.title == "In my own words")
    assert "&lt;b&gt;most&lt;/b&gt;" in words.text.div  # client text is escaped, never markup
    assert patient.id == str(client_user.id)


def test_the_change_compares_only_activities_rated_both_times(
    session: Session, client_user: User
) -> None:
    me = principal(session, client_user)

    def rating(act_id: Any, perf: int, sat: int) -> RatingIn:
        return RatingIn(activity_id=act_id, importance=8, performance=perf, satisfaction=sat)

    with clock.frozen_at(NOW):
        cook = service.add_activity(
            session, principal=me, client=client_user, data=ActivityIn(title="Cook")
        )
        service.rate(
            session,
            principal=me,
            client=client_user,
            data=RoundIn(rated_on=TODAY - timedelta(days=28), ratings=[rating(cook.id, 3, 3)]),
        )
        bus = service.add_activity(
            session, principal=me, client=client_user, data=ActivityIn(title="Bus")
        )
        service.rate(
            session,
            principal=me,
            client=client_user,
            data=RoundIn(rated_on=TODAY, ratings=[rating(cook.id, 5, 4), rating(bus.id, 1, 1)]),
        )
    perf = service.performance(session, client_user.id)
    latest = perf.rounds[-1].score
    assert latest is not None
    assert latest.performance == 3.0  # the round's own average includes the new activity
    change = perf.change()
    assert change is not None
    assert (change[0].before, change[0].after, change[0].meaningful) == (3.0, 5.0, True)
