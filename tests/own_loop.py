"""Run a coroutine to completion on an event loop of its own, in a thread of its own.

Playwright's sync API (the browser tests' session-scoped browser) leaves an event loop running in
the main thread of the pytest worker, and `asyncio.run` refuses to start inside a running loop. A
test file may share its worker with the browser tests (`--dist loadfile`), so tests that drive
async code call this instead of `asyncio.run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="own-loop") as pool:
        return pool.submit(asyncio.run, coroutine).result()
