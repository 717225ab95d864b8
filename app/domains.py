"""The list of domain packages and discovery of their plug-in modules.

Each domain adds behaviour by convention (a `today.py`, a `pages.py` router, …) instead of editing shared
files, so domains stay independent and the app's wiring is one loop.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

# Order matters where it shows: navigation, Today sections and demo seeding follow it.
DOMAINS: tuple[str, ...] = (
    "accounts",
    "audit",
    "crisis",
    "pwa",
    "home",
    "routines",
    "self_care",
    "coping",
    "sensory",
    "homework",
    "reminders",
    "progress",
    "occupation",
    "digest",
    "my_data",
)


def plugins(module: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield (domain, app.<domain>.<module>) for every domain that has that module."""
    for domain in DOMAINS:
        name = f"app.{domain}.{module}"
        if importlib.util.find_spec(f"app.{domain}") is None:
            continue
        if importlib.util.find_spec(name) is None:
            continue
        yield domain, importlib.import_module(name)
