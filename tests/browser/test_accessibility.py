"""axe-core (vendored, tests/browser/vendor/axe.min.js) finds no serious or critical violation on
the desk's main pages, at desktop and phone widths. SQLite only (see conftest.py)."""
from __future__ import annotations

import pytest

from factcheck import create_app
from factcheck.extensions import db
from tests.browser.live import AXE_JS, app_config
from tests.browser.pages import demo_ids, main_pages

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}
# At phone width, the pages whose layout changes most (axe takes a couple of seconds a page): every
# list (cards on a phone) and the pages with the most forms.
NARROW_PAGES = {"login", "article", "claim", "my-queue", "review-queue", "claims", "articles", "notifications",
                "audit-log", "users", "dashboard"}


@pytest.fixture(scope="module")
def pages(live_server):
    app = create_app(app_config(live_server.app.config["SQLALCHEMY_DATABASE_URI"]))
    with app.app_context():
        ids = demo_ids(db.session)
        db.engine.dispose()
    return main_pages(ids)


def _with_axe(page):
    """axe-core in every document the page's context opens (sent to the browser once, rather than
    half a megabyte of script for each page)."""
    page.context.add_init_script(path=AXE_JS)
    return page


def _violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in BLOCKING]


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}" for v in violations)


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_have_no_serious_accessibility_violation(open_page, pages, width):
    problems: dict[str, str] = {}
    checked = []
    signed_in: dict[str | None, object] = {}
    for main_page in pages:
        if width < 800 and main_page.name not in NARROW_PAGES:
            continue
        if main_page.email not in signed_in:
            signed_in[main_page.email] = _with_axe(open_page(main_page.email, width=width, start=None))
        page = signed_in[main_page.email]
        response = page.goto(main_page.path)
        assert response is not None and response.status == 200, f"{main_page.path}: {response and response.status}"
        checked.append(main_page.name)
        violations = _violations(page)
        if violations:
            problems[main_page.path] = _describe(violations)
    expected = [p.name for p in pages if width >= 800 or p.name in NARROW_PAGES]
    assert checked == expected and len(checked) >= (13 if width >= 800 else 11), checked
    assert not problems, "\n\n".join(f"{path}\n{text}" for path, text in problems.items())


def test_error_pages_are_accessible(open_page):
    page = _with_axe(open_page("editor@demo.test"))
    response = page.goto("/articles/987654")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text()
    assert not _violations(page), _describe(_violations(page))


@pytest.mark.parametrize("width", [1280, 360])
def test_the_webhook_pages_are_accessible(open_page, webhook_with_deliveries, width):
    """The admins' webhook pages, with a webhook and its deliveries listed (cards on a phone)."""
    page = _with_axe(open_page("admin@demo.test", width=width, start=None))
    problems = {}
    for path in ("/webhooks", f"/webhooks/{webhook_with_deliveries}"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("main table.cards > tbody > tr").count() >= 1, path
        if violations := _violations(page):
            problems[path] = _describe(violations)
    assert not problems, "\n\n".join(f"{path}\n{text}" for path, text in problems.items())
