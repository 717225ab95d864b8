"""Web Push against the local push service: real encryption, VAPID, headers, failures."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.reminders import webpush
from app.reminders.webpush import PushMessage, PushOutcome, Subscription, VapidKeys, WebPushSender

from .push_service import PushService

SUBJECT = "mailto:ops@groundwork.example"


@pytest.fixture(scope="module")
def keys() -> VapidKeys:
    return VapidKeys.generate()


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService().start()
    yield service
    service.stop()


@pytest.fixture
def sender(keys: VapidKeys) -> Iterator[WebPushSender]:
    with WebPushSender(keys, SUBJECT, concurrency=4) as s:
        yield s


def sub(info: dict) -> Subscription:
    return Subscription(info["endpoint"], info["keys"]["p256dh"], info["keys"]["auth"])


def test_push_is_encrypted_and_decrypts_to_the_payload(
    push_service: PushService, sender: WebPushSender, keys: VapidKeys
) -> None:
    subscription = sub(push_service.subscribe(keys.public_key))
    payload = json.dumps({"title": "Morning routine", "body": "Time for your first step"})
    result = sender.send(
        PushMessage(
            subscription,
            payload.encode(),
            topic=webpush.topic_for("occ-1"),
            ttl=600,
            urgency="high",
        )
    )
    assert result.outcome is PushOutcome.DELIVERED, result.detail
    [received] = push_service.messages
    assert received.json == {"title": "Morning routine", "body": "Time for your first step"}
    assert received.headers["ttl"] == "600"
    assert received.headers["urgency"] == "high"
    assert received.headers["topic"] == webpush.topic_for("occ-1")
    assert received.claims["aud"] == push_service.origin
    assert received.claims["sub"] == SUBJECT


def test_every_message_has_ttl_urgency_and_topic_defaults(
    push_service: PushService, sender: WebPushSender, keys: VapidKeys
) -> None:
    subscription = sub(push_service.subscribe(keys.public_key))
    sender.send(PushMessage(subscription, b"hi", topic="abc"))
    [received] = push_service.messages
    assert int(received.headers["ttl"]) == webpush.DEFAULT_TTL
    assert received.headers["urgency"] == "normal"
    assert len(webpush.topic_for("x" * 500)) <= 32


def test_vapid_token_is_reused_per_origin_and_audience_never_leaks(keys: VapidKeys) -> None:
    first, second = PushService().start(), PushService().start()
    try:
        with WebPushSender(keys, SUBJECT, concurrency=4) as sender:
            subs = [sub(first.subscribe(keys.public_key)) for _ in range(3)]
            subs += [sub(second.subscribe(keys.public_key)) for _ in range(3)]
            results = sender.send_many([PushMessage(s, b"x", topic="t") for s in subs])
            assert {r.outcome for r in results} == {PushOutcome.DELIVERED}
            assert sender.tokens.signed == 2
        assert {m.claims["aud"] for m in first.messages} == {first.origin}
        assert {m.claims["aud"] for m in second.messages} == {second.origin}
    finally:
        first.stop()
        second.stop()


def test_vapid_token_is_resigned_near_expiry(keys: VapidKeys) -> None:
    clock = [1_000_000.0]
    tokens = webpush.VapidTokens(keys, SUBJECT, now=lambda: clock[0])
    a = tokens.header("https://push.example/abc")
    assert tokens.header("https://push.example/def") == a
    clock[0] += webpush.TOKEN_LIFETIME - webpush.TOKEN_REFRESH_MARGIN + 1
    assert tokens.header("https://push.example/abc") != a
    assert tokens.signed == 2


def test_push_service_rejects_a_token_signed_by_another_key(
    push_service: PushService, keys: VapidKeys
) -> None:
    other = VapidKeys.generate()
    subscription = sub(push_service.subscribe(keys.public_key))
    with WebPushSender(other, SUBJECT) as sender:
        result = sender.send(PushMessage(subscription, b"x", topic="t"))
    assert result.outcome is PushOutcome.REJECTED
    assert push_service.messages == []


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (404, PushOutcome.GONE),
        (410, PushOutcome.GONE),
        (500, PushOutcome.RETRY),
        (429, PushOutcome.RETRY),
    ],
)
def test_push_service_answers_map_to_outcomes(
    push_service: PushService,
    sender: WebPushSender,
    keys: VapidKeys,
    status: int,
    outcome: PushOutcome,
) -> None:
    info = push_service.subscribe(keys.public_key)
    push_service.answer(info["endpoint"], status)
    result = sender.send(PushMessage(sub(info), b"x", topic="t"))
    assert (result.outcome, result.status) == (outcome, status)


def test_unreachable_push_service_is_retried(sender: WebPushSender, keys: VapidKeys) -> None:
    service = PushService().start()
    info = service.subscribe(keys.public_key)
    service.stop()
    result = sender.send(PushMessage(sub(info), b"x", topic="t"))
    assert result.outcome is PushOutcome.RETRY
    assert result.status is None


def test_malformed_subscription_keys_count_as_gone(sender: WebPushSender) -> None:
    bad = Subscription("https://push.example/x", "bm90LWEta2V5", "c2hvcnQ")
    assert sender.send(PushMessage(bad, b"x")).outcome is PushOutcome.GONE


def test_send_many_keeps_order_with_bounded_concurrency(
    push_service: PushService, sender: WebPushSender, keys: VapidKeys
) -> None:
    subs = [sub(push_service.subscribe(keys.public_key)) for _ in range(20)]
    messages = [PushMessage(s, f"message {i}".encode(), topic=f"t{i}") for i, s in enumerate(subs)]
    results = sender.send_many(messages)
    assert [r.message for r in results] == messages
    assert sorted(push_service.texts()) == sorted(f"message {i}" for i in range(20))


def test_classify_statuses() -> None:
    assert webpush.classify(201) is PushOutcome.DELIVERED
    assert webpush.classify(413) is PushOutcome.REJECTED
    assert webpush.classify(503) is PushOutcome.RETRY


def test_vapid_keys_are_created_once_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "vapid.pem"
    created = VapidKeys.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert VapidKeys.load_or_create(path).public_key == created.public_key
