"""The printable fact-check report and its schema.org ClaimReview JSON-LD."""
from __future__ import annotations

import json
import re

from factcheck.services import articles, claims
from tests.support.context import ctx
from tests.support.statements import without_user


def _json_ld(page: str) -> list[dict]:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def test_report_lists_claims_and_publishes_claim_reviews(make, login_as, count_queries):
    editor = make.user("editor")
    final = make.final_claim(verdict="false", editor=editor)
    claims.resolve(ctx(), actor=editor, claim=final, resolution="kept_with_attribution", note="Fixed in the copy.")
    open_claim = claims.add_claim(ctx(), actor=editor, article=final.article,
                                  quote="The line will cost 210 million euros", claimant="the </script> office")
    client = login_as("checker")
    page = client.get(f"/articles/{final.article_id}/report").get_data(as_text=True)
    assert "Fact-check report" in page and "The minutes say so." in page and "Council minutes" in page
    assert "No final verdict yet." in page and "Fixed in the copy." in page
    reviews = _json_ld(page)
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == final.statement
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "False", "ratingValue": 1,
                                      "bestRating": 5, "worstRating": 1}
    assert review["url"].endswith(f"/articles/{final.article_id}/report#claim-{final.id}")
    assert page.count("</script>") == page.count("<script")  # the claimant's text cannot close the block
    assert open_claim.claimant in page.replace("&lt;/script&gt;", "</script>")
    url = f"/articles/{final.article_id}/report"
    with count_queries() as few:
        client.get(url)
    for quote in ("Critics said the money", "would be better spent on buses"):
        extra = claims.add_claim(ctx(), actor=editor, article=final.article, quote=quote)
        claims.assign(ctx(), actor=editor, claim=extra, assignee=make.user("checker"))
    with count_queries() as many:
        client.get(url)
    # The signed-in user is read after the commits and kept before them on SQLite: not the report's.
    assert len(without_user(many)) == len(without_user(few))


def test_report_of_an_article_without_claims(make, login_as):
    article = make.article()
    page = login_as("manager").get(f"/articles/{article.id}/report").get_data(as_text=True)
    assert "No claims have been checked" in page and _json_ld(page) == []
    assert articles.blocking_claims(ctx().settings, article) == []
