"""The sensory profile's effect on the calm flow's ranking (seam 6): coping ranks, sensory supplies the fit.

Strategies using a sense the client seeks rank higher, one they avoid lower, one that overwhelms them
is not shown, and one needing kit they lack ranks below one using kit they have.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.accounts.sessions import lookup
from app.sensory import service
from app.sensory.profile import fit_from_profile, validate_answers
from app.sensory.vocabulary import SensoryFit
from app.web_security import Principal
from tests import factories

ranking = pytest.importorskip("app.coping.ranking")

# Equal in everything but their senses and needs; each its own kind, so variety rules do not interfere.
CANDIDATES = [
    ranking.Candidate(
        id=cid,
        kind=cid,
        systems=frozenset(systems),
        minutes=5,
        level_min=0,
        level_max=10,
        places=frozenset({"home", "public", "work_school", "in_bed"}),
        needs=frozenset(needs),
    )
    for cid, systems, needs in [
        ("rocking", {"vestibular"}, set()),
        ("music", {"auditory"}, set()),
        ("scent", {"olfactory"}, set()),
        ("blanket", {"proprioceptive"}, {"weighted_blanket"}),
        ("cold_pack", {"tactile"}, {"cold_pack"}),
        ("counting", {"visual"}, set()),
    ]
]
SITUATION = ranking.Situation(level=6, place="home", minutes=15)


def _order(fit: SensoryFit | None) -> list[str]:
    return [r.id for r in ranking.rank(CANDIDATES, SITUATION, fit=fit, seed="fixed", limit=10)]


def _fit() -> SensoryFit:
    answers = validate_answers(
        responses={"vestibular": "seek", "auditory": "avoid", "olfactory": "overwhelmed"}
    )
    return fit_from_profile(answers, ["weighted_blanket"])


def test_sought_sense_ranks_above_an_avoided_one() -> None:
    order = _order(_fit())
    assert order[0] == "rocking"
    assert order.index("rocking") < order.index("counting") < order.index("music")


def test_a_sense_that_overwhelms_is_not_shown() -> None:
    assert "scent" in _order(None)
    assert "scent" not in _order(_fit())


def test_missing_kit_ranks_below_kit_the_client_has() -> None:
    order = _order(_fit())
    assert order.index("blanket") < order.index("counting") < order.index("cold_pack")


def test_the_profile_changes_the_order_against_no_profile() -> None:
    plain = _order(None)
    fitted = _order(_fit())
    assert plain != fitted
    assert fitted.index("music") > plain.index("music") or plain.index("music") == len(plain) - 1


def test_ranking_fit_from_the_database_drives_the_ranking(
    session: Session, client_user: User
) -> None:
    token, _ = factories.login_token(session, client_user)
    found = lookup(session, token)
    assert found is not None
    me = Principal(user=client_user, session=found[0])
    service.save_profile(
        session,
        principal=me,
        client_id=client_user.id,
        answers=validate_answers(
            responses={"auditory": "seek", "vestibular": "overwhelmed"}, triggers=["strong_smells"]
        ),
    )
    service.save_kit(
        session,
        principal=me,
        client_id=client_user.id,
        items=["cold_pack"],
        corner_items=[],
        corner_location="",
        corner_notes="",
    )
    order = _order(service.ranking_fit(session=session, client_id=client_user.id))
    assert order[0] == "music"
    assert "rocking" not in order
    # A strong-smells trigger (smell left unanswered) steers the ranking away from scents.
    assert order.index("scent") > order.index("counting")
    assert order.index("cold_pack") < order.index("blanket")
