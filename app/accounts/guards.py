"""The app-wide dependencies accounts runs before every route, in this order (`app/main.py` finds
them through `app.domains.plugins("guards")`, so the app factory imports no domain).

The CSRF check comes first, so a forged cross-site request cannot spend someone's write allowance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.accounts.dependencies import csrf_guard, write_limit

APP_GUARDS: Sequence[Callable[..., Any]] = (csrf_guard, write_limit)
