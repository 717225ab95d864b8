"""Web Push channel: aes128gcm payloads (pywebpush's encoder), VAPID (RFC 8292), httpx transport.

Why not ``pywebpush.webpush()``: it signs a fresh VAPID JWT for every message (an ECDSA signature
each time), mutates the ``vapid_claims`` dict it is given (the audience sticks to the first push
service), and opens a new connection per call. Here the JWT is cached per push-service origin until
close to expiry, claims are a fresh dict per signature, and one shared httpx client sends with
bounded concurrency. Every message carries TTL, Urgency and Topic (so a retried reminder replaces
its undelivered twin at the push service).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPusher

log = logging.getLogger("groundwork.reminders")
Urgency = Literal["very-low", "low", "normal", "high"]
TOKEN_LIFETIME = 12 * 3600  # RFC 8292 allows at most 24 h
TOKEN_REFRESH_MARGIN = (
    3600  # re-sign an hour before expiry so a slow send never carries a dead token
)
DEFAULT_TTL = 4 * 3600  # a reminder older than this is useless; the push service may drop it


@dataclass(frozen=True, slots=True)
class Subscription:
    """What PushManager.subscribe() returned in the browser (endpoint and the two client keys)."""

    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True, slots=True)
class PushMessage:
    subscription: Subscription
    payload: bytes
    topic: str | None = None
    ttl: int = DEFAULT_TTL
    urgency: Urgency = "normal"


class PushOutcome(StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"  # 404/410: the subscription no longer exists; remove it
    RETRY = "retry"  # 429, 5xx, network: try again later
    REJECTED = "rejected"  # any other 4xx: our request is wrong; retrying will not help


@dataclass(frozen=True, slots=True)
class PushResult:
    message: PushMessage
    outcome: PushOutcome
    status: int | None
    detail: str


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def topic_for(identity: str) -> str:
    """An RFC 8030 Topic (<= 32 URL-safe base64 chars) stable for one reminder occurrence."""
    return _b64url(hashlib.sha256(identity.encode()).digest())[:32]


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class VapidKeys:
    """The application server's VAPID key pair."""

    def __init__(self, vapid: Vapid02) -> None:
        self.vapid = vapid

    @classmethod
    def generate(cls) -> VapidKeys:
        vapid = Vapid02()
        vapid.generate_keys()
        return cls(vapid)

    @classmethod
    def from_pem(cls, pem: bytes) -> VapidKeys:
        return cls(Vapid02.from_pem(pem))

    @classmethod
    def load_or_create(cls, path: Path) -> VapidKeys:
        """Read the PEM key at ``path``, creating it (mode 0600) on first run."""
        if path.exists():
            return cls.from_pem(path.read_bytes())
        keys = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(keys.private_pem())
        tmp.chmod(0o600)
        tmp.replace(path)
        return keys

    def private_pem(self) -> bytes:
        pem: bytes = self.vapid.private_pem()
        return pem

    @property
    def public_key(self) -> str:
        """The applicationServerKey for PushManager.subscribe(): base64url of the raw point."""
        raw = self.vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return _b64url(raw)


class VapidTokens:
    """VAPID Authorization headers cached per push-service origin until near expiry."""

    def __init__(self, keys: VapidKeys, subject: str, now: Callable[[], float] = time.time) -> None:
        self._keys = keys
        self._subject = subject
        self._now = now
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[str, int]] = {}
        self.signed = 0

    def header(self, endpoint: str) -> str:
        origin = origin_of(endpoint)
        now = int(self._now())
        with self._lock:
            cached = self._cache.get(origin)
            if cached and cached[1] - now > TOKEN_REFRESH_MARGIN:
                return cached[0]
            exp = now + TOKEN_LIFETIME
            # A fresh dict every time: the claims must never leak between origins.
            claims: dict[str, str | int] = {"aud": origin, "exp": exp, "sub": self._subject}
            value = str(self._keys.vapid.sign(claims)["Authorization"])
            self._cache[origin] = (value, exp)
            self.signed += 1
            return value


def encrypt(subscription: Subscription, payload: bytes) -> bytes:
    """aes128gcm-encrypt ``payload`` for one subscription (RFC 8291), via pywebpush's encoder."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    body: bytes = WebPusher(info).encode(payload, "aes128gcm")["body"]
    return body


def classify(status: int) -> PushOutcome:
    if status in (200, 201, 202):
        return PushOutcome.DELIVERED
    if status in (404, 410):
        return PushOutcome.GONE
    if status == 429 or status >= 500:
        return PushOutcome.RETRY
    return PushOutcome.REJECTED


class WebPushSender:
    """Sends push messages through one shared httpx client with bounded concurrency."""

    def __init__(
        self,
        keys: VapidKeys,
        subject: str,
        *,
        concurrency: int = 8,
        timeout: float = 10.0,
        now: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.tokens = VapidTokens(keys, subject, now)
        self._concurrency = max(1, concurrency)
        limits = httpx.Limits(
            max_connections=self._concurrency, max_keepalive_connections=self._concurrency
        )
        # TCP_NODELAY: httpcore writes headers and body separately; with Nagle on, the body waits
        # for the peer's (delayed) ACK of the headers, which dominates a small push request.
        transport = transport or httpx.HTTPTransport(
            limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        )
        self._client = httpx.Client(timeout=timeout, limits=limits, transport=transport)
        self._pool = ThreadPoolExecutor(self._concurrency, thread_name_prefix="webpush")

    def send(self, message: PushMessage) -> PushResult:
        try:
            body = encrypt(message.subscription, message.payload)
        except Exception as exc:  # malformed client keys: this subscription can never work
            return PushResult(message, PushOutcome.GONE, None, f"bad subscription keys: {exc}")
        try:
            authorization = self.tokens.header(message.subscription.endpoint)
        except Exception as exc:  # e.g. a VAPID subject the library refuses: retry once fixed
            return PushResult(message, PushOutcome.RETRY, None, f"VAPID signing failed: {exc}")
        headers = {
            "Authorization": authorization,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(message.ttl),
            "Urgency": message.urgency,
        }
        if message.topic:
            headers["Topic"] = message.topic
        try:
            response = self._client.post(
                message.subscription.endpoint, content=body, headers=headers
            )
        except httpx.HTTPError as exc:
            return PushResult(message, PushOutcome.RETRY, None, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a bug fails one message, never the batch
            log.exception("web push: sending one message failed unexpectedly")
            return PushResult(message, PushOutcome.RETRY, None, f"{type(exc).__name__}")
        return PushResult(
            message, classify(response.status_code), response.status_code, response.text[:200]
        )

    def send_many(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Send all messages, at most ``concurrency`` at a time; results in the input order."""
        if len(messages) <= 1:
            return [self.send(m) for m in messages]
        return list(self._pool.map(self.send, messages))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._client.close()

    def __enter__(self) -> WebPushSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
