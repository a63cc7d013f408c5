"""Fixtures of the browser tests: one live server, one Chromium and one sign-in per person for the
whole session (of each xdist worker).

Browser tests run on SQLite only (a temporary, migrated database seeded with the demo newsroom);
the database layer is covered on SQLite and PostgreSQL by the rest of the suite. They skip, with
the reason, when no Chromium is installed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.live import (
    ACTION_TIMEOUT_MS,
    EXPECT_TIMEOUT_MS,
    BrowserUnavailable,
    LiveServer,
    launch_chromium,
    prepare_database,
    sign_in,
)


@pytest.fixture(scope="session")
def live_server(scratch_dir: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    directory = scratch_dir / "browser"
    directory.mkdir()
    url = prepare_database(directory, migrated=sqlite_template)
    server = LiveServer(url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements-dev.txt
        pytest.skip("Playwright is not installed (pip install -r requirements-dev.txt)")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except BrowserUnavailable as reason:
            pytest.skip(str(reason))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def signed_in(browser, live_server) -> Callable[[str], dict]:
    """signed_in(email) -> the cookies of a session signed in as that person. Each person signs in
    through the login form once per worker; their later pages start from that session, as a
    browser that stays signed in does."""
    states: dict[str, dict] = {}

    def state(email: str) -> dict:
        if email not in states:
            context = browser.new_context(base_url=live_server.url)
            try:
                sign_in(context.new_page(), live_server.url, email)
                states[email] = context.storage_state()
            finally:
                context.close()
        return states[email]

    return state


@pytest.fixture
def open_page(browser, live_server, signed_in):
    """open_page(email) -> a Page in its own browser context (own cookies), signed in as that user
    and on the home page (``start``: another page; None, or signed out: a blank page)."""
    contexts = []

    def opener(email: str | None = None, *, width: int = 1280, height: int = 900, start: str | None = "/"):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url,
                                      storage_state=signed_in(email) if email else None)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts: the person says yes
        if email and start:
            page.goto(start)
            if "/login" in page.url:
                raise AssertionError(f"the session of {email} was not kept: {page.url}")
        return page

    yield opener
    for context in contexts:
        context.close()


# A receiver's address as a CMS gives it: long, without a space to wrap at.
WEBHOOK_URL = "https://cms.northwire.example/integrations/factcheck/webhooks/verdicts-and-approvals"


@pytest.fixture(scope="session")
def webhook_with_deliveries(live_server: LiveServer) -> int:
    """The id of a webhook with a delivery in every state (the demo newsroom has none), for the
    admins' webhook pages. Registered through the service; the deliveries are written as the
    sender leaves them, without waiting for events and a receiver."""
    from datetime import timedelta

    from factcheck.extensions import db
    from factcheck.models import WebhookDelivery
    from factcheck.services import users, webhooks
    from tests.support.context import ctx

    with live_server.app.app_context():
        context = ctx()
        admin = users.find_by_email(context.session, "admin@demo.test")
        hook = webhooks.register_webhook(context, actor=admin, url=WEBHOOK_URL, events=list(webhooks.EVENTS)).webhook
        now = context.now()
        for n, (event, status, attempts, answer, error) in enumerate([
            ("claim.verdict_final", "delivered", 1, 200, None),
            ("article.approved", "pending", 2, 503, None),
            ("article.published", "failed", 5, None, "Connection refused by cms.northwire.example (timed out after 5 s)"),
            ("claim.text_changed", "pending", 0, None, None),
        ]):
            context.session.add(WebhookDelivery(
                webhook_id=hook.id, event=event, payload={"event": event}, status=status, attempts=attempts,
                created_at=now - timedelta(minutes=10 - n), next_attempt_at=now + timedelta(minutes=n),
                last_attempt_at=now if attempts else None, response_status=answer, error=error,
                response_body="Service Unavailable: the CMS is being updated" if answer == 503 else None))
        context.session.commit()
        webhook_id = hook.id
        db.session.remove()
    return webhook_id
