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


def report_url(settings: Settings, article: Article, fallback: str) -> str:
    """The report's address for readers: under the configured public URL, else ``fallback`` (this
    server's own address, fine on a developer's machine)."""
    return f"{settings.public_url}/articles/{article.id}/report" if settings.public_url else fallback


def rating(settings: Settings, verdict: str) -> dict[str, Any]:
    """schema.org Rating: worst is 1, best is the length of the rating scale; a verdict outside the
    scale ("unverifiable") is named but has no value, so no reader orders it below "false"."""
    scale = settings.verdict_ratings
    value: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    if verdict in scale:
        value |= {"ratingValue": scale.index(verdict) + 1, "worstRating": 1, "bestRating": len(scale)}
    return value


def claim_reviews(settings: Settings, article: Article, report_address: str) -> list[dict[str, Any]]:
    """ClaimReview objects (https://schema.org/ClaimReview) for the article's final claims.

    ``alternateName`` carries the verdict as the desk wrote it (both answers of an attributed claim);
    ``appearance`` is where the claim was published: the article's published URL, else its source."""
    reviews = []
    appearance = article.published_url or article.source_url
    for claim in article.claims:
        if claim.status != ClaimStatus.FINAL or not claim.verdict:
            continue
        item: dict[str, Any] = {"@type": "Claim"}
        if appearance:
            item["appearance"] = {"@type": "CreativeWork", "url": appearance}
        if claim.claimant:
            item["author"] = {"@type": "Thing", "name": claim.claimant}
        review_rating = rating(settings, claim.verdict) | {"alternateName": claim.verdict_summary}
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{report_address}#claim-{claim.id}",
            "claimReviewed": claim.statement or claim.quote,
            "itemReviewed": item,
            "author": {"@type": "Organization", "name": article.outlet or "factcheck"},
            "reviewRating": review_rating,
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
