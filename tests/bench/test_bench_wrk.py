"""The wrk output parser, the Lua script generator and placeholder filling of the bench harness."""

from __future__ import annotations

import pytest

from bench import wrk
from bench.harness import Scenario, fill

TEXT = """Running 10s test @ http://127.0.0.1:8000/healthz/live
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.21ms    3.10ms  52.77ms   90.12%
    Req/Sec     3.91k   210.33     4.20k    70.00%
  Latency Distribution
     50%    7.70ms
     75%    8.52ms
     90%   10.12ms
     99%   21.40ms
  38912 requests in 10.01s, 6.12MB read
Requests/sec:   3887.31
Transfer/sec:    626.11KB
"""

ERRORS = """Running 5s test @ http://127.0.0.1:8000/today
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.05ms  201.00ms   2.01s    70.00%
    Req/Sec    77.20     20.00   120.00     60.00%
  Latency Distribution
     50%  390.50ms
     75%  500.00ms
     90%  700.00ms
     99%    1.80s
  386 requests in 5.00s, 3.20MB read
  Socket errors: connect 0, read 2, write 1, timeout 4
  Non-2xx or 3xx responses: 7
Requests/sec:     77.20
Transfer/sec:    655.36KB
"""


def test_durations_in_every_unit_become_milliseconds() -> None:
    assert wrk.parse_duration_ms("772.00us") == pytest.approx(0.772)
    assert wrk.parse_duration_ms("1.20ms") == pytest.approx(1.2)
    assert wrk.parse_duration_ms("2.01s") == pytest.approx(2010)
    assert wrk.parse_duration_ms("1.50m") == pytest.approx(90000)


def test_a_duration_that_is_not_wrks_is_rejected() -> None:
    with pytest.raises(ValueError, match="not a wrk duration"):
        wrk.parse_duration_ms("fast")


def test_text_report_gives_percentiles_throughput_and_no_errors() -> None:
    r = wrk.parse_output(TEXT, connections=32)
    assert (r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms) == pytest.approx((7.7, 10.12, 21.4, 52.77))
    assert r.requests == 38912
    assert r.rps == pytest.approx(38912 / 10.01)
    assert r.errors == 0
    assert r.connections == 32


def test_socket_errors_timeouts_and_bad_statuses_are_all_errors() -> None:
    r = wrk.parse_output(ERRORS, connections=32)
    assert (r.socket_errors, r.timeouts, r.bad_status) == (3, 4, 7)
    assert r.errors == 14
    assert r.p99_ms == pytest.approx(1800)


def test_the_lua_json_line_wins_over_the_rounded_text() -> None:
    line = (
        'BENCH_JSON {"requests": 38900, "duration_us": 10000000, "p50_us": 7712.5, "p90_us": 10100.0,'
        ' "p99_us": 21388.0, "max_us": 52770.0, "connect": 0, "read": 1, "write": 0, "timeout": 2,'
        ' "status": 0, "bad_status": 5, "last_bad_status": 302}'
    )
    r = wrk.parse_output(TEXT + line + "\n", connections=32)
    assert r.p50_ms == pytest.approx(7.7125)
    assert r.rps == pytest.approx(3890)
    assert (r.socket_errors, r.timeouts, r.bad_status) == (1, 2, 5)


def test_output_without_a_latency_distribution_is_an_error() -> None:
    with pytest.raises(ValueError, match="no latency distribution"):
        wrk.parse_output("unable to connect to 127.0.0.1:1 Connection refused\n", connections=1)


def test_lua_strings_escape_quotes_backslashes_controls_and_utf8() -> None:
    assert wrk.lua_string('a"b\\c') == '"a\\"b\\\\c"'
    assert wrk.lua_string("x\ny\0") == '"x\\010y\\000"'
    assert wrk.lua_string("é") == '"\\195\\169"'


def test_script_sets_method_path_headers_body_and_expected_status() -> None:
    script = wrk.lua_script(
        method="post",
        path="/api/v1/x",
        headers={"Cookie": "gw_session=abc", "X-CSRF-Token": "t"},
        body='{"a": 1}',
        expect_status=201,
    )
    assert 'wrk.method = "POST"' in script
    assert 'wrk.path = "/api/v1/x"' in script
    assert 'wrk.headers["Cookie"] = "gw_session=abc"' in script
    assert 'wrk.body = "{\\"a\\": 1}"' in script
    assert "status ~= 201" in script
    assert "function request()" not in script  # a fixed request costs wrk nothing per call


def test_a_uuid_token_makes_the_script_build_each_request() -> None:
    script = wrk.lua_script(
        method="POST", path="/x", headers={}, body='{"id": "{{uuid}}"}', expect_status=201
    )
    assert "function request()" in script
    assert '"%{%{uuid%}%}"' in script


def test_wrk_command_pins_one_thread_to_the_given_core() -> None:
    cmd = wrk.command(url="http://h", script="s.lua", connections=32, duration_s=8, cpu=1)
    assert cmd[:3] == ["taskset", "-c", "1"]
    assert {"-t1", "-c32", "-d8s", "--latency"} <= set(cmd)


def test_placeholders_are_filled_and_uuid_tokens_and_json_left_alone() -> None:
    out = fill('/api/{rid}?x={{uuid}} {"a": 1}', {"rid": "42"})
    assert out == '/api/42?x={{uuid}} {"a": 1}'


def test_an_unknown_placeholder_names_itself() -> None:
    with pytest.raises(KeyError, match="routine_id"):
        fill("/api/{routine_id}", {"other": "1"})


def test_posts_expect_201_and_gets_200_unless_told() -> None:
    assert Scenario(name="a", path="/", method="POST").expected_status == 201
    assert Scenario(name="b", path="/").expected_status == 200
    assert Scenario(name="c", path="/", method="PUT", expect_status=204).expected_status == 204


def test_now_and_today_placeholders_are_filled_at_run_time() -> None:
    from datetime import UTC, datetime

    from bench.run import run_values

    values = run_values()
    assert abs((datetime.fromisoformat(values["now"]) - datetime.now(UTC)).total_seconds()) < 60
    body = fill('{"started_at": "{now}", "on": "{today}"}', values)
    assert values["today"] in body
