"""The app-wide dependencies accounts runs before every route (`app/main.py` finds them through
`app.domains.plugins("guards")`, so the app factory imports no domain).

One guard, `request_guard`: who is asking first (the session lookup, which the other
principal dependencies read from it), then the CSRF check, so a forged cross-site request cannot
spend someone's write allowance, then the write limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.accounts.dependencies import request_guard

APP_GUARDS: Sequence[Callable[..., Any]] = (request_guard,)
