"""Sensory services on both databases: profile versions, kit, ranking fit, diet in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.accounts.sessions import lookup
from app.audit.models import AuditEvent
from app.errors import Conflict, Unprocessable
from app.sensory import diet_queries, diet_service, service
from app.sensory.diet_service import DietInput
from app.sensory.profile import validate_answers
from app.web_security import Principal
from tests import factories

# Monday 16 Nov 2026, 10:00 UTC = 10:00 in London, 05:00 in New York.
NOW = datetime(2026, 11, 16, 10, tzinfo=UTC)


def _principal(session: Session, person: User) -> Principal:
    token, _csrf = factories.login_token(session, person)
    found = lookup(session, token)
    assert found is not None
    return Principal(user=person, session=found[0])


@pytest.fixture
def me(session: Session, client_user: User) -> Principal:
    return _principal(session, client_user)


def test_saving_the_profile_adds_versions_and_skips_unchanged(
    session: Session, me: Principal, therapist: User
) -> None:
    first = validate_answers(responses={"vestibular": "seek"})
    v1 = service.save_profile(session, principal=me, client_id=me.id, answers=first)
    again = service.save_profile(session, principal=me, client_id=me.id, answers=first)
    assert (v1.version, again.id) == (1, v1.id)
    second = validate_answers(
        responses={"vestibular": "seek", "auditory": "avoid"}, triggers=["crowds"]
    )
    ot = _principal(session, therapist)
    v2 = service.save_profile(session, principal=ot, client_id=me.id, answers=second)
    assert v2.version == 2
    latest = service.latest_profile(session, me.id)
    assert latest is not None
    assert service.answers_of(latest) == second
    history = service.profile_history(session, client_id=me.id)
    assert [(h.version, h.author_role) for h in history] == [(2, "therapist"), (1, "client")]
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.client_id == me.id)).all()
    assert actions.count("sensory.profile.save") == 2


def test_ranking_fit_combines_profile_and_kit(session: Session, me: Principal) -> None:
    assert service.ranking_fit(session=session, client_id=me.id).seeks == frozenset()
    service.save_profile(
        session,
        principal=me,
        client_id=me.id,
        answers=validate_answers(
            responses={"proprioceptive": "seek", "auditory": "overwhelmed", "olfactory": "avoid"}
        ),
    )
    service.save_kit(
        session,
        principal=me,
        client_id=me.id,
        items=["weighted_blanket"],
        corner_items=["rocking_chair"],
        corner_location="Bedroom, by the window",
        corner_notes="",
    )
    fit = service.ranking_fit(session=session, client_id=me.id)
    assert fit.seeks == {"proprioceptive"}
    assert fit.overwhelmed == {"auditory"}
    assert fit.avoids == {"olfactory"}
    # Calm-corner items are kit the client owns.
    assert fit.kit == {"weighted_blanket", "rocking_chair"}


def test_kit_rejects_unknown_items(session: Session, me: Principal) -> None:
    with pytest.raises(ValueError, match="unknown"):
        service.save_kit(
            session,
            principal=me,
            client_id=me.id,
            items=["jetpack"],
            corner_items=[],
            corner_location="",
            corner_notes="",
        )


def test_diet_item_from_library_fills_defaults_and_replays_by_id(
    session: Session, me: Principal
) -> None:
    import uuid

    item_id = uuid.uuid4()
    data = DietInput(local_time=time(8), days=frozenset({0, 2}), activity_id="carry_laundry")
    with clock.frozen_at(NOW):
        row = diet_service.create_item(
            session, principal=me, client=me.user, data=data, item_id=item_id
        )
        again = diet_service.create_item(
            session, principal=me, client=me.user, data=data, item_id=item_id
        )
    assert again.id == row.id == item_id
    assert (row.title, row.minutes, row.effect, row.course) == (
        "Carry the laundry basket",
        5,
        "alerting",
        "main_course",
    )
    assert row.starts_on == date(2026, 11, 16)


def test_custom_item_needs_a_name_and_kind(session: Session, me: Principal) -> None:
    with pytest.raises(Unprocessable):
        diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(local_time=time(8), days=frozenset({0})),
        )
    with pytest.raises(Unprocessable):
        diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(local_time=time(8), days=frozenset({0}), title="Swing"),
        )


def test_custom_weighted_item_gets_the_weighted_caution(session: Session, me: Principal) -> None:
    row = diet_service.create_item(
        session,
        principal=me,
        client=me.user,
        data=DietInput(
            local_time=time(21),
            days=frozenset(range(7)),
            title="Weighted vest",
            effect="calming",
            course="main_course",
            minutes=10,
        ),
    )
    assert any("suit your size" in c for c in diet_service.cautions_for(row))


def test_due_today_uses_the_clients_local_day(session: Session, therapist: User) -> None:
    # 03:00 UTC on Tuesday is still Monday evening in New York.
    ny = factories.client(session, therapist=therapist, time_zone="America/New_York")
    me = _principal(session, ny)
    monday_only = DietInput(local_time=time(15), days=frozenset({0}), activity_id="rocking_chair")
    with clock.frozen_at(datetime(2026, 11, 16, 12, tzinfo=UTC)):
        diet_service.create_item(session, principal=me, client=ny, data=monday_only)
    with clock.frozen_at(datetime(2026, 11, 17, 3, tzinfo=UTC)):
        today = clock.local_today(ny.time_zone)
        rows = diet_queries.due_rows(session, ny, today)
        assert today == date(2026, 11, 16)
        assert [r.item.title for r in rows] == ["Rocking chair"]
        done = diet_service.check_off(
            session,
            principal=me,
            client=ny,
            item=rows[0].item,
            felt_after="just_right",
            felt_before="too_high",
        )
        assert done.done_on == date(2026, 11, 16)
        assert diet_queries.due_rows(session, ny, today)[0].checkoff is not None


def test_check_off_is_once_per_day_and_replay_safe(session: Session, me: Principal) -> None:
    import uuid

    with clock.frozen_at(NOW):
        item = diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(local_time=time(8), days=frozenset(range(7)), activity_id="chewing_gum"),
        )
        cid = uuid.uuid4()
        first = diet_service.check_off(
            session, principal=me, client=me.user, item=item, felt_after="too_low", checkoff_id=cid
        )
        replay = diet_service.check_off(
            session, principal=me, client=me.user, item=item, felt_after="too_high", checkoff_id=cid
        )
        assert replay.id == cid
        assert replay.felt_after == "too_low"
        # A second, different tap the same day updates how they felt, still one row.
        changed = diet_service.check_off(
            session, principal=me, client=me.user, item=item, felt_after="just_right"
        )
        assert changed.id == first.id
        assert changed.felt_after == "just_right"
        with pytest.raises(Unprocessable):
            diet_service.check_off(
                session,
                principal=me,
                client=me.user,
                item=item,
                felt_after="just_right",
                on=date(2026, 11, 17),
            )
        other = diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(local_time=time(9), days=frozenset(range(7)), activity_id="fidget"),
        )
        with pytest.raises(Conflict):
            diet_service.check_off(
                session,
                principal=me,
                client=me.user,
                item=other,
                felt_after="too_low",
                checkoff_id=cid,
            )


def test_report_counts_adherence_and_pattern(session: Session, me: Principal) -> None:
    start = datetime(2026, 11, 2, 10, tzinfo=UTC)  # Monday two weeks earlier
    with clock.frozen_at(start):
        item = diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(
                local_time=time(15), days=frozenset({0, 2, 4}), activity_id="rocking_chair"
            ),
        )
    for offset, before, after in [
        (0, "too_high", "just_right"),
        (2, "too_high", "too_high"),
        (7, None, "just_right"),
    ]:
        day = start + timedelta(days=offset)
        with clock.frozen_at(day):
            diet_service.check_off(
                session,
                principal=me,
                client=me.user,
                item=item,
                felt_after=after,  # type: ignore[arg-type]
                felt_before=before,  # type: ignore[arg-type]
            )
    with clock.frozen_at(NOW):
        rep = diet_queries.report(session, me.user)
    # 3 Nov..16 Nov: Wed 4, Fri 6, Mon 9, Wed 11, Fri 13, Mon 16 planned = 6; done on 4 and 9.
    assert rep.start == date(2026, 11, 3)
    assert (rep.total.planned, rep.total.done) == (6, 2)
    (only,) = rep.items
    assert only.pattern.count == 2
    assert (only.pattern.toward, only.pattern.steady) == (0, 1)


def test_ending_an_item_keeps_history_or_removes_a_slip(session: Session, me: Principal) -> None:
    with clock.frozen_at(NOW):
        slip = diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(local_time=time(8), days=frozenset({0}), activity_id="fidget"),
        )
        diet_service.end_item(session, principal=me, client=me.user, item=slip)
        assert diet_service.list_items(session, client=me.user, include_ended=True) == []
        kept = diet_service.create_item(
            session,
            principal=me,
            client=me.user,
            data=DietInput(local_time=time(8), days=frozenset({0}), activity_id="fidget"),
        )
        diet_service.check_off(
            session, principal=me, client=me.user, item=kept, felt_after="just_right"
        )
        diet_service.end_item(session, principal=me, client=me.user, item=kept)
        assert kept.ends_on == date(2026, 11, 16)
        assert [
            i.id for i in diet_service.list_items(session, client=me.user, include_ended=True)
        ] == [kept.id]
