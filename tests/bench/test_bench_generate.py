"""The bench population has the shape the scenarios rely on, and the same seed gives the same people."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench import generate

TODAY = date(2026, 3, 15)


def _people(seed: int = 7, clients: int = 2000) -> dict:  # type: ignore[type-arg]
    return generate.people(clients=clients, rng=random.Random(seed), today=TODAY)


def test_the_bench_therapist_has_exactly_sixty_clients_including_the_bench_client() -> None:
    who = _people()
    therapist, client = who["bench_therapist"], who["bench_client"]
    assert len(therapist.client_ids) == generate.BENCH_CASELOAD == 60
    assert client.id in therapist.client_ids
    assert client.therapist_id == therapist.id
    assert client.joined_on == TODAY - timedelta(days=364)


def test_every_client_has_at_most_one_therapist_and_about_a_tenth_manage_alone() -> None:
    who = _people()
    on_caseloads = [cid for t in who["therapists"] for cid in t.client_ids]
    assert len(on_caseloads) == len(set(on_caseloads))
    alone = [c for c in who["clients"] if c.therapist_id is None]
    assert 0.07 < len(alone) / len(who["clients"]) < 0.13
    assert all(c.clinic_id is None for c in alone)


def test_170_therapists_in_34_clinics_and_everyone_joined_within_the_year() -> None:
    who = _people()
    assert len(who["clinics"]) == 34
    assert len(who["therapists"]) == 170
    assert all(TODAY - timedelta(days=364) <= c.joined_on <= TODAY for c in who["clients"])
    assert len({c.email for c in who["clients"]}) == len(who["clients"])


def test_the_same_seed_gives_the_same_population() -> None:
    a, b = _people(seed=3), _people(seed=3)
    assert [c.id for c in a["clients"]] == [c.id for c in b["clients"]]
    assert [c.joined_on for c in a["clients"]] == [c.joined_on for c in b["clients"]]
    assert [len(t.client_ids) for t in a["therapists"]] == [
        len(t.client_ids) for t in b["therapists"]
    ]
