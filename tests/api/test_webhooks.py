"""Webhooks against a real HTTP receiver the test starts: queued with the change, signed with
HMAC-SHA256 over timestamp and body, retried with back-off, and every attempt logged."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factcheck.extensions import db
from factcheck.models import WebhookDelivery
from factcheck.services import webhooks
from tests.support.context import ctx


class Receiver:
    """A local HTTP server that records each POST and answers with the next planned status."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.plan: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.plan.pop(0) if receiver.plan else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"try later")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as started:
        yield started


def test_events_are_delivered_signed_and_retried(app, api_as, admin, make, receiver, clock):
    api = api_as(admin)
    registered = api.post("/webhooks", json={"url": receiver.url,
                                             "events": ["article.approved", "claim.verdict_final"]})
    assert registered.status_code == 201, registered.get_json()
    hook = registered.get_json()
    secret = hook["secret"]
    assert "secret" not in api.get("/webhooks").get_json()["items"][0]

    claim = make.final_claim()  # queues claim.verdict_final, in the transaction of the verdict
    assert api.post(f"/articles/{claim.article_id}/approve").status_code == 200  # queues article.approved
    pending = list(db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)))
    assert [d.event for d in pending] == ["claim.verdict_final", "article.approved"]
    assert all(d.status == "pending" for d in pending)

    receiver.plan = [500]  # the first attempt fails, the others succeed
    assert webhooks.deliver_due(ctx()) == 2
    first, second = (db.session.get(WebhookDelivery, d.id) for d in pending)
    assert (first.status, first.attempts, first.response_status, first.response_body) == \
        ("pending", 1, 500, "try later")
    assert (second.status, second.response_status) == ("delivered", 200)
    assert first.next_attempt_at - first.last_attempt_at == timedelta(seconds=30)

    assert webhooks.deliver_due(ctx()) == 0  # not due yet
    clock.set(clock.now + timedelta(seconds=31))
    assert webhooks.deliver_due(ctx()) == 1
    assert db.session.get(WebhookDelivery, first.id).status == "delivered"

    assert len(receiver.received) == 3
    for request in receiver.received:
        headers, body = request["headers"], request["body"]
        timestamp = headers["X-Factcheck-Timestamp"]
        expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        assert headers["X-Factcheck-Signature"] == f"sha256={expected}"
        assert json.loads(body)["event"] == headers["X-Factcheck-Event"]
    approved = json.loads(receiver.received[1]["body"])
    assert approved["article_id"] == claim.article_id and approved["links"]["article"].endswith(
        f"/articles/{claim.article_id}")
    final = json.loads(receiver.received[0]["body"])
    assert final["claim_id"] == claim.id

    log = api.get(f"/webhooks/{hook['id']}/deliveries").get_json()["items"]
    assert [(d["status"], d["attempts"], d["response_status"]) for d in log] == \
        [("delivered", 1, 200), ("delivered", 2, 200)]


def test_a_receiver_that_is_down_is_retried_with_back_off_then_given_up(app, admin, make, clock):
    registered = webhooks.register_webhook(ctx(), actor=admin, url="http://127.0.0.1:9/nobody",
                                           events=["claim.verdict_final"])
    make.final_claim()
    delivery = db.session.scalar(db.select(WebhookDelivery))
    delays = []
    for _ in range(webhooks.MAX_ATTEMPTS):
        clock.set(max(clock.now, db.session.get(WebhookDelivery, delivery.id).next_attempt_at))
        assert webhooks.deliver_due(ctx()) == 1
        current = db.session.get(WebhookDelivery, delivery.id)
        delays.append(current.next_attempt_at - current.last_attempt_at)
        assert current.error and current.response_status is None
    assert current.status == "failed" and current.attempts == webhooks.MAX_ATTEMPTS
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert registered.webhook.active


def test_a_disabled_webhook_gets_no_new_events(app, api_as, admin, make, receiver):
    api = api_as(admin)
    hook = api.post("/webhooks", json={"url": receiver.url, "events": ["claim.verdict_final"]}).get_json()
    assert api.post(f"/webhooks/{hook['id']}/disable").get_json()["active"] is False
    make.final_claim()
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0


def test_registration_is_checked_and_for_admins_only(app, api_as, admin):
    api = api_as(admin)
    bad = api.post("/webhooks", json={"url": "ftp://example.org", "events": ["article.approved"]})
    assert bad.status_code == 422 and "url" in bad.get_json()["errors"]["json"]
    bad = api.post("/webhooks", json={"url": "https://example.org/h", "events": ["claim.deleted"]})
    assert bad.status_code == 422 and "events" in bad.get_json()["errors"]["json"]
    editor = api_as("editor")
    assert editor.post("/webhooks", json={"url": "https://example.org/h", "events": ["article.approved"]}) \
        .status_code == 403
    assert editor.get("/webhooks").status_code == 403
