"""Fixtures of the browser tests: one live server and one Chromium for the whole session.

Browser tests run on SQLite only (a temporary, migrated database seeded with the demo newsroom);
the database layer is covered on SQLite and PostgreSQL by the rest of the suite. They skip, with
the reason, when no Chromium is installed.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.live import BrowserUnavailable, LiveServer, launch_chromium, prepare_database, sign_in


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = prepare_database(tmp_path_factory.mktemp("browser"))
    server = LiveServer(url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements-dev.txt
        pytest.skip("Playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except BrowserUnavailable as reason:
            pytest.skip(str(reason))
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(email) -> a Page in its own browser context (own cookies), signed in as that user."""
    contexts = []

    def opener(email: str | None = None, *, width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts: the person says yes
        if email:
            sign_in(page, live_server.url, email)
        return page

    yield opener
    for context in contexts:
        context.close()
