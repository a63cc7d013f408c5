"""htmx partial updates: the page changes in place, and the same action still works without
JavaScript. SQLite only, like the other browser tests."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import ACTION_TIMEOUT_MS

pytestmark = pytest.mark.browser

HOSPITAL = "Northgate hospital waiting times fell by a fifth"


def _open_article(page, title: str) -> None:
    page.goto("/articles")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.wait_for_load_state()  # htmx has set the page up: a click now is a partial update


def _flash(page):
    """The one flash message of the page (strict: two messages fail the assertion)."""
    return page.locator("#flashes").get_by_role("status")


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
    expect(_flash(page)).to_have_text(re.compile("Suggestion accepted"))
    expect(page.locator(f"#article-text mark[data-claim-id='{card_id.split('-')[1]}']")).to_have_attribute(
        "data-status", "open")
    assert page.evaluate("window.__sameDocument") is True  # no navigation happened


def test_evidence_is_added_in_place_and_errors_show_inline(open_page):
    page = open_page("checker2@demo.test")
    page.goto("/queue")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")
    page.wait_for_load_state()
    page.evaluate("window.__sameDocument = true")
    form = page.locator("#evidence-form")
    form.get_by_label("Source URL").fill("not a url")
    form.get_by_label("Title").fill("Port authority press release")
    _choose_question(form)
    form.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-form #url-error")).to_be_visible()
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
        expect(_flash(page)).to_have_text(re.compile("Claim dismissed"))
        expect(page.locator(f"#{card_id} .badge")).to_have_text("dismissed")
    finally:
        context.close()


def test_long_import_shows_progress_and_dismiss_asks_first(browser, live_server):
    from tests.browser.live import sign_in

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
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
        expect(page.locator("#new-article-form").get_by_role("status")).to_have_text(
            "Reading the article and finding its claims…")
        expect(button).to_be_disabled()

        page.goto("/articles/new")  # a fresh page, without the submit blocker
        page.locator("#title").fill("Quiet harbour")
        page.locator("#text").fill("The harbour handled 12 ships on Monday, the port office said.\n")
        page.get_by_role("button", name="Save article and suggest claims").click()
        expect(_flash(page)).to_have_text(re.compile("Article saved"))
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        card = _first_suggestion(page)
        card.get_by_role("button", name="Dismiss").click()
        expect(card.locator(".badge")).to_have_text("suggested")  # the person said no
        assert asked and "Dismiss claim" in asked[0]
    finally:
        context.close()


# ---- flash messages: one at a time, the last action's -------------------------------------------

def _open_queue_claim(page, label: str) -> None:
    page.goto("/queue")
    page.get_by_role("link", name=re.compile(re.escape(label))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")
    page.wait_for_load_state()


def test_two_partial_updates_in_a_row_leave_one_flash_the_second(open_page):
    page = open_page("checker2@demo.test")
    _open_queue_claim(page, "third-largest port by tonnage")
    page.evaluate("window.__sameDocument = true")
    form = page.locator("#evidence-form")
    form.get_by_label("Source URL").fill("https://port.example/tonnage-ranking")
    form.get_by_label("Title").fill("National port tonnage ranking")
    _choose_question(form)
    form.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#evidence-panel").get_by_role("link", name="National port tonnage ranking")).to_be_visible()
    expect(_flash(page)).to_have_text(re.compile("Evidence added"))

    page.locator("#note-form").get_by_label("Note", exact=True).fill("The ranking puts Valmora third.")
    page.locator("#note-form").get_by_role("button", name="Post note").click()
    expect(page.locator("#notes-panel").get_by_text("The ranking puts Valmora third.")).to_be_visible()
    expect(_flash(page)).to_have_count(1)
    expect(_flash(page)).to_have_text(re.compile("Note posted"))
    expect(page.locator("#flashes")).not_to_contain_text("Evidence added")
    assert page.evaluate("window.__sameDocument") is True


def test_a_form_sent_while_a_partial_update_is_on_its_way_shows_only_its_own_message(open_page):
    """The evidence is saved (its message is in the session) but the partial update has not fetched
    the page yet when the checker sends the verdict form: the verdict's page must not show the
    evidence's message beside its own."""
    page = open_page("checker2@demo.test")
    _open_queue_claim(page, "expansion cost 380 million euros")
    held = []
    page.route("**/claims/*/evidence", lambda route: held.append(route))
    form = page.locator("#evidence-form")
    form.get_by_label("Source URL").fill("https://port.example/expansion-accounts")
    form.get_by_label("Title").fill("Port expansion final accounts")
    _choose_question(form)
    form.get_by_role("button", name="Add evidence").click()
    for _ in range(100):  # the partial update's POST, stopped on its way
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    # The server saves the evidence and puts "Evidence added." in the session; the browser's
    # request has not had the answer yet.
    answer = held[0].fetch(max_redirects=0)
    assert answer.status == 302

    page.locator("#attribution_verdict").select_option("confirmed")
    page.locator("#verdict").select_option("misleading")
    page.locator("#rationale").fill("The accounts give 365 million, not 380.")
    page.get_by_role("button", name="Propose verdict").click()
    held[0].fulfill(response=answer)

    expect(_flash(page)).to_have_text(re.compile("Verdict proposed"))
    expect(page.locator("#flashes")).not_to_contain_text("Evidence added")
    expect(page.locator("#claim-status")).to_contain_text("proposed")
    expect(page.locator("#evidence-panel").get_by_role("link", name="Port expansion final accounts")).to_be_visible()


def _choose_question(form) -> None:
    """An attributed claim's evidence form asks which question it answers, with none chosen for them."""
    question = form.locator("select[name=question]")
    if question.count():
        question.select_option("substance")
