"""Two-step login's secrets and codes: sealed TOTP secrets, codes that work once, recovery codes.

- **Sealed at rest.** A TOTP secret is as good as the second factor itself, so it is stored
  encrypted (Fernet: AES-128-CBC + HMAC-SHA256) under a key derived from GW_SECRET_KEY with HKDF.
  A copy of the database alone opens nothing. Keys listed in GW_PREVIOUS_SECRET_KEYS still open
  old secrets, so the secret key can be rotated (docs/operations.md).
- **Once per time step.** RFC 6238 §5.2: a code accepted for a login cannot be accepted again;
  the last accepted step is stored per person and advanced with one conditional UPDATE, so two
  logins racing with the same code cannot both win.
- **Recovery codes.** Ten one-time codes for a lost phone, shown once, stored hashed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import uuid
from datetime import timedelta
from functools import lru_cache

import pyotp
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import RecoveryCode, User
from app.accounts.security import CODE_ALPHABET
from app.config import get_settings

log = logging.getLogger("groundwork.auth")

_INFO = b"groundwork/totp-secret/v1"
RECOVERY_COUNT = 10
RECOVERY_LENGTH = 16  # 30^16 ≈ 2^78


@lru_cache(maxsize=4)
def _box(keys: tuple[str, ...]) -> MultiFernet:
    def fernet(secret_key: str) -> Fernet:
        raw = HKDF(algorithm=SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
        return Fernet(base64.urlsafe_b64encode(raw))

    return MultiFernet([fernet(k) for k in keys])


def box() -> MultiFernet:
    """The current key first (it seals), then previous keys (they still open)."""
    settings = get_settings()
    return _box((settings.secret_key, *settings.previous_secret_keys))


def is_plain(stored: str) -> bool:
    # A base32 TOTP secret, as written before sealing existed (or by a tool writing rows directly).
    return stored.isalnum() and stored.upper() == stored and len(stored) <= 64


def seal(secret: str) -> str:
    return box().encrypt(secret.encode()).decode()


def unseal(stored: str | None) -> str | None:
    """The secret, or None when there is none or no configured key opens it."""
    if not stored:
        return None
    if is_plain(stored):
        return stored
    try:
        return box().decrypt(stored.encode()).decode()
    except InvalidToken:
        log.error(
            "a two-step secret could not be opened: is GW_PREVIOUS_SECRET_KEYS missing a key?"
        )
        return None


def reseal(stored: str) -> str | None:
    """The same secret sealed under the current key (None when it cannot be opened)."""
    secret = unseal(stored)
    return seal(secret) if secret is not None else None


def reseal_all(session: Session) -> tuple[int, int]:
    """Re-seal every stored secret under the current key: (re-sealed, unreadable). Commits."""
    done = failed = 0
    for user in session.exec(select(User).where(col(User.totp_secret).is_not(None))):
        assert user.totp_secret is not None
        fresh = reseal(user.totp_secret)
        if fresh is None:
            failed += 1
            continue
        user.totp_secret = fresh
        session.add(user)
        done += 1
    session.commit()
    return done, failed


def new_secret() -> tuple[str, str]:
    """(the secret to show once, what to store)."""
    secret = pyotp.random_base32()
    return secret, seal(secret)


def grouped(secret: str) -> str:
    """The key in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name="Groundwork")


def accept_code(session: Session, *, user: User, code: str) -> bool:
    """True once per time step for a right code (±1 step for phone clocks); advances the step.

    The caller's transaction holds the advance: commit it with whatever the code unlocks."""
    secret = unseal(user.totp_secret)
    digits = code.replace(" ", "")
    if secret is None or not digits.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now = clock.now()
    step = None
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=totp.interval * offset)
        if hmac.compare_digest(totp.at(moment), digits):
            step = totp.timecode(moment)
            break
    if step is None:
        return False
    advanced = session.execute(
        update(User)
        .where(
            col(User.id) == user.id,
            or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if not getattr(advanced, "rowcount", 0):
        return False
    user.totp_last_step = step
    return True


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _recovery_hash(user_id: uuid.UUID, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{_normalise(code)}".encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len(_normalise(code)) == RECOVERY_LENGTH


def new_recovery_codes(session: Session, *, user: User) -> list[str]:
    """Replace this person's recovery codes with ten new ones, returned once. Caller commits."""
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = []
    for _ in range(RECOVERY_COUNT):
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user.id, c)) for c in codes
    )
    return codes


def use_recovery_code(session: Session, *, user: User, code: str) -> bool:
    """Spend one recovery code; True if it was this person's and unused. Caller commits."""
    spent = session.execute(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == _recovery_hash(user.id, code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(spent, "rowcount", 0))


def recovery_codes_left(session: Session, user_id: uuid.UUID) -> int:
    return int(
        session.exec(
            select(func.count()).where(
                RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None)
            )
        ).one()
    )


def forget(session: Session, *, user: User) -> None:
    """Two-step login off: the secret, its last step and the recovery codes go. Caller commits."""
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    session.add(user)
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
