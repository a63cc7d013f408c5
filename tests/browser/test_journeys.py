"""The desk's daily work, driven through a real Chromium: an editor marks a claim by selecting
text, a checker works it, a second editor accepts the verdict, the article passes the gate, the
manager reads the audit log; and two editors saving the same claim at once.

SQLite only (see conftest.py); the rules themselves are tested on both databases elsewhere.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# The emoji and the accented letter before the passage make JavaScript's UTF-16 offsets differ from
# Python's code-point offsets; the claim must still land on the right characters.
ARTICLE_TEXT = (
    "Brennvik opens its new town library\n"
    "BRENNVIK, May 2 (Northwire) - Café 🙂 owners on the square welcomed the new town library on Saturday.\n"
    "The library holds 48,000 books and cost 12 million crowns, mayor Ilse Brandt said.\n"
    "Visitors queued in the rain before the doors opened at nine.\n"
)
PASSAGE = "The library holds 48,000 books and cost 12 million crowns"


def _select_with_mouse(page: Page, passage: str) -> None:
    """Drag the mouse from the passage's first character to its last, like a person."""
    box = page.evaluate(
        """(passage) => {
            const root = document.getElementById('article-text');
            const text = root.textContent;
            const start = text.indexOf(passage), end = start + passage.length;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node, seen = 0, from = null, to = null;
            while ((node = walker.nextNode())) {
                const len = node.data.length;
                if (from === null && start < seen + len) from = [node, start - seen];
                if (to === null && end <= seen + len) to = [node, end - seen];
                seen += len;
            }
            const rectOf = (node, offset) => {
                const range = document.createRange();
                range.setStart(node, offset); range.setEnd(node, offset + 1);
                return range.getClientRects()[0];
            };
            const first = rectOf(from[0], from[1]), last = rectOf(to[0], to[1] - 1);
            return {x0: first.left + 1, y0: first.top + first.height / 2,
                    x1: last.right - 1, y1: last.top + last.height / 2};
        }""",
        passage,
    )
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move((box["x0"] + box["x1"]) / 2, (box["y0"] + box["y1"]) / 2, steps=4)
    page.mouse.move(box["x1"], box["y1"], steps=4)
    page.mouse.up()


# Selects the passage as the keyboard (or a script) would: one range over it, no mouse.
_SELECT_PASSAGE = """(passage) => {
    const root = document.getElementById('article-text');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const at = node.data.indexOf(passage);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + passage.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return;
        }
    }
}"""


def _expect_flash(page: Page, text: str | re.Pattern) -> None:
    """Wait until the page's one flash message is this one. Strict: a second message on the page
    (an earlier action's left beside it) fails the assertion instead of satisfying it."""
    expect(page.locator("#flashes").get_by_role("status")).to_contain_text(text)


def _add_evidence(page: Page, url: str, title: str, excerpt: str, question: str) -> None:
    form = page.locator("form:has(#url)")
    form.locator("#url").fill(url)
    form.locator("#title").fill(title)
    form.locator("#excerpt").fill(excerpt)
    form.locator("#stance").select_option("supports")
    if form.locator("#question").count():
        form.locator("#question").select_option(question)
    form.get_by_role("button", name="Add evidence").click()
    # The new source in the list: an earlier "Evidence added." must not be taken for this one's.
    expect(page.locator("#evidence-panel").get_by_role("link", name=title)).to_be_visible()
    _expect_flash(page, "Evidence added")


def _dismiss_suggestions(page: Page, article_url: str) -> None:
    """The suggester may have proposed claims of its own; the editor dismisses them."""
    for _ in range(20):
        page.goto(article_url)
        card = page.locator("li.claim-card.status-suggested").first
        if card.count() == 0:
            return
        claim_href = card.locator("a[href*='/claims/']").first.get_attribute("href")
        page.goto(claim_href)
        page.locator("#reason").fill("Not needed for this test story.")
        page.get_by_role("button", name="Dismiss claim").click()
        _expect_flash(page, "dismissed")
        expect(page.locator("#claim-status")).to_contain_text("dismissed")
    raise AssertionError("suggested claims kept coming back")


def test_from_selection_to_approval_and_audit(open_page):
    # (a) The editor brings the article in by pasting it.
    editor = open_page("editor@demo.test")
    editor.goto("/articles/new")
    editor.locator("#title").fill("Brennvik opens its new town library")
    editor.locator("#outlet").fill("Northwire")
    editor.locator("#text").fill(ARTICLE_TEXT)
    editor.locator("form:has(#text) button[type=submit]").click()
    expect(editor.locator("h1")).to_have_text("Brennvik opens its new town library")
    article_url = editor.url.split("#")[0]
    article_id = int(re.search(r"/articles/(\d+)", article_url).group(1))
    # The text on the page is the revision's text, character for character.
    assert editor.locator("#article-text").evaluate("el => el.textContent") == ARTICLE_TEXT

    # ... marks a claim by selecting its text with the mouse ...
    _select_with_mouse(editor, PASSAGE)
    make_claim = editor.get_by_role("button", name="Make a claim of this")
    expect(make_claim).to_be_visible()
    make_claim.click()
    expect(editor.locator("#quote")).to_have_value(PASSAGE)
    start = ARTICLE_TEXT.index(PASSAGE)  # Python's (code point) offsets, as the server counts them
    expect(editor.locator("#start")).to_have_value(str(start))
    expect(editor.locator("#end")).to_have_value(str(start + len(PASSAGE)))
    expect(editor.locator("#statement")).to_be_focused()
    editor.keyboard.type("Brennvik's new library holds 48,000 books and cost 12 million crowns.")
    editor.locator("#claimant").fill("Ilse Brandt")
    editor.get_by_role("button", name="Add claim").click()
    _expect_flash(editor, re.compile(r"Claim \d+ added"))
    claim_id = int(re.search(r"#claim-(\d+)", editor.url).group(1))
    mark = editor.locator(f"#claim-mark-{claim_id}")
    expect(mark).to_have_text(PASSAGE)  # anchored on exactly the selected characters
    expect(mark).to_have_attribute("data-status", "open")

    _dismiss_suggestions(editor, article_url)

    # ... and assigns it to a checker.
    editor.goto(f"/claims/{claim_id}")
    assign = editor.locator(f"form[action$='/claims/{claim_id}/assign']")
    assign.get_by_label("Checker").select_option(label="Chen Checker (checker@demo.test)")
    assign.get_by_role("button", name="Assign").click()
    _expect_flash(editor, "Claim assigned")

    # (b) The checker finds it in My queue, adds evidence and proposes a verdict.
    checker = open_page("checker@demo.test")
    checker.get_by_role("link", name="My queue").click()
    expect(checker.get_by_role("heading", level=1)).to_have_text("My queue")
    checker.locator(f"main a[href$='/claims/{claim_id}']").click()
    # An attributed claim answers two questions, "was it said?" and "is it accurate?", each with evidence.
    _add_evidence(checker, "https://example.org/brennvik/mayor-speech", "Mayor's opening speech (video)",
                  "We now hold 48,000 books.", question="attribution")
    _add_evidence(checker, "https://example.org/brennvik/library-budget", "Brennvik town budget 2026, culture section",
                  "New central library: 48,000 volumes; construction 12.0 MSEK.", question="substance")
    if checker.locator("#attribution_verdict").count():
        checker.locator("#attribution_verdict").select_option("confirmed")
    checker.locator("#verdict").select_option("verified")
    checker.locator("#rationale").fill("The mayor said it on video and the town budget gives both figures.")
    checker.get_by_role("button", name="Propose verdict").click()
    _expect_flash(checker, "Verdict proposed")
    expect(checker.locator("#claim-status")).to_contain_text("proposed")

    # (c) The first editor's approval is refused while the verdict waits, with the blocking list ...
    editor.goto(article_url)
    editor.get_by_role("button", name="Approve article").click()
    gate = editor.get_by_role("region", name="Blocking approval")
    expect(gate).to_be_visible()
    expect(gate.locator(f"a[href$='/claims/{claim_id}']")).to_be_visible()
    expect(gate).to_contain_text("proposed")

    # ... a second editor accepts the verdict from the review queue ...
    reviewer = open_page("editor2@demo.test")
    reviewer.get_by_role("link", name="Review queue").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Review queue")
    reviewer.locator(f"main a[href$='/claims/{claim_id}']").click()
    reviewer.get_by_role("button", name=re.compile("Accept verdict")).click()
    _expect_flash(reviewer, "final")

    # ... and now the approval goes through.
    editor.goto(article_url)
    editor.get_by_role("button", name="Approve article").click()
    _expect_flash(editor, "approved")
    expect(editor.get_by_role("region", name="Blocking approval")).to_have_count(0)

    # (d) The manager reads what happened in the audit log.
    manager = open_page("manager@demo.test")
    manager.goto(f"/audit?article={article_id}")
    log = manager.get_by_role("table", name="Audit events, newest first")
    # The action's code, and beside it what it means to a desk.
    approved = log.locator("td.action").filter(has=manager.locator("code", has_text="article.approved"))
    expect(approved).to_be_visible()
    expect(approved).to_contain_text("approved the article")
    actions = {text.strip() for text in log.locator("td.action code").all_inner_texts()}
    # Marking a passage the suggester had already proposed accepts that suggestion.
    assert actions & {"claim.created", "claim.accepted"}, actions
    assert {"article.created", "claim.assigned", "evidence.added", "verdict.proposed", "verdict.accepted",
            "article.approved"} <= actions, actions


def test_two_editors_assigning_the_same_claim_see_an_edit_conflict(open_page, live_server):
    first = open_page("editor@demo.test")
    second = open_page("editor2@demo.test")
    # An open claim of the demo's hospital story that nobody has assigned yet.
    first.goto("/articles")
    first.get_by_role("link", name="Northgate hospital waiting times fell by a fifth").click()
    card = first.locator("li.claim-card.status-open").first
    claim_href = card.locator("a[href*='/claims/']").first.get_attribute("href")

    first.goto(claim_href)
    second.goto(claim_href)  # both start from the same version
    first_form = first.locator("form[action$='/assign']")
    second_form = second.locator("form[action$='/assign']")
    expect(second_form.locator("input[name=version]")).to_have_value(
        first_form.locator("input[name=version]").input_value())

    first_form.get_by_label("Checker").select_option(label="Chen Checker (checker@demo.test)")
    first_form.get_by_role("button", name="Assign").click()
    _expect_flash(first, "Claim assigned")

    second_form.get_by_label("Checker").select_option(label="Carla Checker (checker2@demo.test)")
    second_form.get_by_label("Priority").select_option("urgent")
    second_form.get_by_role("button", name="Assign").click()
    heading = second.get_by_role("heading", name="Edit conflict")
    conflict = second.get_by_role("alert").filter(has=heading)
    expect(conflict).to_be_visible()
    expect(heading).to_be_visible()
    # Both values are shown: what the other editor saved and what this one tried.
    row = conflict.locator("tr", has=second.locator("th", has_text="priority"))
    expect(row).to_contain_text("normal")
    expect(row).to_contain_text("urgent")
    assignee_row = conflict.locator("tr", has=second.locator("th", has_text="assignee"))
    expect(assignee_row.locator("td")).to_have_count(2)
    saved, attempted = assignee_row.locator("td").all_inner_texts()
    assert saved.strip() != attempted.strip()
    # Nothing is lost: the second editor's input is still in the form, the first one's is saved.
    form = second.locator("form[action$='/assign']")
    expect(form.get_by_label("Checker")).to_have_value(re.compile(r"\d+"))
    assert form.get_by_label("Checker").evaluate("el => el.selectedOptions[0].textContent") == "Carla Checker (checker2@demo.test)"
    expect(form.get_by_label("Priority")).to_have_value("urgent")
    expect(second.get_by_role("region", name="The claim in context")).to_contain_text("Chen Checker")


def test_selection_tool_works_from_the_keyboard(open_page):
    editor = open_page("editor@demo.test")
    editor.goto("/articles")
    editor.get_by_role("link", name="Valmora port handled record cargo last year").click()
    editor.wait_for_load_state()  # the page and its scripts are there before the keyboard is used
    text = editor.locator("#article-text").evaluate("el => el.textContent")
    passage = "Dock workers' union leader Marco Ferrant"
    button = editor.locator("#make-claim-button")
    # A selection made with the keyboard (caret browsing): Tab reaches the button, Escape hides it.
    editor.evaluate(_SELECT_PASSAGE, passage)
    expect(button).to_be_visible()
    editor.keyboard.press("Tab")
    expect(button).to_be_focused()
    editor.keyboard.press("Escape")
    expect(button).to_be_hidden()

    editor.evaluate(_SELECT_PASSAGE, passage)
    expect(button).to_be_visible()
    editor.keyboard.press("Tab")
    editor.keyboard.press("Enter")
    expect(editor.locator("#quote")).to_have_value(passage)
    expect(editor.locator("#start")).to_have_value(str(text.index(passage)))
    expect(editor.locator("#statement")).to_be_focused()
    expect(button).to_be_hidden()


def test_a_passage_selected_while_the_page_still_loads_is_offered(open_page):
    """A person who selects a passage before the page's scripts have run (a slow connection) still gets
    the "Make a claim of this" button: selection.js looks at the selection when it starts."""
    editor = open_page("editor@demo.test")
    editor.goto("/articles")
    href = editor.get_by_role("link", name="Valmora port handled record cargo last year").get_attribute("href")
    held = []
    editor.route("**/js/selection.js", lambda route: held.append(route))  # held back until a passage is selected
    editor.goto(href, wait_until="commit")
    editor.locator("#article-text").wait_for(state="attached")
    editor.evaluate(_SELECT_PASSAGE, "Dock workers' union leader Marco Ferrant")
    expect(editor.locator("#make-claim-button")).to_have_count(0)  # no script yet, no button
    assert held, "the page asked for selection.js"
    held[0].continue_()
    expect(editor.get_by_role("button", name="Make a claim of this")).to_be_visible()
