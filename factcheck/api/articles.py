"""Articles: intake from text, revisions (with the re-anchoring report), the gate, approval and
publication, and the ClaimReview feed."""
from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from factcheck.api import PREFIX, schemas
from factcheck.api.core import bp, checked_id, ctx, decode_cursor, encode_cursor, page_links, user
from factcheck.errors import InvalidTransition, NotFound
from factcheck.extensions import db
from factcheck.models import Article, ArticleStatus, Claim
from factcheck.security.permissions import Action
from factcheck.services import article_page, intake, report, revisions, suggestions
from factcheck.services import articles as article_service
from factcheck.services import claims as claim_service
from factcheck.services.workflow import ArticleEvent, next_article_status


def article_links(article: Article) -> dict[str, str]:
    return {"self": f"{PREFIX}/articles/{article.id}", "gate": f"{PREFIX}/articles/{article.id}/gate",
            "page": url_for("articles.show", article_id=article.id)}


def article_out(article: Article, *, with_text: bool = False) -> dict[str, Any]:
    revision = article.current_revision
    out: dict[str, Any] = {
        "id": article.id, "title": article.title, "outlet": article.outlet, "byline": article.byline,
        "language": article.language, "source_url": article.source_url, "published_url": article.published_url,
        "status": article.status, "revision": revision.number if revision else None,
        "created_by_id": article.created_by_id, "approved_by_id": article.approved_by_id,
        "approved_at": article.approved_at, "published_at": article.published_at, "created_at": article.created_at,
        "links": article_links(article),
    }
    if with_text:
        out["text"] = article.text
        out["furniture"] = list(revision.furniture) if revision else []
    return out


def claim_ref(claim: Claim, reason: str | None = None) -> dict[str, Any]:
    ref = {"id": claim.id, "status": claim.status, "url": f"{PREFIX}/claims/{claim.id}"}
    if reason is not None:
        ref["reason"] = reason
    return ref


def _load(article_id: int) -> Article:
    return article_page.load(db.session, checked_id(article_id))


@bp.get("/articles")
@bp.doc(tags=["articles"], summary="List articles, newest first")
@bp.arguments(schemas.ArticleListArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ArticlePage)
def list_articles(cursor: str | None, limit: int, status: str | None, q: str | None) -> Any:
    ctx().require(user(), Action.READ)
    before = decode_cursor(cursor)
    # The keyset query of one listing; who may read and what a status means stay in the services.
    stmt = select(Article).options(joinedload(Article.current_revision)).order_by(Article.id.desc()).limit(limit + 1)
    if before is not None:
        stmt = stmt.where(Article.id < before)
    if status:
        stmt = stmt.where(Article.status == status)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Article.title.ilike(pattern, escape="\\"))
    rows = list(db.session.scalars(stmt))
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit and items else None
    return ({"items": [article_out(a) for a in items], "next_cursor": next_cursor},
            page_links(next_cursor, limit=limit, status=status, q=q))


@bp.post("/articles")
@bp.doc(tags=["articles"], summary="Bring an article in from its text (claims are suggested)")
@bp.arguments(schemas.ArticleCreate)
@bp.response(201, schemas.ArticleOut)
def create_article(body: dict[str, Any]) -> Any:
    imported = intake.import_article(ctx(), actor=user(), title=body["title"], text=body["text"],
                                     outlet=body["outlet"], byline=body["byline"], source_url=body["source_url"])
    article = _load(imported.article.id)
    return article_out(article, with_text=True), {"Location": f"{PREFIX}/articles/{article.id}"}


@bp.get("/articles/<int:article_id>")
@bp.doc(tags=["articles"], summary="Read an article with its current text")
@bp.response(200, schemas.ArticleOut)
def get_article(article_id: int) -> Any:
    ctx().require(user(), Action.READ)
    return article_out(_load(article_id), with_text=True)


@bp.put("/articles/<int:article_id>/text")
@bp.doc(tags=["articles"], summary="Push a new revision of the text; answers the re-anchoring report")
@bp.arguments(schemas.ArticleText)
@bp.response(200, schemas.RevisionReportOut)
def revise(body: dict[str, Any], article_id: int) -> Any:
    article = _load(article_id)
    done = revisions.revise(ctx(), actor=user(), article=article, text=body["text"])
    article = _load(article_id)
    return {"article_id": article.id, "revision": done.revision.number, "sha256": done.revision.sha256,
            "status": article.status, "moved": [claim_ref(c) for c in done.moved],
            "changed": [claim_ref(c) for c in done.changed], "orphaned": [claim_ref(c) for c in done.orphaned],
            "suggested": done.suggested}


@bp.get("/articles/<int:article_id>/gate")
@bp.doc(tags=["articles"], summary="May the article be published? The claims holding it back, with links")
@bp.response(200, schemas.GateOut)
def gate(article_id: int) -> Any:
    ctx().require(user(), Action.READ)
    article = _load(article_id)
    blockers = article_service.blocking_claims(ctx().settings, article)
    try:
        next_article_status(article, ArticleEvent.PUBLISH)
        publishable = True
    except InvalidTransition:
        publishable = False
    return {"article_id": article.id, "status": article.status, "gate_holds": bool(article.claims) and not blockers,
            "may_be_published": publishable, "blocking": [claim_ref(b.claim, b.reason) for b in blockers]}


@bp.post("/articles/<int:article_id>/approve")
@bp.doc(tags=["articles"], summary="Approve for publication (refused with the blocking claims: 409)")
@bp.response(200, schemas.ArticleOut)
def approve(article_id: int) -> Any:
    article_service.approve(ctx(), actor=user(), article=_load(article_id))
    return article_out(_load(article_id))


@bp.post("/articles/<int:article_id>/publish")
@bp.doc(tags=["articles"], summary="Mark an approved article as published")
@bp.arguments(schemas.Publish)
@bp.response(200, schemas.ArticleOut)
def publish(body: dict[str, Any], article_id: int) -> Any:
    article_service.publish(ctx(), actor=user(), article=_load(article_id), published_url=body["published_url"])
    return article_out(_load(article_id))


@bp.post("/articles/<int:article_id>/claims")
@bp.doc(tags=["claims"], summary="Mark a passage of the current text as a claim (quote, or start/end span)")
@bp.arguments(schemas.ClaimCreate)
@bp.response(201, schemas.ClaimOut)
def create_claim(body: dict[str, Any], article_id: int) -> Any:
    from factcheck.api.claims import claim_response

    claim = claim_service.add_claim(ctx(), actor=user(), article=_load(article_id), quote=body["quote"],
                                    start=body["start"], end=body["end"], statement=body["statement"],
                                    claimant=body["claimant"])
    return claim_response(claim.id, status=201)


@bp.post("/articles/<int:article_id>/furniture/<int:start>/restore")
@bp.doc(tags=["articles"], summary="Bring a line of page furniture set aside at intake back into the article "
        "(named by where it starts, from the article's `furniture`); claims are suggested in it")
@bp.response(200, schemas.FurnitureRestored)
def restore_furniture(article_id: int, start: int) -> Any:
    article = _load(article_id)
    lines = article.current_revision.furniture if article.current_revision else []
    # The line is named by its place in the text, which restoring others does not move (a list index would).
    index = next((i for i, line in enumerate(lines) if line["start"] == start), None)
    if index is None:
        ctx().require(user(), Action.ARTICLE_REVISE, article)  # a refusal, not a hint of what is set aside
        raise NotFound(f"No set-aside line starts at {start} in the current text (any more).")
    line = dict(lines[index])
    added = suggestions.restore_furniture(ctx(), actor=user(), article=article, index=index)
    return {"article_id": article.id, "restored": line, "suggested": added, "article": f"{PREFIX}/articles/{article.id}"}


@bp.get("/claimreviews")
@bp.doc(tags=["claimreviews"], summary="schema.org ClaimReview (JSON-LD) of every final claim of published articles")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ClaimReviewFeed, content_type="application/ld+json")
def claim_reviews(cursor: str | None, limit: int) -> Any:
    ctx().require(user(), Action.READ)
    before = decode_cursor(cursor)
    stmt = select(Article.id).where(Article.status == ArticleStatus.PUBLISHED).order_by(Article.id.desc()).limit(limit + 1)
    if before is not None:
        stmt = stmt.where(Article.id < before)
    ids = list(db.session.scalars(stmt))
    graph: list[dict[str, Any]] = []
    settings = ctx().settings
    for article_id in ids[:limit]:
        article = report.load_for_report(db.session, article_id)
        address = report.report_url(settings, article, url_for("articles.fact_check_report", article_id=article.id,
                                                                _external=True))
        for review in report.claim_reviews(settings, article, address):
            graph.append({key: value for key, value in review.items() if key != "@context"})
    next_cursor = encode_cursor(ids[limit - 1]) if len(ids) > limit else None
    response = jsonify(schemas.ClaimReviewFeed().dump(
        {"context": "https://schema.org", "graph": graph, "next_cursor": next_cursor}))
    response.mimetype = "application/ld+json"
    response.headers.update(page_links(next_cursor, limit=limit))
    return response
