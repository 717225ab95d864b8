"""Render functions the report worker imports in tests: one dies, one is slow, one hangs.

They live in a module (not a test function) because the worker is a spawned process: it can only
run a function it can import by name.
"""

from __future__ import annotations

import os
import time

from app.progress import report_pdf


def die(_html: str) -> bytes:
    """The worker process exits mid-report, as when it is killed or runs out of memory."""
    os._exit(3)


def slow(html: str) -> bytes:
    """A real PDF, after a pause long enough to tell a waiting request from a returning one."""
    time.sleep(3)
    return report_pdf.render_pdf(html)


def hang(_html: str) -> bytes:
    time.sleep(600)
    return b""
