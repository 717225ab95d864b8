"""Signed one-click unsubscribe tokens for the digest email.

RFC 8058: a mail client may POST to the List-Unsubscribe URL with no cookies, so the token itself
is the proof. It names one therapist and only turns their digest off, so a leaked link can do no
more than that; an HMAC of the app's secret makes it unforgeable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid


def _sig(secret: bytes, therapist_id: uuid.UUID) -> str:
    mac = hmac.new(secret, f"digest-unsubscribe:{therapist_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode()


def unsubscribe_token(secret: bytes, therapist_id: uuid.UUID) -> str:
    return f"{therapist_id.hex}.{_sig(secret, therapist_id)}"


def read_unsubscribe_token(secret: bytes, token: str) -> uuid.UUID | None:
    """The therapist id for a genuine token, else None (never raises on junk)."""
    raw, _, sig = token.partition(".")
    if len(token) > 100 or not sig:
        return None
    try:
        therapist_id = uuid.UUID(hex=raw)
    except ValueError:
        return None
    return therapist_id if hmac.compare_digest(sig, _sig(secret, therapist_id)) else None
