"""Signed capability tokens for notification actions (Done, Snooze) on one reminder item.

Why not the session cookie + CSRF token: the service worker answers a notification tap long after
the page that could read the CSRF token is gone (often with no page open at all). The token names
one item, is unguessable, and only allows Done/Snooze on that item.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid


def _sig(secret: bytes, item_id: uuid.UUID) -> str:
    mac = hmac.new(secret, f"reminder-action:{item_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def action_token(secret: bytes, item_id: uuid.UUID) -> str:
    return f"{item_id.hex}.{_sig(secret, item_id)}"


def read_action_token(secret: bytes, token: str) -> uuid.UUID | None:
    """The item id for a genuine token, else None (never raises on junk)."""
    raw, _, sig = token.partition(".")
    if len(token) > 100 or not sig:
        return None
    try:
        item_id = uuid.UUID(hex=raw)
    except ValueError:
        return None
    return item_id if hmac.compare_digest(sig, _sig(secret, item_id)) else None
