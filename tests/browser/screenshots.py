"""`make screenshots`: PNGs of the desk's main pages for the README, into docs/screenshots/.

    python -m tests.browser.screenshots [OUT_DIR]

Each main page at 1280 px wide (full page), the article page also at 360 px, the selection tool in
action, and the 404 page. Runs the real app on a temporary SQLite database with the demo newsroom.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from factcheck import create_app
from factcheck.extensions import db
from tests.browser.live import PROJECT_ROOT, LiveServer, app_config, launch_chromium, prepare_database, sign_in
from tests.browser.pages import demo_ids, main_pages

MAX_HEIGHT = 2200


def _shoot(browser, server: LiveServer, email: str | None, path: str, out: Path, width: int = 1280,
           full_page: bool = True, before=None) -> bool:
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
    try:
        page = context.new_page()
        if email:
            sign_in(page, server.url, email)
        response = page.goto(server.url + path)
        if response is None or (response.status == 404 and "404" not in out.name):
            return False
        if before:
            before(page)
        if full_page:  # the whole page, up to a readable length (long logs are cut, not shrunk)
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
            page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(out))
        print(f"wrote {out.relative_to(PROJECT_ROOT) if out.is_relative_to(PROJECT_ROOT) else out}")
        return True
    finally:
        context.close()


def _select_a_passage(page) -> None:
    page.evaluate("""() => {
        const root = document.getElementById('article-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf('Dock workers');
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, node.data.indexOf(' disputed', at));
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                return;
            }
        }
    }""")
    page.locator("#make-claim-button").wait_for(state="visible")


def capture(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = prepare_database(Path(tmp))
        app = create_app(app_config(url))
        with app.app_context():
            ids = demo_ids(db.session)
            db.engine.dispose()
        server = LiveServer(url)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for page in main_pages(ids):
                    if not _shoot(browser, server, page.email, page.path, out_dir / f"{page.name}.png"):
                        print(f"skipped {page.name}: {page.path} is not there yet")
                _shoot(browser, server, "editor@demo.test", f"/articles/{ids['article']}",
                       out_dir / "article-360.png", width=360)
                _shoot(browser, server, "editor@demo.test", f"/articles/{ids['article']}",
                       out_dir / "select-to-claim.png", full_page=False, before=_select_a_passage)
                _shoot(browser, server, "editor@demo.test", "/articles/999999", out_dir / "error-404.png",
                       full_page=False)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    capture(Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "docs" / "screenshots")
