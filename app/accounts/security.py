"""Passwords (argon2id, OWASP parameters), random tokens and the short codes read out over the phone."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import get_settings

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this when an account does not exist keeps answers equally slow for both.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")

# Crockford-style alphabet: no 0/O, 1/I/L, so a code survives being read aloud.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
# 30^10 ≈ 5.9e14 codes: with guessing capped across the whole code space (throttle.CODE_SPACE,
# 300 wrong codes an hour), a year of guessing finds a given live code with chance ≈ 4.5e-9.
# Read out as two groups of five. Eight-character codes issued before stay valid until they expire.
CODE_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are stored as keyed hashes: a leaked table lets nobody in."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return _grouped(raw)


def _grouped(cleaned: str) -> str:
    half = len(cleaned) // 2
    return f"{cleaned[:half]}-{cleaned[half:]}" if len(cleaned) in (8, CODE_LENGTH) else cleaned


def normalise_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return _grouped(cleaned)


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
