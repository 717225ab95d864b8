"""`python -m bench.memory`: one server's resident memory while it serves many requests.

Serves the cached bench data (build it first with `python -m bench.run --quick`), logs in the
bench client and therapist, then drives every GET scenario they have at 32 connections in turn,
printing after each round: requests so far, RSS (VmRSS), and how many SQLite connections the
process holds open (file descriptors on the database file). Issue #19, point 6: does memory settle
after a warm-up, or climb? `GW_SQLITE_CACHE_KIB` and friends can be passed through the environment
to compare settings.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import database, generate, server, wrk
from bench.harness import UUID_TOKEN, fill
from bench.run import OUT, ROOT, _wrk_cpu, run_values


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def db_connections(pid: int, db_file: str) -> int:
    """Open descriptors on the database file itself: one per pooled SQLite connection."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) == db_file:
                count += 1
        except OSError:
            continue
    return count


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=2000)
    p.add_argument("--requests", type=int, default=60_000)
    p.add_argument("--seconds", type=float, default=5.0, help="per round (default 5)")
    args = p.parse_args(argv)
    modules, _broken = generate.scenario_modules()
    t = database.target(database_url=None, clients=args.clients, today=datetime.now(UTC).date())
    if not t.built:
        print("No cached bench data: run `python -m bench.run --quick` first", file=sys.stderr)
        return 2
    built = generate.Built.load(t.meta_path)
    database.fresh_copy(t)
    env = {
        **database.app_env(t.run_url),
        **{k: v for k, v in os.environ.items() if k.startswith("GW_SQLITE")},
    }
    db_file = t.run_url.removeprefix("sqlite:///")
    db_file = str((ROOT / db_file).resolve()) if not db_file.startswith("/") else db_file
    cpu0 = 0 if (os.cpu_count() or 1) > 1 else None
    with server.running_server(env=env, log_path=OUT / "memory.log", cpu=cpu0, cwd=ROOT) as srv:
        logins = {
            who: server.login(
                srv.base,
                built.users[who],
                built.password,
                built.totp_secret if who != "client" else None,
            )
            for who in ("client", "therapist")
        }
        scripts: list[tuple[str, Path]] = []
        for domain, s in generate.scenarios(modules):
            if s.method != "GET" or s.as_user not in logins or UUID_TOKEN in s.path:
                continue
            try:
                path = fill(s.path, {**built.values, **run_values()})
            except KeyError:
                continue
            script = OUT / "lua" / f"memory-{len(scripts):02d}.lua"
            script.parent.mkdir(parents=True, exist_ok=True)
            headers = logins[s.as_user].headers(srv.base, write=False)
            script.write_text(
                wrk.lua_script(
                    method="GET", path=path, headers=headers, body=None, expect_status=200
                )
            )
            scripts.append((f"{domain}: {s.name}", script))
        print(
            f"start: RSS {rss_mib(srv.pid):.0f} MiB, {db_connections(srv.pid, db_file)} SQLite connections"
        )
        total, rnd = 0, 0
        while total < args.requests:
            name, script = scripts[rnd % len(scripts)]
            rnd += 1
            r = wrk.run(
                url=srv.base,
                script=str(script),
                connections=32,
                duration_s=args.seconds,
                cpu=_wrk_cpu(),
            )
            total += r.requests
            print(
                f"{total:>7,} requests  RSS {rss_mib(srv.pid):6.0f} MiB  "
                f"{db_connections(srv.pid, db_file):3d} SQLite connections  ({name}, {r.errors} errors)",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
