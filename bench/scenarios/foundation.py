"""The foundation's scenarios: health checks, the login page, the client's home and /api/v1/me.

No populate(): the accounts rows every scenario needs are written by bench/accounts_data.py.
Targets are ratios to GET /healthz/live measured in the same run (see docs/benchmarks.md).
"""

from bench.harness import Scenario

SCENARIOS = [
    Scenario(
        name="health with database",
        path="/healthz",
        min_throughput_ratio=0.35,
        max_p50_multiple=3,
        note="One trivial query: the floor cost of touching the database.",
    ),
    Scenario(
        name="login page",
        path="/login",
        min_throughput_ratio=0.3,
        max_p50_multiple=4,
        note="A full template render with a fresh CSRF token, no session.",
    ),
    Scenario(
        name="client home (Today)",
        path="/today",
        as_user="client",
        min_throughput_ratio=0.15,
        max_p50_multiple=10,
        note="The bench client's /today with every domain's section, over a year of history.",
    ),
    Scenario(
        name="client home (Today), in Spanish",
        path="/today",
        as_user="client",
        language="es",
        min_throughput_ratio=0.15,
        max_p50_multiple=10,
        note="The same page for the same client with Spanish chosen: the goal is within 10% of English.",
    ),
    Scenario(
        name="who am I (API)",
        path="/api/v1/me",
        as_user="client",
        min_throughput_ratio=0.3,
        max_p50_multiple=5,
        note="Session lookup plus one small declared response model.",
    ),
]
SCENARIOS += [
    Scenario(
        name="caseload dashboard",
        path="/caseload",
        as_user="therapist",
        min_throughput_ratio=0.08,
        max_p50_multiple=15,
        note="The bench therapist's 60 clients with every domain's signals (fixed queries per domain).",
    ),
    Scenario(
        name="therapist's client page",
        path="/caseload/{bench_client_id}",
        as_user="therapist",
        min_throughput_ratio=0.08,
        max_p50_multiple=12,
        note="One client's overview from every domain; the read is audit-logged (a write per request).",
    ),
]
SCENARIOS += [
    Scenario(
        name="profile update (API write)",
        method="PATCH",
        path="/api/v1/me",
        body={"name": "Sam", "time_zone": "Europe/London", "country": "GB", "language": "en"},
        as_user="client",
        expect_status=200,
        min_throughput_ratio=0.1,
        max_p50_multiple=8,
        note=(
            "The write path: CSRF and Origin checks, a write transaction (BEGIN IMMEDIATE on SQLite),"
            " one UPDATE and a commit; 32 connections means 32 concurrent writers."
        ),
    ),
]
