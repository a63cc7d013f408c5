"""The fact-check report of an article and the schema.org ClaimReview of each final claim."""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from factcheck.errors import NotFound
from factcheck.models import Article, Claim, ClaimStatus
from factcheck.services.context import DbSession
from factcheck.settings import Settings


def load_for_report(session: DbSession, article_id: int) -> Article:
    """The article, its claims and their current evidence, in a fixed number of queries."""
    article = session.scalar(
        select(Article).where(Article.id == article_id).options(
            joinedload(Article.current_revision), joinedload(Article.approved_by),
            selectinload(Article.claims).options(joinedload(Claim.assignee), joinedload(Claim.reviewed_by),
                                                 selectinload(Claim.current_evidence)),
        )
    )
    if article is None:
        raise NotFound("There is no such article.")
    return article


def claim_reviews(settings: Settings, article: Article, article_url: str) -> list[dict[str, Any]]:
    """ClaimReview objects (https://schema.org/ClaimReview) for the article's final claims.

    The rating maps the verdict scale onto numbers, best first, so a reader of the JSON-LD can
    order verdicts; ``alternateName`` carries the verdict as the desk wrote it."""
    scale = list(settings.verdict_scale)
    reviews = []
    for claim in article.claims:
        if claim.status != ClaimStatus.FINAL or not claim.verdict:
            continue
        rating = len(scale) - scale.index(claim.verdict) if claim.verdict in scale else None
        item: dict[str, Any] = {"@type": "Claim", "appearance": {"@type": "CreativeWork", "url": article.source_url}
                                if article.source_url else None}
        if claim.claimant:
            item["author"] = {"@type": "Thing", "name": claim.claimant}
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{article_url}#claim-{claim.id}",
            "claimReviewed": claim.statement or claim.quote,
            "itemReviewed": {key: value for key, value in item.items() if value is not None},
            "author": {"@type": "Organization", "name": article.outlet or "factcheck"},
            "reviewRating": {"@type": "Rating", "alternateName": claim.verdict_summary,
                             "ratingValue": rating, "bestRating": len(scale), "worstRating": 1},
        }
        if claim.finalized_at:
            review["datePublished"] = claim.finalized_at.date().isoformat()
        reviews.append(review)
    return reviews


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: '<' escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def claims_in_order(article: Article) -> list[Claim]:
    """The claims a reader of the report cares about: every one not dismissed, in text order."""
    return [c for c in article.claims if c.status != ClaimStatus.DISMISSED]
