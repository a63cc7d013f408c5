"""Speed as felt: what each main page costs a browser with an empty cache.

    python bench/bench_pages.py [--claims 100] [--json]

Seeds a temporary SQLite database with the demo newsroom plus an article of N claims (a third of
them assigned to the demo checker, so the queue is full and the audit log long), serves the real
app on a free local port, and loads each main page in headless Chromium with the cache cleared.
For each page it reports the HTML size, the bytes of everything fetched after it, the number of
those requests, and the load time. Targets: under 200 KB in total and at most 5 requests after
the HTML. Exits 1 when a page misses them.

Sizes are as served by this (uncompressed) server; gzip, which a production proxy adds, shrinks
the text files to about a quarter (shown in the gz column).
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import Article, Claim, User  # noqa: E402
from tests.browser.live import LiveServer, app_config, launch_chromium, prepare_database, sign_in  # noqa: E402
from tests.browser.pages import MainPage  # noqa: E402

BUDGET_BYTES = 200_000
BUDGET_REQUESTS = 5


def seed_big_article(claim_count: int):
    def seed(session) -> None:
        from factcheck.services import articles, claims

        editor = session.scalar(select(User).where(User.email == "editor@demo.test"))
        checker = session.scalar(select(User).where(User.email == "checker@demo.test"))
        sentences = [f"Official {n} said the district counted {1000 + 37 * n} new homes in year {1990 + n % 30}."
                     for n in range(claim_count)]
        text = "A long report with many claims\n" + "\n".join(sentences) + "\n"
        article = articles.create_article(session, actor=editor, title="A long report with many claims", text=text,
                                          outlet="Benchwire")
        for n, sentence in enumerate(sentences):
            claim = claims.add_claim(session, actor=editor, article=article, quote=sentence.rstrip("."),
                                     claimant=f"Official {n}")
            if n % 3 == 0:
                claims.assign(session, actor=editor, claim=claim, assignee=checker)
    return seed


def measure(browser, server: LiveServer, page_spec: MainPage) -> dict | None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        if page_spec.email:
            sign_in(page, server.url, page_spec.email)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        fetched: list[dict] = []
        encoded: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.on("requestfinished", lambda request: fetched.append({"url": request.url}))
        started = time.perf_counter()
        response = page.goto(server.url + page_spec.path, wait_until="load")
        page.wait_for_load_state("networkidle")
        elapsed = time.perf_counter() - started
        if response is None or response.status == 404:
            return None
        html_url = response.url
        rows = []
        for request_id, url in urls.items():
            if url.startswith("data:"):
                continue
            body = b""
            with contextlib.suppress(Exception):  # a body the browser no longer holds
                body = cdp.send("Network.getResponseBody", {"requestId": request_id}).get("body", "").encode()
            rows.append({"url": url, "bytes": encoded.get(request_id, 0), "gz": len(gzip.compress(body)) if body else 0})
        html = [r for r in rows if r["url"] == html_url]
        after = [r for r in rows if r["url"] != html_url]
        return {
            "page": page_spec.name, "path": page_spec.path, "status": response.status,
            "html_bytes": sum(r["bytes"] for r in html), "after_bytes": sum(r["bytes"] for r in after),
            "total_bytes": sum(r["bytes"] for r in rows), "total_gz": sum(r["gz"] for r in rows),
            "requests_after_html": len(after), "load_ms": round(elapsed * 1000),
            "after": [r["url"].replace(server.url, "") for r in after],
        }
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = prepare_database(Path(tmp), seed=seed_big_article(args.claims))
        app = create_app(app_config(url))
        with app.app_context():
            big = db.session.scalar(select(Article.id).where(Article.title == "A long report with many claims"))
            claim = db.session.scalar(select(Claim.id).where(Claim.article_id == big, Claim.status == "assigned"))
            db.engine.dispose()
        pages = [
            MainPage("login", "/login", None),
            MainPage("articles", "/articles", "editor@demo.test"),
            MainPage(f"article ({args.claims} claims)", f"/articles/{big}", "editor@demo.test"),
            MainPage("claim", f"/claims/{claim}", "editor@demo.test"),
            MainPage("my queue", "/queue", "checker@demo.test"),
            MainPage("review queue", "/review", "editor2@demo.test"),
            MainPage("audit log", "/audit", "manager@demo.test"),
            MainPage("dashboard", "/dashboard", "manager@demo.test"),
        ]
        server = LiveServer(url)
        results = []
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for spec in pages:
                    result = measure(browser, server, spec)
                    if result is not None:
                        results.append(result)
                browser.close()
        finally:
            server.stop()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'page':<24}{'HTML':>10}{'after':>10}{'total':>10}{'total gz':>10}{'req':>5}{'ms':>7}")
        for r in results:
            print(f"{r['page']:<24}{r['html_bytes']:>10,}{r['after_bytes']:>10,}{r['total_bytes']:>10,}"
                  f"{r['total_gz']:>10,}{r['requests_after_html']:>5}{r['load_ms']:>7}")
        print(f"targets: total < {BUDGET_BYTES:,} bytes, at most {BUDGET_REQUESTS} requests after the HTML")
        print("fetched after the HTML:", ", ".join(results[0]["after"]) if results else "-")
    over = [r["page"] for r in results
            if r["total_bytes"] >= BUDGET_BYTES or r["requests_after_html"] > BUDGET_REQUESTS]
    if over:
        print("over budget:", ", ".join(over))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
