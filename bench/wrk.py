"""wrk: the Lua script for one scenario, running it pinned to a core, and reading its output.

wrk (C, epoll) is the load generator because a Python one tops out near 150 requests/s here.
Its Lua `done()` prints one `BENCH_JSON` line with exact microsecond percentiles and the count of
responses whose status was not the expected one; the text report is parsed too, as a fallback.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from bench.harness import UUID_TOKEN

MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: latencies in milliseconds; `errors` counts every failed or unexpected response."""

    connections: int
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    timeouts: int
    bad_status: int
    # CPU seconds the server process used during the run (None when not measured).
    server_cpu_s: float | None = None

    @property
    def errors(self) -> int:
        return self.socket_errors + self.timeouts + self.bad_status

    @property
    def cpu_ms_per_request(self) -> float | None:
        """Server CPU per request: what a request costs, whatever share of the core the
        neighbours left the server (wall-clock req/s on a shared core measures them too)."""
        if self.server_cpu_s is None or not self.requests:
            return None
        return self.server_cpu_s * 1000 / self.requests


def lua_string(value: str) -> str:
    """A Lua double-quoted literal for any text: bytes outside printable ASCII become `\\ddd`."""
    out = []
    for byte in value.encode("utf-8"):
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_script(
    *, method: str, path: str, headers: Mapping[str, str], body: str | None, expect_status: int
) -> str:
    """The wrk script: fixed request (or a per-request one when `{{uuid}}` appears) and a report."""
    header_lines = "\n".join(
        f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in sorted(headers.items())
    )
    parts = [
        f"wrk.method = {lua_string(method.upper())}",
        f"wrk.path = {lua_string(path)}",
        header_lines,
    ]
    if body is not None:
        parts.append(f"wrk.body = {lua_string(body)}")
    templated = UUID_TOKEN in path or (body is not None and UUID_TOKEN in body)
    if templated:
        pattern = re.sub(
            r"([^A-Za-z0-9])", r"%\1", UUID_TOKEN
        )  # a Lua pattern, magic chars escaped
        parts.append(_UUID_REQUEST.replace("__TOKEN__", lua_string(pattern)))
    parts.append(_REPORT.replace("__EXPECT__", str(int(expect_status))))
    return "\n".join(p for p in parts if p) + "\n"


# A v4 UUID per request from wrk's per-thread Lua state; seeded per thread so threads differ.
_UUID_REQUEST = r"""
local function uuid4()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = (t[7] % 16) + 64
  t[9] = (t[9] % 64) + 128
  local h = string.format(string.rep("%02x", 16), unpack(t))
  return h:sub(1, 8) .. "-" .. h:sub(9, 12) .. "-" .. h:sub(13, 16) .. "-" .. h:sub(17, 20) .. "-" .. h:sub(21, 32)
end
local function fill(s)
  if s == nil then return nil end
  local out = s:gsub(__TOKEN__, function() return uuid4() end)
  return out
end
local base_path, base_body = wrk.path, wrk.body
function request()
  return wrk.format(nil, fill(base_path), nil, fill(base_body))
end
"""

_REPORT = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() + #threads * 7919 + math.floor(os.clock() * 1000000))
  bad = 0
  last_bad = 0
end
function response(status, headers, body)
  if status ~= __EXPECT__ then
    bad = bad + 1
    last_bad = status
  end
end
function done(summary, latency, requests)
  local b, last = 0, 0
  for _, t in ipairs(threads) do
    b = b + (t:get("bad") or 0)
    if (t:get("last_bad") or 0) ~= 0 then last = t:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %.1f, "p90_us": %.1f, "p99_us": %.1f, "max_us": %.1f, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "bad_status": %d, "last_bad_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, e.status, b, last))
end
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
_DURATION = re.compile(r"^\s*([\d.]+)(us|ms|s|m|h)\s*$")


def parse_duration_ms(text: str) -> float:
    """wrk's human durations ("772.00us", "1.20ms", "2.01s") in milliseconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_output(text: str, connections: int) -> WrkResult:
    """Read one wrk run's stdout; the BENCH_JSON line wins over the rounded text report."""
    pct: dict[str, float] = {}
    for m in re.finditer(r"^\s*(50|75|90|99)%\s+(\S+)\s*$", text, re.MULTILINE):
        pct[m.group(1)] = parse_duration_ms(m.group(2))
    total = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", text, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    if not (total and rps and "50" in pct and "99" in pct):
        raise ValueError("wrk output has no latency distribution or totals:\n" + text[-2000:])
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = sum(int(sock.group(i)) for i in (1, 2, 3)) if sock else 0
    timeouts = int(sock.group(4)) if sock else 0
    requests = int(total.group(1))
    duration_s = parse_duration_ms(total.group(2)) / 1000.0
    result = {
        "p50": pct["50"],
        "p90": pct.get("90", pct["99"]),
        "p99": pct["99"],
        "max": _max_latency(text),
        "bad": int(non2xx.group(1)) if non2xx else 0,
    }
    line = next((ln for ln in text.splitlines() if ln.startswith(MARKER)), None)
    if line is not None:
        data = json.loads(line[len(MARKER) :])
        requests = int(data["requests"])
        duration_s = data["duration_us"] / 1e6
        result.update(
            p50=data["p50_us"] / 1000,
            p90=data["p90_us"] / 1000,
            p99=data["p99_us"] / 1000,
            max=data["max_us"] / 1000,
            bad=int(data["bad_status"]),
        )
        socket_errors = int(data["connect"]) + int(data["read"]) + int(data["write"])
        timeouts = int(data["timeout"])
    return WrkResult(
        connections=connections,
        requests=requests,
        duration_s=duration_s,
        rps=requests / duration_s if duration_s else float(rps.group(1)),
        p50_ms=result["p50"],
        p90_ms=result["p90"],
        p99_ms=result["p99"],
        max_ms=result["max"],
        socket_errors=socket_errors,
        timeouts=timeouts,
        bad_status=int(result["bad"]),
    )


def _max_latency(text: str) -> float:
    match = re.search(r"^\s*Latency\s+\S+\s+\S+\s+(\S+)", text, re.MULTILINE)
    return parse_duration_ms(match.group(1)) if match else 0.0


def command(
    *, url: str, script: str, connections: int, duration_s: float, cpu: int | None
) -> list[str]:
    """The wrk command line: one thread (it has one core), latency histogram, 5 s timeout."""
    cmd = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        script,
        url,
    ]
    return (["taskset", "-c", str(cpu)] if cpu is not None else []) + cmd


def run(
    *,
    url: str,
    script: str,
    connections: int,
    duration_s: float,
    cpu: int | None,
    server_cpu: Callable[[], float] | None = None,
) -> WrkResult:
    """Run wrk once and parse it; a wrk failure raises with its stderr. With `server_cpu` (the
    server's CPU seconds so far), the result also says how much CPU the server spent."""
    cmd = command(url=url, script=script, connections=connections, duration_s=duration_s, cpu=cpu)
    before = server_cpu() if server_cpu else 0.0
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60, check=False)
    used = server_cpu() - before if server_cpu else None
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.strip()}")
    return replace(parse_output(proc.stdout, connections), server_cpu_s=used)
