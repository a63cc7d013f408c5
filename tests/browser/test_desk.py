"""The desk hears about its work (issue 13), played in Chromium as the people would: replies in a
claim's conversation, mentions chosen from suggestions with the keyboard, notifications grouped by
claim with the badge following, the lists as cards on a phone, and who else has a claim open.

SQLite only, like the other browser tests (see conftest.py); the rules are tested on both databases
in tests/services and tests/views.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim

pytestmark = pytest.mark.browser

COST = "expansion cost 380 million euros"
VOTE = "voted 31 to 9 on Monday"
BOXES = "Container traffic rose 12 percent"
HOSPITAL_SHIFTS = "evening operating shifts"


def _claim_id(live_server, words: str) -> int:
    with live_server.app.app_context():
        claim_id = db.session.scalar(select(Claim.id).where(Claim.quote.contains(words)))
        db.session.remove()
    assert claim_id, words
    return claim_id


def _open_claim(page: Page, claim_id: int) -> None:
    page.goto(f"/claims/{claim_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Claim {claim_id}")
    page.wait_for_load_state()  # the scripts have run: htmx and the mention suggestions are ready


def _flash(page: Page):
    return page.locator("#flashes").get_by_role("status")


# ---- threaded replies -----------------------------------------------------------------------------

def test_a_reply_lands_in_its_thread_in_place_and_without_javascript(open_page, browser, live_server):
    from tests.browser.live import sign_in

    claim_id = _claim_id(live_server, COST)
    page = open_page("checker2@demo.test")
    _open_claim(page, claim_id)
    page.evaluate("window.__sameDocument = true")
    thread = page.locator("#notes-panel ol.notes > li.thread").nth(1)  # the editor's note to Carla
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("The EU notice lists 365 million as the final cost.")
    thread.get_by_role("button", name="Post reply").click()
    reply = page.locator("#notes-panel ol.notes > li.thread").nth(1).locator("ol.replies > li")
    expect(reply).to_contain_text("The EU notice lists 365 million")
    expect(reply).to_contain_text("Carla Checker")
    expect(_flash(page)).to_have_text(re.compile("Reply posted"))
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the conversation only

    # An empty reply is refused beside the reply box, in its thread.
    first = page.locator("#notes-panel ol.notes > li.thread").first
    first.locator("summary", has_text="Reply").click()
    first.get_by_role("button", name="Post reply").click()
    expect(page.locator("#notes-panel ol.notes > li.thread").first.locator(".error")).to_contain_text("Write the note")

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        plain = context.new_page()
        sign_in(plain, live_server.url, "editor@demo.test")
        plain.goto(f"/claims/{claim_id}")
        first = plain.locator("#notes-panel ol.notes > li.thread").first
        first.locator("summary", has_text="Reply").click()  # <details> opens without a script
        first.get_by_label("Your reply").fill("The press office confirms 365 million.")
        first.get_by_role("button", name="Post reply").click()
        expect(_flash(plain)).to_have_text(re.compile("Reply posted"))
        expect(plain.locator("#notes-panel ol.notes > li.thread").first.locator("ol.replies")).to_contain_text(
            "The press office confirms 365 million.")
    finally:
        context.close()


# ---- mentions -----------------------------------------------------------------------------------

def test_a_colleague_is_mentioned_by_name_chosen_with_the_keyboard(open_page, live_server):
    claim_id = _claim_id(live_server, VOTE)
    page = open_page("checker@demo.test")
    _open_claim(page, claim_id)
    box = page.locator("#note-form").get_by_label("Note", exact=True)
    box.click()
    box.press_sequentially("Minutes attached, @che", delay=20)
    listbox = page.get_by_role("listbox", name="People to mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    # "Checker" begins with "che": both checkers but not the writer herself, the first highlighted.
    expect(options).to_have_text(["Carla Checker (checker2@demo.test)"])
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Escape")
    expect(listbox).to_be_hidden()

    box.press_sequentially(" and @ed", delay=20)
    expect(options).to_have_text(["Edith Editor (editor@demo.test)", "Evan Second-Editor (editor2@demo.test)"])
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Minutes attached, @che and @[Edith Editor] ")
    page.locator("#note-form").get_by_role("button", name="Post note").click()
    expect(page.locator("#notes-panel")).to_contain_text("and @[Edith Editor]")

    editor = open_page("editor@demo.test", start="/notifications")
    expect(editor.locator(f"#notifications-claim-{claim_id}")).to_contain_text("Chen Checker mentioned you")


def test_a_name_nobody_has_is_refused_beside_the_note_and_the_text_kept(open_page, live_server):
    page = open_page("checker@demo.test")
    _open_claim(page, _claim_id(live_server, VOTE))
    box = page.locator("#note-form").get_by_label("Note", exact=True)
    box.fill("@[Chen Li] could you look at the minutes?")
    page.locator("#note-form").get_by_role("button", name="Post note").click()
    expect(page.locator("#note-form .error")).to_contain_text("Nobody on the desk is called “Chen Li”")
    expect(page.locator("#note-form").get_by_label("Note", exact=True)).to_have_value(
        "@[Chen Li] could you look at the minutes?")


# ---- notifications by claim -----------------------------------------------------------------------

def _badge(page: Page) -> int:
    badge = page.locator(".main-nav").get_by_role("link", name=re.compile("^Notifications")).locator(".count-badge")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_notifications_are_grouped_by_claim_and_the_badge_follows(open_page):
    page = open_page("checker2@demo.test", start="/notifications")
    groups = page.locator("ol.notification-groups > li")
    expect(groups.first).to_be_visible()
    unread = [int(m.group(1)) for text in groups.locator(".group-count").all_inner_texts()
              if (m := re.search(r"(\d+) new", text))]
    assert sum(unread) == _badge(page) > 0
    titles = groups.locator(".group-title").all_inner_texts()
    assert len(titles) == len(set(titles))  # one group per claim
    for group in groups.all():  # each group's newest first
        times = group.locator("ol.notifications time").evaluate_all("els => els.map(e => e.dateTime)")
        assert times == sorted(times, reverse=True)

    first = groups.filter(has=page.locator(".unread-badge")).first
    opened = int(re.search(r"(\d+) new", first.locator(".group-count").inner_text()).group(1))
    before = _badge(page)
    first.locator(".group-title a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")
    assert _badge(page) == before - opened
    page.goto("/notifications")
    assert _badge(page) == before - opened


# ---- a phone ------------------------------------------------------------------------------------

LIST_PAGES = [("my-queue", "/queue", "checker@demo.test"), ("review-queue", "/review", "editor2@demo.test"),
              ("claims", "/claims", "editor@demo.test"), ("articles", "/articles", "editor@demo.test"),
              ("notifications", "/notifications", "checker2@demo.test"), ("audit-log", "/audit", "manager@demo.test"),
              ("users", "/users", "admin@demo.test")]

# Words (split at spaces and hyphens) drawn on more than one line: a word broken in the middle.
# Hashes, ids and URLs longer than 30 characters are not words and may break; what is not shown (a
# closed <details>, the hidden menu) is not looked at.
BROKEN_WORDS = """(selector) => {
    const broken = [];
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            if (!node.parentElement.checkVisibility({visibilityProperty: true})) continue;
            const words = /[^\\s\\-‐–—]+/g;
            let m;
            while ((m = words.exec(node.data))) {
                if (m[0].length > 30) continue;
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0)
                                     .map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(m[0]);
            }
        }
    }
    return broken;
}"""
# Cells (and the labels drawn before them) that may cut a word anywhere.
WRAPS_ANYWHERE = """() => Array.from(document.querySelectorAll('table.cards td, table.cards th')).flatMap(el =>
    [getComputedStyle(el), getComputedStyle(el, '::before')].filter(s =>
        s.wordBreak === 'break-all' || s.overflowWrap === 'anywhere').map(() => el.textContent.trim().slice(0, 30)))"""


@pytest.mark.parametrize("width", [360, 1280])
def test_lists_are_cards_on_a_phone_and_tables_on_a_desk(open_page, tmp_path, width):
    seen = {}
    for name, path, email in LIST_PAGES:
        page = seen.get(email) or seen.setdefault(email, open_page(email, width=width, height=800, start=None))
        assert page.goto(path).status == 200
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), f"{path} scrolls sideways"
        assert page.evaluate(BROKEN_WORDS, "main, .site-header") == [], path
        assert page.evaluate(WRAPS_ANYWHERE) == [], path
        lists = page.locator("main table.list")
        if lists.count():
            shown = lists.first.evaluate("t => [getComputedStyle(t).display, t.tHead.getBoundingClientRect().height]")
            if width == 360:
                assert shown[0] == "block" and shown[1] <= 1, f"{path}: not cards"
                cards = page.locator("main table.cards > tbody > tr")
                widths = cards.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().width)")
                assert widths and max(widths) <= width, path
            else:
                assert shown[0] == "table" and shown[1] > 10, f"{path}: not a table"
    assert len(list(tmp_path.glob(f"*-{width}.png"))) == len(LIST_PAGES)


def test_the_phone_menu_keeps_the_badges_and_opens_without_javascript(browser, live_server, open_page):
    from tests.browser.live import sign_in

    for scripts in (True, False):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740},
                                      java_script_enabled=scripts)
        try:
            page = context.new_page()
            sign_in(page, live_server.url, "checker2@demo.test")
            page.goto("/queue")
            menu = page.locator("details.nav-menu > summary")
            expect(menu).to_be_visible()
            expect(menu.locator(".count-badge").filter(has_text="unread")).to_be_visible()
            expect(menu.locator(".count-badge").filter(has_text="to check")).to_be_visible()
            notifications = page.get_by_role("link", name=re.compile("^Notifications"))
            expect(notifications).to_be_hidden()
            menu.click()
            expect(notifications).to_be_visible()
            expect(notifications.locator(".count-badge")).to_be_visible()
            assert _side_by_side(page)  # "Sign out" is never on a line of its own
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
            notifications.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
        finally:
            context.close()

    desk = open_page("checker2@demo.test", width=1280)
    expect(desk.locator("details.nav-menu")).to_be_hidden()
    expect(desk.get_by_role("link", name=re.compile("^Notifications"))).to_be_visible()
    assert _side_by_side(desk)


def _side_by_side(page: Page) -> bool:
    """"Account" and "Sign out" share a line (their middles at the same height), each on one line."""
    account = page.locator(".who").get_by_role("link", name="Account").bounding_box()
    sign_out = page.get_by_role("button", name="Sign out").bounding_box()
    middle = lambda box: box["y"] + box["height"] / 2  # noqa: E731
    return abs(middle(account) - middle(sign_out)) < 4 and sign_out["height"] < 48


# ---- who else has the claim open --------------------------------------------------------------------

def test_others_see_who_has_a_claim_open(open_page, live_server):
    claim_id = _claim_id(live_server, BOXES)
    checker = open_page("checker@demo.test", start=None)
    with checker.expect_response(lambda r: r.url.endswith(f"/claims/{claim_id}/presence")
                                 and r.request.method == "POST") as beat:
        _open_claim(checker, claim_id)
    assert beat.value.status == 200
    expect(checker.locator("#presence")).not_to_contain_text("Chen Checker")  # not told about herself

    editor = open_page("editor@demo.test", start=None)
    with editor.expect_response(lambda r: r.url.endswith(f"/claims/{claim_id}/presence")):
        _open_claim(editor, claim_id)
    expect(editor.locator("#presence")).to_contain_text(
        re.compile(r"Chen Checker has this claim open since \d\d:\d\d UTC"))

    # The editor's page has the claim's forms open too: the checker sees her when she looks again.
    _open_claim(checker, claim_id)
    expect(checker.locator("#presence")).to_contain_text(re.compile(r"Edith Editor has this claim open since"))

    manager = open_page("manager@demo.test", start=None)  # reads, changes nothing: not counted
    _open_claim(manager, claim_id)
    expect(manager.locator("#presence")).to_contain_text("Chen Checker has this claim open")
    _open_claim(editor, claim_id)
    expect(editor.locator("#presence")).to_contain_text("Chen Checker has this claim open")
    expect(editor.locator("#presence")).not_to_contain_text("Mona Manager")
