"""Issue 13, point 7, for the pages the first round left as tables (the dashboard, the webhooks, an
edit conflict): at 360 px every list is a stack of cards, nothing scrolls sideways, no word is cut,
and the dashboard's charts give way to their figures; at 1280 px they are tables and charts.
Screenshots go to pytest's temporary folder. SQLite only, like the other browser tests.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Claim, User
from factcheck.services import evidence
from tests.browser.conftest import WEBHOOK_URL
from tests.browser.live import AXE_JS
from tests.browser.test_accessibility import _describe, _violations
from tests.browser.test_desk import BROKEN_WORDS, COST, WRAPS_ANYWHERE

pytestmark = pytest.mark.browser

# Each table a person can see in <main>, and how it is drawn.
SHOWN_TABLES = """() => Array.from(document.querySelectorAll('main table'))
    .filter(t => t.checkVisibility({visibilityProperty: true}))
    .map(t => ({
        kind: t.classList.contains('cards') ? 'cards' : t.classList.contains('chart-figures') ? 'figures' : 'table',
        display: getComputedStyle(t).display,
        head: t.tHead ? t.tHead.getBoundingClientRect().height : 0,
        columns: t.tHead ? t.tHead.rows[0].cells.length : 0,
        right: Math.max(0, ...Array.from(t.tBodies[0].rows).map(r => r.getBoundingClientRect().right)),
        // Each card's title above its other lines.
        titlesFirst: Array.from(t.tBodies[0].rows).every(r => {
            const title = r.querySelector(':scope > .card-title');
            return !title || Array.from(r.cells).every(c => c === title || c.getBoundingClientRect().height === 0
                || c.getBoundingClientRect().top >= title.getBoundingClientRect().bottom - 1);
        }),
    }))"""


def _fits_a_phone(page: Page, width: int) -> None:
    path = page.url
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), f"{path} scrolls sideways"
    assert page.evaluate(BROKEN_WORDS, "main, .site-header") == [], path
    assert page.evaluate(WRAPS_ANYWHERE) == [], path
    for table in page.evaluate(SHOWN_TABLES):
        if width == 360:
            # Cards, or a chart's two columns of figures: no table of many columns squeezed in.
            assert table["kind"] in ("cards", "figures"), (path, table)
            if table["kind"] == "cards":
                assert table["display"] == "block" and table["head"] <= 1 and table["titlesFirst"], (path, table)
            else:
                assert table["columns"] == 2, (path, table)
            assert table["right"] <= width, (path, table)
        else:
            assert table["kind"] != "figures" and table["display"] == "table" and table["head"] > 10, (path, table)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_dashboard_and_the_webhooks_are_cards_on_a_phone(open_page, tmp_path, webhook_with_deliveries, width):
    pages = [("dashboard", "/dashboard", "manager@demo.test"), ("webhooks", "/webhooks", "admin@demo.test"),
             ("webhook", f"/webhooks/{webhook_with_deliveries}", "admin@demo.test")]
    seen: dict[str, Page] = {}
    for name, path, email in pages:
        page = seen.get(email) or seen.setdefault(email, open_page(email, width=width, height=800, start=None))
        assert page.goto(path).status == 200
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        _fits_a_phone(page, width)
        cards = page.locator("main table.cards > tbody > tr")
        assert cards.count() >= (4 if name == "webhook" else 1), path

        if name == "dashboard":
            drawings, figures = page.locator("svg.chart-plot"), page.locator("table.chart-figures")
            assert drawings.count() == figures.count() >= 3
            for n in range(drawings.count()):
                if width == 360:  # the figures instead of a drawing whose labels would be 7 px high
                    expect(drawings.nth(n)).to_be_hidden()
                    expect(figures.nth(n)).to_be_visible()
                    size = figures.nth(n).locator("tbody th").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
                    assert size >= 13
                else:
                    expect(drawings.nth(n)).to_be_visible()
                    expect(figures.nth(n)).to_be_hidden()
            overdue = page.locator("section[aria-labelledby=overdue] table.cards > tbody > tr").first
            expect(overdue.locator(".card-title")).to_have_text(re.compile(r"\S"))
        elif name == "webhooks":
            expect(page.get_by_role("link", name=WEBHOOK_URL)).to_be_visible()
        else:
            expect(page.get_by_role("heading", level=1)).to_contain_text(WEBHOOK_URL)
            failed = cards.filter(has_text="article.published")
            expect(failed).to_contain_text("Connection refused by cms.northwire.example")
            if width == 360:
                expect(failed.locator("td[data-label='Last error']")).to_be_visible()
    assert len(list(tmp_path.glob(f"*-{width}.png"))) == len(pages)


def test_the_other_lists_fit_a_phone(open_page, live_server, tmp_path):
    """The lists that are not tables (the article's claims, a claim's history and evidence, the
    revisions, the report, an object's audit timeline): nothing squeezed, cut or sideways at 360 px."""
    from tests.browser.pages import demo_ids

    with live_server.app.app_context():
        ids = demo_ids(db.session)
        db.session.remove()
    article, claim = ids["article"], ids["claim"]
    pages = [("article", f"/articles/{article}", "editor@demo.test"),
             ("claim", f"/claims/{claim}", "editor@demo.test"),
             ("revision", f"/articles/{article}/revisions/1", "editor@demo.test"),
             ("report", f"/articles/{article}/report", "manager@demo.test"),
             ("timeline", f"/audit/timeline/claim/{claim}", "manager@demo.test")]
    seen: dict[str, Page] = {}
    for name, path, email in pages:
        page = seen.get(email) or seen.setdefault(email, open_page(email, width=360, height=800, start=None))
        assert page.goto(path).status == 200, path
        page.screenshot(path=str(tmp_path / f"{name}-360.png"), full_page=True)
        _fits_a_phone(page, 360)


# ---- an edit conflict on the evidence page --------------------------------------------------------

def _evidence_to_edit(live_server, title: str) -> tuple[int, int]:
    """A piece of evidence of the test's own on Carla's claim (the cost of the port expansion)."""
    from tests.support.context import ctx

    with live_server.app.app_context():
        context = ctx()
        claim = context.session.scalar(select(Claim).where(Claim.quote.contains(COST)))
        carla = context.session.scalar(select(User).where(User.email == "checker2@demo.test"))
        item = evidence.add_evidence(context, actor=carla, claim=claim, url="https://example.org/eu/valmora",
                                     title=title, stance="context", question="substance")
        ids = claim.id, item.id
        db.session.remove()
    return ids


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_two_people_editing_one_evidence_the_second_is_told_and_keeps_their_input(
        browser, live_server, open_page, tmp_path, scripts):
    from tests.browser.live import sign_in

    title = f"EU funding notice ({'with' if scripts else 'without'} scripts)"
    claim_id, evidence_id = _evidence_to_edit(live_server, title)
    url = f"/claims/{claim_id}/evidence/{evidence_id}/edit"
    carla = open_page("checker2@demo.test", start=url)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740},
                                  java_script_enabled=scripts)
    try:
        if scripts:
            context.add_init_script(path=AXE_JS)
        edith = context.new_page()
        sign_in(edith, live_server.url, "editor@demo.test")
        edith.goto(url)
        expect(edith.get_by_label("Title")).to_have_value(title)

        carla.get_by_label("Title").fill(title + ", final cost")
        carla.get_by_role("button", name="Save evidence").click()
        expect(carla.locator("#flashes")).to_contain_text("Evidence updated")

        edith.get_by_label("Title").fill("EU notice: 365 million euros")
        edith.get_by_label("Excerpt quoted from the source").fill("Final eligible cost: EUR 365 million.")
        edith.get_by_role("button", name="Save evidence").click()
        conflict = edith.get_by_role("alert").filter(has=edith.get_by_role("heading", name="Edit conflict"))
        expect(conflict).to_contain_text("Someone else changed this evidence since you read it.")
        title_row = conflict.locator("tbody tr").filter(has=edith.get_by_role("rowheader", name="Title"))
        expect(title_row.locator("td[data-label='Saved by the other person']")).to_have_text(title + ", final cost")
        expect(title_row.locator("td[data-label='Your input']")).to_have_text("EU notice: 365 million euros")
        expect(edith.get_by_label("Title")).to_have_value("EU notice: 365 million euros")
        expect(edith.get_by_label("Excerpt quoted from the source")).to_have_value("Final eligible cost: EUR 365 million.")
        edith.screenshot(path=str(tmp_path / "evidence-conflict-360.png"), full_page=True)
        _fits_a_phone(edith, 360)
        if scripts:  # axe is a script: it can only look with scripts on
            for width in (360, 1280):
                edith.set_viewport_size({"width": width, "height": 800})
                assert not (found := _violations(edith)), _describe(found)
            edith.set_viewport_size({"width": 360, "height": 740})

        # Having seen Carla's change, Edith saves hers over it.
        edith.get_by_role("button", name="Save evidence").click()
        expect(edith.locator("#flashes")).to_contain_text("Evidence updated")
        expect(edith.locator("#evidence-panel")).to_contain_text("EU notice: 365 million euros")
    finally:
        context.close()
