"""SQLite's one writer at a time, taken in turn by threads and by processes.

Left to itself, a SQLite writer that finds the database locked polls with growing sleeps (the busy
handler: 1, 2, 5 … 100 ms), so under contention a waiting writer keeps missing the moment the lock
is free and its request's tail grows by whole seconds. Within a process, writers queue on a
`threading.Lock`. Between processes (`python -m app serve --workers 2` on one file), two advisory
file locks beside the database take their place (issue #15: check-ins at 512 connections had a
p99 of 2.2 s with two processes, 0.6 s with one):

- a process's writer holds `<database>-writer.lock` from `BEGIN IMMEDIATE` to `COMMIT`/`ROLLBACK`;
- before it asks for that, it holds the turnstile `<database>-turnstile.lock` while it waits, so a
  process that has just written cannot take the writer lock again ahead of one already waiting:
  under contention the processes alternate, and a waiter checks every millisecond or two.

Only one thread per process waits on the file locks (the one holding the thread lock), so the
polling costs a few system calls per write. The kernel releases a dead process's locks.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

# Sleeps between attempts at a file lock held by another process: short, since a write
# transaction takes milliseconds, and growing so a long wait costs few wake-ups.
FIRST_PAUSE, LONGEST_PAUSE = 0.0001, 0.0005


class WriterTurns:
    """The write lock of one SQLite database, for every thread and process that writes to it.

    `database` is the database file, or None for an in-memory database (one process only)."""

    def __init__(self, database: Path | None) -> None:
        self._threads = threading.Lock()
        self._paths = (
            None
            if database is None
            else (
                database.with_name(database.name + "-turnstile.lock"),
                database.with_name(database.name + "-writer.lock"),
            )
        )
        self._files: tuple[int, int] | None = None
        self._pid = 0

    def acquire(self, timeout: float) -> bool:
        """True once this thread may write; False if the turn did not come within `timeout`."""
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        try:
            taken = self._take_process_turn(deadline)
        except BaseException:
            taken = False
            raise
        finally:
            if not taken:
                self._threads.release()
        return taken

    def _take_process_turn(self, deadline: float) -> bool:
        """The writer file lock, asked for while holding the turnstile (see the module's doc)."""
        files = self._open()
        if files is None:
            return True
        turnstile, writer = files
        if not _lock(turnstile, deadline):
            return False
        try:
            return _lock(writer, deadline)
        finally:
            fcntl.flock(turnstile, fcntl.LOCK_UN)

    def release(self) -> None:
        if self._files is not None and self._pid == os.getpid():
            fcntl.flock(self._files[1], fcntl.LOCK_UN)
        self._threads.release()

    def _open(self) -> tuple[int, int] | None:
        """This process's own descriptors (opened after a fork, never inherited: a lock taken
        through an inherited descriptor would be shared with the parent)."""
        if self._paths is None:
            return None
        if self._files is None or self._pid != os.getpid():
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
            self._files = (
                os.open(self._paths[0], flags, 0o600),
                os.open(self._paths[1], flags, 0o600),
            )
            self._pid = os.getpid()
        return self._files


def _lock(descriptor: int, deadline: float) -> bool:
    pause = FIRST_PAUSE
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)


def database_file(database: str | None) -> Path | None:
    """The file behind a SQLite URL's database part; None for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()
