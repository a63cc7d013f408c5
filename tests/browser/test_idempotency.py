"""A form sent twice from a real browser is carried out once, and two notes in a row are two notes
(issue 12, point 5). SQLite only, like the other browser tests; the keys themselves are tested on
both databases in tests/views/test_idempotency.py."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CLAIM = "third-largest port by tonnage"
ALREADY_SAVED = "This was already saved — nothing was sent twice."


def _open_claim(page: Page) -> str:
    page.goto("/queue")
    page.get_by_role("link", name=re.compile(re.escape(CLAIM))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")
    page.wait_for_load_state()
    return page.url


def _notes_saying(page: Page, text: str):
    return page.locator("#notes-panel .note-body", has_text=text)


def _settled(page: Page) -> None:
    """Until no request of the page is on its way (htmx marks the form while it sends)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_load_state("networkidle")


def test_two_notes_in_a_row_are_two_notes_and_a_double_click_is_one(open_page):
    page = open_page("checker2@demo.test")
    url = _open_claim(page)
    page.evaluate("window.__sameDocument = true")
    for text in ("Idempotency: the first of two notes.", "Idempotency: the second of two notes."):
        form = page.locator("#note-form")
        form.get_by_label("Note", exact=True).fill(text)
        form.get_by_role("button", name="Post note").click()
        expect(_notes_saying(page, text)).to_have_count(1)
        expect(page.locator("#flashes").get_by_role("status")).to_have_text(re.compile("Note posted"))
    assert page.evaluate("window.__sameDocument") is True  # both were partial updates

    double = "Idempotency: a note sent with a double click."
    page.locator("#note-form").get_by_label("Note", exact=True).fill(double)
    page.locator("#note-form").get_by_role("button", name="Post note").dblclick()
    expect(_notes_saying(page, double)).to_have_count(1)
    _settled(page)
    page.goto(url)
    expect(_notes_saying(page, double)).to_have_count(1)
    expect(_notes_saying(page, "the first of two notes")).to_have_count(1)
    expect(_notes_saying(page, "the second of two notes")).to_have_count(1)


def _lose_the_first_answer(page: Page) -> list:
    """The first post of a note reaches the server, which saves it, but its answer never reaches the
    browser (the connection drops): the page stays as it was, the text and the form's key with it."""
    held: list = []
    page.route("**/claims/*/notes", lambda route: held.append(route) if not held else route.continue_())
    return held


def _deliver_to_server_and_drop(page: Page, held: list) -> None:
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    saved = held[0].fetch(max_redirects=0)
    assert saved.status == 302  # saved on the server
    held[0].abort("connectionreset")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "plain-form"])
def test_sending_a_note_again_after_its_answer_was_lost_saves_it_once(browser, live_server, javascript):
    from tests.browser.live import ACTION_TIMEOUT_MS, sign_in

    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "checker2@demo.test")
        url = _open_claim(page)
        text = f"Idempotency: sent, its answer lost, sent again ({'htmx' if javascript else 'plain form'})."
        held = _lose_the_first_answer(page)
        page.locator("#note-form").get_by_label("Note", exact=True).fill(text)
        page.locator("#note-form").get_by_role("button", name="Post note").click(no_wait_after=True)
        _deliver_to_server_and_drop(page, held)
        if javascript:
            # The page stays as it was: the person sends the form again, as it is.
            page.locator("#note-form").get_by_role("button", name="Post note").click()
        else:
            # The browser shows its "connection reset" page; reloading it sends the post again (the
            # "Confirm Form Resubmission" a person says yes to).
            expect(page).to_have_url(re.compile("^chrome-error:"))
            page.reload()
        expect(page.locator("#flashes")).to_contain_text(ALREADY_SAVED)
        expect(_notes_saying(page, text)).to_have_count(1)
        page.goto(url)
        expect(_notes_saying(page, text)).to_have_count(1)
    finally:
        context.close()
