"""Articles, their revisions, and the approval gate."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, Revision, User, utcnow
from factcheck.security.permissions import Action, require
from factcheck.services import audit
from factcheck.services.db import transaction
from factcheck.services.errors import GateClosed, InvalidTransition, NotFound, ValidationFailed

SETTLED = {ClaimStatus.FINAL, ClaimStatus.DISMISSED}
LOCKED_ARTICLE_STATES = {ArticleStatus.APPROVED, ArticleStatus.PUBLISHED}


def get_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound("There is no such article.")
    return article


def check_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValidationFailed("The article text is empty.")
    limit = current_app.config["FACTCHECK_MAX_ARTICLE_BYTES"]
    if len(text.encode()) > limit:
        raise ValidationFailed(f"The article text is larger than the {limit // 1_000_000} MB limit.")
    return text


def create_article(session: Session, **fields: Any) -> Article:
    """An article from text as given, without suggestions, in a transaction of its own; takes the
    arguments of ``insert_article`` (services.intake does the full intake)."""
    with transaction(session):
        return insert_article(session, **fields)


def insert_article(
    session: Session,
    *,
    actor: User,
    title: str,
    text: str,
    outlet: str = "",
    byline: str = "",
    language: str = "en",
    source_url: str = "",
    source_format: str = "paste",
    source_filename: str | None = None,
    furniture: list[dict] | None = None,
) -> Article:
    """Create the article and its first revision, audited, in the caller's transaction."""
    require(actor, Action.ARTICLE_CREATE)
    title = title.strip()
    if not title:
        raise ValidationFailed("The article needs a title.")
    text = check_text(text)
    article = Article(
        title=title, outlet=outlet.strip(), byline=byline.strip(), language=language.strip() or "en",
        source_url=source_url.strip(), status=ArticleStatus.DRAFT, created_by_id=actor.id,
    )
    session.add(article)
    session.flush()
    revision = Revision(
        article_id=article.id, number=1, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
        created_by_id=actor.id, source_format=source_format, source_filename=source_filename,
        furniture=furniture or [],
    )
    session.add(revision)
    session.flush()
    article.current_revision_id = revision.id
    article.current_revision = revision
    audit.record(
        session, actor=actor, action="article.created", object_type="article", object_id=article.id,
        article_id=article.id,
        changes=audit.created({"title": article.title, "outlet": article.outlet, "byline": article.byline,
                               "language": article.language, "source_url": article.source_url,
                               "status": article.status}),
    )
    audit.record(
        session, actor=actor, action="revision.created", object_type="revision", object_id=revision.id,
        article_id=article.id,
        changes=audit.created({"number": 1, "sha256": revision.sha256, "length": len(text),
                               "source_format": source_format, "source_filename": source_filename,
                               "furniture_lines": len(revision.furniture)}),
    )
    return article


@dataclass(frozen=True)
class Blocker:
    claim: Claim
    reason: str


def blocking_claims(article: Article) -> list[Blocker]:
    """Why the article cannot be approved yet: each claim that is not settled, or not resolved."""
    needing_resolution = set(current_app.config["FACTCHECK_VERDICTS_NEEDING_RESOLUTION"])
    blockers: list[Blocker] = []
    for claim in article.claims:
        if claim.status not in SETTLED:
            blockers.append(Blocker(claim, f"is {claim.status.replace('_', ' ')}, not final"))
        elif claim.status == ClaimStatus.FINAL and claim.verdict in needing_resolution and not claim.resolution:
            blockers.append(Blocker(claim, f"has the verdict “{claim.verdict}” and needs a resolution"))
    return blockers


def _derived_status(article: Article) -> ArticleStatus:
    if not article.claims:
        return ArticleStatus.DRAFT
    return ArticleStatus.IN_CHECK if blocking_claims(article) else ArticleStatus.READY


def refresh_status(session: Session, article: Article, actor: User | None) -> None:
    """Move the article between draft, in_check and ready as its claims change; called inside a
    service's transaction so the status change is audited with the change that caused it."""
    if article.status in LOCKED_ARTICLE_STATES:
        return
    session.flush()
    session.refresh(article, attribute_names=["claims"])
    new_status = _derived_status(article)
    if new_status != article.status:
        before = article.status
        article.status = new_status
        audit.record(
            session, actor=actor, action="article.status_changed", object_type="article", object_id=article.id,
            article_id=article.id, changes=audit.diff({"status": before}, {"status": new_status}),
        )


def ensure_open_for_changes(article: Article) -> None:
    if article.status in LOCKED_ARTICLE_STATES:
        raise InvalidTransition(
            f"The article is {article.status}; its claims can only change with a new revision."
        )


def approve(session: Session, *, actor: User, article: Article) -> None:
    require(actor, Action.ARTICLE_APPROVE, article)
    if article.status in LOCKED_ARTICLE_STATES:
        raise InvalidTransition(f"The article is already {article.status}.")
    if not article.claims:
        raise GateClosed("The article has no claims yet; mark its claims before approving it.", blocking=[])
    blockers = blocking_claims(article)
    if blockers:
        raise GateClosed(
            f"The article cannot be approved: {len(blockers)} claim(s) are not settled.", blocking=blockers
        )
    with transaction(session):
        before = article.status
        article.status = ArticleStatus.APPROVED
        article.approved_by_id = actor.id
        article.approved_at = utcnow()
        audit.record(
            session, actor=actor, action="article.approved", object_type="article", object_id=article.id,
            article_id=article.id, changes=audit.diff({"status": before}, {"status": article.status}),
        )


def publish(session: Session, *, actor: User, article: Article) -> None:
    require(actor, Action.ARTICLE_PUBLISH, article)
    if article.status != ArticleStatus.APPROVED:
        raise InvalidTransition("Only an approved article can be published.")
    with transaction(session):
        article.status = ArticleStatus.PUBLISHED
        article.published_at = utcnow()
        audit.record(
            session, actor=actor, action="article.published", object_type="article", object_id=article.id,
            article_id=article.id,
            changes=audit.diff({"status": ArticleStatus.APPROVED}, {"status": ArticleStatus.PUBLISHED}),
        )


@dataclass(frozen=True)
class ArticleRow:
    article: Article
    claims: int
    open_claims: int


def list_articles(session: Session, *, status: str | None = None, query: str | None = None,
                  limit: int = 200) -> list[ArticleRow]:
    """Newest first, with claim counts computed by the database rather than by loading claims."""
    settled = [s.value for s in SETTLED]
    counts = (
        select(Claim.article_id, func.count(Claim.id).label("claims"),
               func.count(case((Claim.status.not_in(settled), 1))).label("open_claims"))
        .group_by(Claim.article_id)
        .subquery()
    )
    stmt = (
        select(Article, func.coalesce(counts.c.claims, 0), func.coalesce(counts.c.open_claims, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.id.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(Article.status == status)
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Article.title.ilike(pattern, escape="\\"))
    return [ArticleRow(article, total, unsettled) for article, total, unsettled in session.execute(stmt)]


def load_article_page(session: Session, article_id: int) -> Article:
    """The article with everything its page shows, in a fixed number of queries."""
    article = session.scalar(
        select(Article)
        .where(Article.id == article_id)
        .options(
            joinedload(Article.current_revision),
            joinedload(Article.created_by),
            selectinload(Article.claims).joinedload(Claim.assignee),
        )
    )
    if article is None:
        raise NotFound("There is no such article.")
    return article


def revision_list(session: Session, article: Article) -> list[Revision]:
    return list(session.scalars(select(Revision).options(joinedload(Revision.created_by))
                                .where(Revision.article_id == article.id).order_by(Revision.number)))
