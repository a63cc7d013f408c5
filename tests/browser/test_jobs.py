"""A long job as a person sees it: the import's page shows progress and then opens the article, with
JavaScript (htmx polls) and without it (the page reloads itself)."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STORY = ("Harbour council backs night ferries\n"
         "The council will fund four night crossings a week from May, its chair Ida Brandt said on Monday.\n")


@pytest.fixture
def slow_jobs(live_server) -> Iterator[None]:
    """Every job answers with its page, as a long import does."""
    config = live_server.app.config
    before = config["FACTCHECK_JOB_INLINE_WAIT"]
    config["FACTCHECK_JOB_INLINE_WAIT"] = 0
    yield
    config["FACTCHECK_JOB_INLINE_WAIT"] = before


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_an_import_shows_its_progress_then_the_article(open_page, browser, live_server, signed_in, slow_jobs,
                                                        javascript):
    if javascript:
        page = open_page("editor@demo.test", start="/articles/new")
    else:
        context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                      storage_state=signed_in("editor@demo.test"))
        page = context.new_page()
        page.goto("/articles/new")
    title = f"Night ferries ({'htmx' if javascript else 'plain'})"
    page.get_by_label("Title").fill(title)
    page.locator("textarea[name=text]").fill(STORY)
    page.get_by_role("button", name="Save article and suggest claims").click()
    # The job's page first (it may already be done when it loads), then the article, by itself.
    page.wait_for_url(re.compile(r"/(jobs|articles)/\d+$"))
    page.wait_for_url(re.compile(r"/articles/\d+$"), timeout=30_000)
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("#flashes")).to_contain_text("suggested claim(s)")
    if not javascript:
        page.context.close()
