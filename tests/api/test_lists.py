"""Lists are keyset-paged with an opaque cursor: every item once, in order, whatever the page size."""
from __future__ import annotations

from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM


def _walk(api, path: str, **query) -> tuple[list[int], int]:
    seen: list[int] = []
    pages = 0
    cursor = None
    while True:
        response = api.get(path, query_string={**query, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages += 1
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            assert "Link" not in response.headers
            return seen, pages
        assert 'rel="next"' in response.headers["Link"] and cursor in response.headers["Link"]


def test_articles_are_paged_newest_first(app, api_as, make):
    editor = make.user("editor")
    ids = [make.article(editor, title=f"Story {n}").id for n in range(5)]
    seen, pages = _walk(api_as("checker"), "/articles", limit=2)
    assert seen == sorted(ids, reverse=True) and pages == 3


def test_claims_are_paged_and_filtered(app, api_as, make):
    editor = make.user("editor")
    claims = []
    for _ in range(3):
        article = make.article(editor)
        claims += [make.claim(article, FIRST_CLAIM, editor), make.claim(article, SECOND_CLAIM, editor)]
    api = api_as("checker")
    seen, pages = _walk(api, "/claims", limit=4)
    assert seen == sorted((c.id for c in claims), reverse=True) and pages == 2
    one_article = claims[0].article_id
    seen, _ = _walk(api, "/claims", limit=1, article=one_article)
    assert seen == sorted((c.id for c in claims if c.article_id == one_article), reverse=True)
    assert _walk(api, "/claims", status="final") == ([], 1)


def test_the_audit_log_is_paged_for_managers(app, api_as, make):
    make.claim()
    api = api_as("manager")
    seen, pages = _walk(api, "/audit", limit=3)
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) and pages > 1
    first = api.get("/audit", query_string={"limit": 1}).get_json()["items"][0]
    assert first["action"] == "token.issued" and first["hash"]


def test_a_pages_query_count_does_not_grow_with_its_items(app, api_as, make, count_queries):
    editor = make.user("editor")
    api = api_as("checker")
    article = make.article(editor)
    make.claim(article, FIRST_CLAIM, editor)
    api.get("/articles")  # the token's last use is recorded once, here

    def counted(path: str) -> int:
        with count_queries() as statements:
            assert api.get(path).status_code == 200
        return len(statements)

    few = {path: counted(path) for path in ("/articles", "/claims")}
    for _ in range(4):
        more = make.article(editor)
        make.claim(more, FIRST_CLAIM, editor)
        make.claim(more, SECOND_CLAIM, editor)
    assert {path: counted(path) for path in few} == few
