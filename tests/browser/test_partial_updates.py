"""htmx partial updates: the page changes in place, and the same action still works without
JavaScript. SQLite only, like the other browser tests."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOSPITAL = "Northgate hospital waiting times fell by a fifth"


def _open_article(page, title: str) -> None:
    page.goto("/articles")
    page.get_by_role("link", name=title).click()


def _first_suggestion(page):
    return page.locator("li.claim-card", has=page.locator(".triage")).first


def test_triage_updates_the_card_without_a_page_load(open_page):
    page = open_page("editor@demo.test")
    _open_article(page, HOSPITAL)
    page.evaluate("window.__sameDocument = true")
    card = _first_suggestion(page)
    card_id = card.get_attribute("id")
    card.get_by_role("button", name="Accept").click()
    updated = page.locator(f"#{card_id}")
    expect(updated.locator(".badge")).to_have_text("open")
    expect(page.locator("#flashes")).to_contain_text("Suggestion accepted")
    expect(page.locator(f"#article-text mark[data-claim-id='{card_id.split('-')[1]}']")).to_have_attribute(
        "data-status", "open")
    assert page.evaluate("window.__sameDocument") is True  # no navigation happened


def test_evidence_is_added_in_place_and_errors_show_inline(open_page):
    page = open_page("checker2@demo.test")
    page.goto("/queue")
    page.locator("table.list a").first.click()
    page.evaluate("window.__sameDocument = true")
    form = page.locator("#evidence-form")
    form.get_by_label("Source URL").fill("not a url")
    form.get_by_label("Title").fill("Port authority press release")
    form.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-form .error").first).to_be_visible()
    expect(page.locator("#evidence-form").get_by_label("Title")).to_have_value("Port authority press release")
    page.locator("#evidence-form").get_by_label("Source URL").fill("https://port.example/press")
    page.locator("#evidence-form").get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-panel")).to_contain_text("Port authority press release")
    expect(page.locator("#history-panel")).to_contain_text("evidence.added")
    assert page.evaluate("window.__sameDocument") is True


def test_the_same_actions_work_without_javascript(browser, live_server):
    from tests.browser.live import sign_in

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "editor@demo.test")
        _open_article(page, HOSPITAL)
        card = _first_suggestion(page)
        card_id = card.get_attribute("id")
        card.get_by_role("button", name="Dismiss").click()
        expect(page.locator("#flashes")).to_contain_text("Claim dismissed")
        expect(page.locator(f"#{card_id} .badge")).to_have_text("dismissed")
    finally:
        context.close()


def test_long_import_shows_progress_and_dismiss_asks_first(browser, live_server):
    from tests.browser.live import sign_in

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "editor@demo.test")
        page.goto("/articles/new")
        # Keep the page (stop the navigation after app.js has handled the submit) to look at it.
        page.evaluate("window.addEventListener('submit', (event) => event.preventDefault())")
        page.locator("#title").fill("Quiet harbour")
        page.locator("#text").fill("The harbour handled 12 ships on Monday, the port office said.\n")
        button = page.get_by_role("button", name="Save article and suggest claims")
        button.click()
        expect(page.locator("#new-article-form .progress")).to_be_visible()
        expect(button).to_be_disabled()

        page.goto("/articles/new")  # a fresh page, without the submit blocker
        page.locator("#title").fill("Quiet harbour")
        page.locator("#text").fill("The harbour handled 12 ships on Monday, the port office said.\n")
        page.get_by_role("button", name="Save article and suggest claims").click()
        expect(page.locator("#flashes")).to_contain_text("Article saved")
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        card = _first_suggestion(page)
        card.get_by_role("button", name="Dismiss").click()
        expect(card.locator(".badge")).to_have_text("suggested")  # the person said no
        assert asked and "Dismiss claim" in asked[0]
    finally:
        context.close()
