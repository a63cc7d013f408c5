"""The article list and the two queues show a page of rows at a time, with previous and next links that
keep the list's filters (issue 15: a list's page must not grow with the newsroom)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from factcheck.services import claims
from tests.support.context import configure, ctx
from tests.support.factories import SECOND_CLAIM

THIRD_CLAIM = "its chair said"


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def _articles_shown(page: str) -> list[str]:
    return re.findall(r'<td class="card-title"><a href="/articles/\d+">([^<]+)</a>', page)


@pytest.fixture
def small_pages(app):
    configure(app, page_size=2)


def test_the_article_list_pages_forward_and_back_keeping_its_filters(make, login_as, small_pages):
    editor = make.user("editor")
    for n in range(5):
        make.article(editor, title=f"Tram story {n}")
    make.article(editor, title="Harbour story")
    client = login_as(editor)

    first = _text(client.get("/articles?q=tram"))
    assert _articles_shown(first) == ["Tram story 4", "Tram story 3"]
    assert _link(first, "prev") is None and "Articles 1–2" in first
    second_url = _link(first, "next")
    assert second_url == "/articles?q=tram&page=2"

    second = _text(client.get(second_url))
    assert _articles_shown(second) == ["Tram story 2", "Tram story 1"]
    assert _link(second, "prev") == "/articles?q=tram" and _link(second, "next") == "/articles?q=tram&page=3"

    last = _text(client.get("/articles?q=tram&page=3"))
    assert _articles_shown(last) == ["Tram story 0"]
    assert _link(last, "next") is None and _link(last, "prev") == "/articles?q=tram&page=2"
    assert "Articles 5–5" in last


def test_the_article_list_keeps_its_status_filter_in_the_links(make, login_as, small_pages):
    editor = make.user("editor")
    for n in range(3):
        make.article(editor, title=f"Draft {n}")
    page = _text(login_as(editor).get("/articles?status=draft&q=Draft"))
    assert set(re.findall(r"[?&](\w+)=", _link(page, "next") or "")) == {"q", "status", "page"}


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "99999999999999999999", "%00", ""])
def test_a_bad_page_number_shows_the_first_page(make, login_as, small_pages, page):
    editor = make.user("editor")
    for n in range(3):
        make.article(editor, title=f"Story {n}")
    client = login_as(editor)
    shown = _text(client.get(f"/articles?page={page}"))
    assert _articles_shown(shown) == ["Story 2", "Story 1"] and _link(shown, "prev") is None
    assert _text(login_as("checker").get(f"/queue?page={page}"))
    assert _text(client.get(f"/review?page={page}"))


def test_a_page_past_the_end_says_so_and_links_back(make, login_as, small_pages):
    editor = make.user("editor")
    make.article(editor, title="Only story")
    page = _text(login_as(editor).get("/articles?page=7"))
    assert "Page 7 is past the end of this list." in page and 'href="/articles">Back to the first page' in page
    assert _articles_shown(page) == [] and _link(page, "next") is None and _link(page, "prev") is None


def test_my_queue_pages_in_order_of_urgency(make, login_as, small_pages):
    editor, checker = make.user("editor"), make.user("checker")
    article = make.article(editor)
    due = {}
    for quote, days in (("The council voted 27 to 4", 3), (SECOND_CLAIM, 1), (THIRD_CLAIM, 2)):
        claim = claims.add_claim(ctx(), actor=editor, article=article, quote=quote)
        claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date.today() + timedelta(days=days))
        due[days] = claim.id
    client = login_as(checker)
    first = _text(client.get("/queue"))
    assert "Showing the 2 most urgent of your 3 open claims" in first
    assert first.index(f'/claims/{due[1]}"') < first.index(f'/claims/{due[2]}"') and f'/claims/{due[3]}"' not in first
    second = _text(client.get(_link(first, "next")))
    assert f'/claims/{due[3]}"' in second and f'/claims/{due[1]}"' not in second
    assert _link(second, "next") is None and _link(second, "prev") == "/queue"
    assert "Showing the" not in second and "Claims 3–3" in second


def test_the_review_queue_pages_oldest_first(make, login_as, small_pages):
    editor, checker = make.user("editor"), make.user("checker")
    article = make.article(editor)
    proposed = [make.proposed_claim(checker, article=article, editor=editor, quote=quote).id
                for quote in ("The council voted 27 to 4", SECOND_CLAIM, THIRD_CLAIM)]
    client = login_as(editor)
    first = _text(client.get("/review"))
    assert all(f'/claims/{i}"' in first for i in proposed[:2]) and f'/claims/{proposed[2]}"' not in first
    second = _text(client.get(_link(first, "next")))
    assert f'/claims/{proposed[2]}"' in second and _link(second, "next") is None
    assert _link(second, "prev") == "/review"
