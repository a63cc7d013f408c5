"""Reading an article for its page: the article, its current revision, its claims and their assignees.
No writes here."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import NotFound
from factcheck.models import Article, Claim
from factcheck.services.context import DbSession

# Built once, the article's id a bound parameter: building the statements and their cache keys on every
# request, and ``selectinload``'s per-path loader machinery, cost more than running them (issue 15).
# The claims are read by a statement of their own and set as the article's loaded collection, in the
# relationship's order: the same rows ``selectinload(Article.claims)`` gives.
_ARTICLE = (select(Article).options(joinedload(Article.current_revision))
            .where(Article.id == bindparam("article_id")))
_CLAIMS = (select(Claim).options(joinedload(Claim.assignee))
           .where(Claim.article_id == bindparam("article_id")).order_by(Claim.start))


def load(session: DbSession, article_id: int) -> Article:
    """The article with everything its page shows, in two statements (404 when there is none)."""
    params = {"article_id": article_id}
    article = session.scalar(_ARTICLE, params)
    if article is None:
        raise NotFound("There is no such article.")
    # As the ORM's own loaders do, a collection this session already holds (with any change not yet
    # flushed) is kept.
    if "claims" not in article.__dict__:
        claims = list(session.scalars(_CLAIMS, params))
        set_committed_value(article, "claims", claims)
        for claim in claims:
            # Each claim's article is this one: set, not looked up in the identity map claim by claim.
            if "article" not in claim.__dict__:
                set_committed_value(claim, "article", article)
    return article
