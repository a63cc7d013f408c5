"""The webhooks page for admins: register (the secret shown once), disable, enable, delete, and the
delivery log of each webhook; every change audited, every form behind CSRF."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Webhook, WebhookDelivery
from factcheck.services import webhooks
from tests.support.context import ctx
from tests.support.factories import Factory


@pytest.fixture
def admin(make: Factory):
    return make.user("admin")


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_admin_registers_a_webhook_and_sees_the_secret_once(login_as):
    admin = login_as("admin")
    response = admin.submit("/webhooks", {"url": "https://cms.example/hook",
                                          "events": ["article.approved", "claim.verdict_final"], "active": "y"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    hook = db.session.scalar(select(Webhook))
    assert hook.url == "https://cms.example/hook" and hook.active
    assert hook.event_set == {"article.approved", "claim.verdict_final"}
    assert f"<code class=\"secret\">{hook.secret}</code>" in page
    assert hook.secret not in admin.get("/webhooks").get_data(as_text=True)
    assert hook.secret not in admin.get(f"/webhooks/{hook.id}").get_data(as_text=True)
    [event] = _events("webhook.registered")
    assert event.actor_id == admin.user.id and event.object_id == hook.id


def test_a_webhook_can_be_registered_disabled(login_as):
    admin = login_as("admin")
    assert admin.submit("/webhooks", {"url": "https://cms.example/hook", "events": ["article.published"]}) \
        .status_code == 201
    assert db.session.scalar(select(Webhook)).active is False


@pytest.mark.parametrize(("data", "message"), [
    ({"url": "", "events": ["article.approved"]}, "Enter the receiver"),
    ({"url": "https://cms.example/hook"}, "Choose at least one event."),
    ({"url": "https://cms.example/hook", "events": ["claim.deleted"]}, "is not a valid choice"),
    ({"url": "ftp://cms.example/hook", "events": ["article.approved"]}, "must be an http:// or https:// address"),
])
def test_bad_input_is_shown_on_the_form(login_as, data, message):
    response = login_as("admin").submit("/webhooks", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Webhook.id))) == 0


def test_every_form_needs_its_csrf_token(login_as, admin):
    client = login_as("admin")
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["article.approved"]).webhook
    assert client.post("/webhooks", data={"url": "https://x.example/h", "events": ["article.approved"]}) \
        .status_code == 400
    for action in ("disable", "delete"):
        client.post(f"/webhooks/{hook.id}/{action}")
    db.session.expire_all()
    assert db.session.get(Webhook, hook.id).active
    assert db.session.scalar(select(func.count(Webhook.id))) == 1


def test_disable_enable_and_delete(login_as, admin, make):
    client = login_as("admin")
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["claim.verdict_final"]).webhook
    assert client.submit(f"/webhooks/{hook.id}/disable").status_code == 302
    db.session.expire_all()
    assert not db.session.get(Webhook, hook.id).active
    page = client.get(f"/webhooks/{hook.id}").get_data(as_text=True)
    assert "disabled" in page and "Enable" in page
    assert client.submit(f"/webhooks/{hook.id}/enable").status_code == 302
    db.session.expire_all()
    assert db.session.get(Webhook, hook.id).active
    make.final_claim()  # one delivery, removed with the webhook
    hook_id = hook.id
    response = client.submit(f"/webhooks/{hook_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/webhooks")
    assert db.session.scalar(select(func.count(Webhook.id))) == 0
    assert db.session.scalar(select(func.count(WebhookDelivery.id))) == 0
    assert [e.actor_id for e in _events("webhook.disabled") + _events("webhook.enabled") + _events("webhook.deleted")] \
        == [client.user.id] * 3
    assert client.get(f"/webhooks/{hook_id}").status_code == 404


def test_the_delivery_log_shows_status_attempts_answers_and_next_attempt(login_as, admin, make, clock):
    client = login_as("admin")
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["claim.verdict_final"]).webhook
    make.final_claim()
    make.final_claim()
    answers = [webhooks.Answer(500, "Internal trouble at the CMS"), webhooks.Answer(None, "", "ConnectionRefusedError")]
    assert webhooks.deliver_due(ctx(), send=lambda url, body, headers: answers.pop(0)) == 2
    page = client.get(f"/webhooks/{hook.id}").get_data(as_text=True)
    rows = re.findall(r'<tr class="delivery-pending">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    newest, oldest = cells
    assert oldest[1] == "claim.verdict_final" and oldest[3] == "pending" and oldest[4] == "1"
    assert oldest[5] == "500" and oldest[8] == "HTTP 500: Internal trouble at the CMS"
    assert newest[5] == "—" and newest[8] == "ConnectionRefusedError"
    assert "<time" in oldest[7]  # the next attempt is shown while it is pending
    listing = client.get("/webhooks").get_data(as_text=True)
    assert "0 delivered, 2 pending, 0 failed" in listing


def test_the_delivery_log_is_paged(login_as, admin, make, monkeypatch):
    import factcheck.views.webhooks as view

    client = login_as("admin")
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["claim.verdict_final"]).webhook
    for _ in range(3):
        make.final_claim()
    monkeypatch.setattr(view, "DELIVERIES_PER_PAGE", 2)
    first = client.get(f"/webhooks/{hook.id}").get_data(as_text=True)
    older = re.search(r'href="([^"]+before=\d+)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert first.count('class="delivery-pending"') == 2 and second.count('class="delivery-pending"') == 1
    assert "Newest" in second and "before=" not in second.split("Newest")[1]


@pytest.mark.parametrize("role", ["checker", "editor", "manager"])
def test_the_pages_are_for_admins_only(login_as, admin, role):
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["article.approved"]).webhook
    client = login_as(role)
    assert client.get("/webhooks").status_code == 403
    assert client.get(f"/webhooks/{hook.id}").status_code == 403
    assert client.submit("/webhooks", {"url": "https://x.example/h", "events": ["article.approved"]}).status_code == 403
    assert client.submit(f"/webhooks/{hook.id}/delete").status_code == 403
    assert "/webhooks" not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Webhook.id))) == 1


def test_the_admin_navigation_links_the_page(login_as):
    page = login_as("admin").get("/webhooks").get_data(as_text=True)
    assert re.search(r'<a href="/webhooks" aria-current="page">Webhooks</a>', page)
