"""A local Web Push service on 127.0.0.1 for tests and the bench.

It plays the role of FCM/Mozilla autopush for real pywebpush-encrypted requests: it checks the
VAPID JWT (signature with the key in the header, that key equals the applicationServerKey the
subscription was made with, audience = this origin, expiry within 24 h), requires TTL / Urgency /
Content-Encoding headers, decrypts the aes128gcm body with the subscription's private key
(http_ece), and records each message. A subscription can be told to answer 404/410/500.

Run standalone for the bench: ``python -m tests.reminders.push_service --port 0`` prints the port.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import jwt as vapid_jwt

_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_URGENCY = {"very-low", "low", "normal", "high"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Received:
    subscription_id: str
    text: str
    headers: dict[str, str]
    claims: dict[str, object]
    received_at: float = field(default_factory=time.time)  # wall clock, for delivery deadlines

    @property
    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.text)
        return data


@dataclass
class _Sub:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    server_key: str
    answer: int = 201


@dataclass
class PushService:
    """Start with ``start()``; ``subscribe()`` returns the browser-side subscription JSON."""

    host: str = "127.0.0.1"
    port: int = 0
    decrypt: bool = True
    # Seconds to add to this process's clock when checking a token's expiry: senders in other
    # processes may run on another clock (the fault tests' app processes escape libfaketime).
    clock_offset: float = 0.0
    messages: list[Received] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    _subs: dict[str, _Sub] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> PushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                status, reason = service._handle(self.path, dict(self.headers.items()), body)
                data = reason.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002
                return

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:  # noqa: ARG002
                return  # a sender closing its keep-alive connection is not an error here

        self._server = Server((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def subscribe(self, server_key: str) -> dict[str, object]:
        """A new subscription for the application server key ``server_key`` (base64url)."""
        sub_id = secrets.token_urlsafe(12)
        private_key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        with self._lock:
            self._subs[sub_id] = _Sub(private_key, auth, server_key)
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.origin}/push/{sub_id}",
            "keys": {"p256dh": _b64(public), "auth": _b64(auth)},
        }

    def answer(self, endpoint: str, status: int) -> None:
        """Make the push service answer ``status`` for this subscription from now on."""
        with self._lock:
            self._subs[endpoint.rsplit("/", 1)[1]].answer = status

    def texts(self) -> list[str]:
        with self._lock:
            return [m.text for m in self.messages]

    def _reject(self, status: int, reason: str) -> tuple[int, str]:
        with self._lock:
            self.rejected.append((status, reason))
        return status, reason

    def _handle(self, path: str, raw: dict[str, str], body: bytes) -> tuple[int, str]:
        headers = {k.lower(): v for k, v in raw.items()}
        sub_id = path.rsplit("/", 1)[-1]
        with self._lock:
            sub = self._subs.get(sub_id)
        if not path.startswith("/push/") or sub is None:
            return self._reject(404, "no such subscription")
        if sub.answer != 201:
            return sub.answer, "configured answer"
        if "ttl" not in headers or not headers["ttl"].isdigit():
            return self._reject(400, "missing TTL")
        if headers.get("urgency", "normal") not in _URGENCY:
            return self._reject(400, "bad Urgency")
        if "topic" in headers and not _TOPIC.match(headers["topic"]):
            return self._reject(400, "bad Topic")
        if headers.get("content-encoding") != "aes128gcm":
            return self._reject(415, "content encoding must be aes128gcm")
        claims = self._verify_vapid(headers.get("authorization", ""), sub.server_key)
        if isinstance(claims, str):
            return self._reject(401 if "signature" in claims else 403, claims)
        text = ""
        if self.decrypt:
            try:
                plain = http_ece.decrypt(
                    body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm"
                )
            except Exception as exc:
                return self._reject(400, f"cannot decrypt: {exc}")
            text = plain.decode()
        with self._lock:
            self.messages.append(Received(sub_id, text, headers, claims))
        return 201, ""

    def _verify_vapid(self, authorization: str, server_key: str) -> dict[str, object] | str:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            return "authorization scheme must be vapid"
        parts = dict(p.split("=", 1) for p in params.split(",") if "=" in p)
        token, key = parts.get("t", ""), parts.get("k", "")
        if key != server_key:
            return "VAPID key differs from the subscription's applicationServerKey"
        try:
            claims: dict[str, object] = vapid_jwt.decode(token, key)
        except InvalidSignature:
            return "bad VAPID signature"
        if claims.get("aud") != self.origin:
            return f"wrong audience {claims.get('aud')!r}"
        exp = claims.get("exp")
        now = time.time() + self.clock_offset
        if not isinstance(exp, int) or not now < exp <= now + 86400:
            return "expiry missing or not within 24 hours"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "sub must be a mailto: or https: URL"
        return claims


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", required=True, help="applicationServerKey to accept")
    parser.add_argument("--subscriptions", type=int, default=100)
    args = parser.parse_args()
    svc = PushService(port=args.port).start()
    subs = [svc.subscribe(args.key) for _ in range(args.subscriptions)]
    print(json.dumps({"origin": svc.origin, "subscriptions": subs}), flush=True)  # noqa: T201
    try:
        while True:
            line = input()
            if line == "count":
                print(len(svc.messages), len(svc.rejected), flush=True)  # noqa: T201
    except EOFError:
        svc.stop()
