"""Webhooks against a real HTTP receiver the test starts: queued with the change, signed with
HMAC-SHA256 over timestamp and body, retried with back-off, and every attempt logged."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factcheck.extensions import db
from factcheck.models import Webhook, WebhookDelivery
from factcheck.services import webhooks
from tests.support.context import ctx


class Receiver:
    """A local HTTP server that records each POST and answers with the next planned status."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.plan: list[int] = []
        self.delay = 0.0  # seconds each answer takes
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                time.sleep(receiver.delay)
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


# ---- the delivery loop against a receiver that checks what it gets --------------------------------

class CheckingReceiver(Receiver):
    """A receiver as docs/api.md tells one to be written: it recomputes the signature with the secret
    it was given, compares in constant time, and refuses a timestamp older than five minutes."""

    def __init__(self, now) -> None:
        super().__init__()
        self.secret = ""
        self.now = now  # the receiver's own clock (Unix seconds)
        self.verdicts: list[str] = []
        checking = self
        base_handler = self.server.RequestHandlerClass

        class Handler(base_handler):  # type: ignore[misc, valid-type]
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                checking.received.append({"headers": dict(self.headers), "body": body})
                verdict = checking.check(self.headers, body)
                checking.verdicts.append(verdict)
                status = (checking.plan.pop(0) if checking.plan else 200) if verdict == "ok" else 401
                self.send_response(status)
                self.end_headers()
                self.wfile.write(verdict.encode() if verdict != "ok" or status < 300 else b"try later")

        self.server.RequestHandlerClass = Handler

    def check(self, headers, body: bytes) -> str:
        timestamp = headers.get("X-Factcheck-Timestamp", "")
        if not timestamp.isdigit() or abs(self.now() - int(timestamp)) > 300:
            return "stale timestamp"
        expected = "sha256=" + hmac.new(self.secret.encode(), timestamp.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("X-Factcheck-Signature", "")):
            return "bad signature"
        return "ok"


@pytest.fixture
def checking(clock) -> Iterator[CheckingReceiver]:
    with CheckingReceiver(lambda: int(clock.now.timestamp())) as started:
        yield started


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_receiver_verifies_each_delivery_and_a_replay_or_a_forgery_fails(app, admin, make, checking):
    registered = webhooks.register_webhook(ctx(), actor=admin, url=checking.url, events=["claim.verdict_final"])
    checking.secret = registered.secret
    make.final_claim()
    assert webhooks.deliver_due(ctx()) == 1
    assert checking.verdicts == ["ok"]
    [delivery] = _deliveries()
    assert (delivery.status, delivery.response_status, delivery.response_body) == ("delivered", 200, "ok")
    sent = checking.received[0]
    headers, body = sent["headers"], sent["body"]
    # The same body under a newer timestamp (a replay made to look fresh) does not match the signature;
    # so does a changed body under the original signature; an old capture is refused for its age.
    later = {**headers, "X-Factcheck-Timestamp": str(int(headers["X-Factcheck-Timestamp"]) + 1)}
    assert checking.check(later, body) == "bad signature"
    assert checking.check(headers, body.replace(b"claim.verdict_final", b"claim.verdict_fiNal")) == "bad signature"
    checking.now = lambda: int(headers["X-Factcheck-Timestamp"]) + 301
    assert checking.check(headers, body) == "stale timestamp"


def test_a_receiver_with_the_wrong_secret_refuses_and_the_answer_is_logged(app, admin, make, checking, clock):
    webhooks.register_webhook(ctx(), actor=admin, url=checking.url, events=["claim.verdict_final"])
    checking.secret = "whsec_not-the-one-it-was-given"
    make.final_claim()
    assert webhooks.deliver_due(ctx()) == 1
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.response_body) == \
        ("pending", 1, 401, "bad signature")
    assert delivery.next_attempt_at == delivery.last_attempt_at + webhooks.FIRST_RETRY
    assert webhooks.last_error(delivery) == "HTTP 401: bad signature"


def test_after_the_last_attempt_a_failing_delivery_is_given_up(app, admin, make, checking, clock):
    """A receiver that answers 500 every time: retried after 30 s, 1, 2, 4 minutes, then failed with
    its last answer logged, and never sent again."""
    registered = webhooks.register_webhook(ctx(), actor=admin, url=checking.url, events=["claim.verdict_final"])
    checking.secret = registered.secret
    checking.plan = [500] * (webhooks.MAX_ATTEMPTS + 1)
    make.final_claim()
    waits = []
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        [delivery] = _deliveries()
        waits.append(delivery.next_attempt_at - clock.now)
        clock.set(max(clock.now, delivery.next_attempt_at))
        assert webhooks.deliver_due(ctx()) == 1
        [delivery] = _deliveries()
        assert (delivery.attempts, delivery.response_status, delivery.response_body) == (attempt, 500, "try later")
        assert webhooks.deliver_due(ctx()) == 0  # not due again before its back-off
    assert delivery.status == "failed" and webhooks.next_attempt(delivery) is None
    assert [d.total_seconds() for d in waits[1:]] == pytest.approx([30, 60, 120, 240], abs=0.01)
    clock.set(clock.now + timedelta(days=1))
    assert webhooks.deliver_due(ctx()) == 0
    assert len(checking.received) == webhooks.MAX_ATTEMPTS and set(checking.verdicts) == {"ok"}


def test_a_disabled_webhooks_deliveries_wait_until_it_is_enabled(app, admin, make, checking):
    registered = webhooks.register_webhook(ctx(), actor=admin, url=checking.url, events=["claim.verdict_final"])
    checking.secret = registered.secret
    make.final_claim()
    webhooks.set_active(ctx(), actor=admin, webhook=registered.webhook, active=False)
    assert webhooks.deliver_due(ctx()) == 0 and checking.received == []
    make.final_claim()  # while disabled: not queued at all
    assert len(_deliveries()) == 1
    webhooks.set_active(ctx(), actor=admin, webhook=registered.webhook, active=True)
    assert webhooks.deliver_due(ctx()) == 1
    assert [d.status for d in _deliveries()] == ["delivered"]


def test_two_processes_delivering_at_once_send_each_delivery_once(app, admin, make, receiver, database_url):
    """Each delivery is taken under FOR UPDATE SKIP LOCKED, so two delivery rounds running at the same
    moment (two app processes) share the work and never send one twice (PostgreSQL; SQLite has one
    writer and the docs say to run one)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's")
    from factcheck.services.context import Context

    webhooks.register_webhook(ctx(), actor=admin, url=receiver.url, events=["claim.verdict_final"])
    for _ in range(4):
        make.final_claim()
    receiver.delay = 0.2
    runtime = app.extensions["factcheck"]
    counts: list[int] = []

    def one_round() -> None:
        with app.app_context():
            counts.append(webhooks.deliver_due(Context.of(db.session, runtime)))
            db.session.remove()

    threads = [threading.Thread(target=one_round) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(counts) == 2 and sum(counts) == 4 and min(counts) >= 1
    ids = [int(r["headers"]["X-Factcheck-Delivery"]) for r in receiver.received]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 4
    assert {d.status for d in _deliveries()} == {"delivered"}


# ---- the webhook endpoints --------------------------------------------------------------------------

def test_a_webhook_is_read_enabled_deleted_and_its_log_paged(app, api_as, admin, make, audited):
    api = api_as(admin)
    hook = api.post("/webhooks", json={"url": "https://cms.example/hook", "events": ["claim.verdict_final"],
                                       "active": False}).get_json()
    assert hook["active"] is False and hook["secret"]
    assert api.get(f"/webhooks/{hook['id']}").get_json()["active"] is False
    enabled = api.post(f"/webhooks/{hook['id']}/enable")
    assert enabled.status_code == 200 and enabled.get_json()["active"] is True
    assert api.post(f"/webhooks/{hook['id']}/enable").status_code == 200  # already so: unchanged
    for _ in range(3):
        make.final_claim()
    read = api.get(f"/webhooks/{hook['id']}").get_json()
    assert read["deliveries"] == {"pending": 3} and "secret" not in read
    first = api.get(f"/webhooks/{hook['id']}/deliveries", query_string={"limit": 2}).get_json()
    rest = api.get(f"/webhooks/{hook['id']}/deliveries", query_string={"limit": 2, "cursor": first["next_cursor"]})
    ids = [d["id"] for d in first["items"] + rest.get_json()["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3 and rest.get_json()["next_cursor"] is None
    deleted = api.client.delete(f"/api/v1/webhooks/{hook['id']}", headers=api.headers())
    assert deleted.status_code == 204 and deleted.get_data() == b""
    problem_ = api.get(f"/webhooks/{hook['id']}")
    assert problem_.status_code == 404 and problem_.mimetype == "application/problem+json"
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0
    assert [e.object_id for e in audited("webhook.enabled") + audited("webhook.deleted")] == [hook["id"]] * 2
    assert audited("webhook.deleted")[0].changes["deliveries"] == {"before": 3, "after": 0}


@pytest.mark.parametrize("role", ["checker", "editor", "manager"])
def test_every_webhook_endpoint_is_for_admins(app, api_as, admin, role, audited):
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["article.approved"]).webhook
    api = api_as(role)
    for response in (api.get(f"/webhooks/{hook.id}"), api.post(f"/webhooks/{hook.id}/disable"),
                     api.post(f"/webhooks/{hook.id}/enable"), api.get(f"/webhooks/{hook.id}/deliveries"),
                     api.client.delete(f"/api/v1/webhooks/{hook.id}", headers=api.headers()),
                     api.get("/webhooks/9999")):
        assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert db.session.get(Webhook, hook.id).active
    assert audited("webhook.disabled") == [] and audited("webhook.deleted") == []


def test_unknown_webhooks_are_404(app, api_as, admin):
    api = api_as(admin)
    for response in (api.get("/webhooks/9999"), api.post("/webhooks/9999/disable"),
                     api.get("/webhooks/9999/deliveries"),
                     api.client.delete("/api/v1/webhooks/9999", headers=api.headers())):
        assert response.status_code == 404 and "no such webhook" in response.get_json()["detail"]
