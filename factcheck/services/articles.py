"""Articles, their revisions, and the approval gate."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, or_, select, true
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import BindParameter

from factcheck.errors import GateClosed, NotFound, ValidationFailed
from factcheck.models import Article, ArticleStatus, Claim, ClaimStatus, Revision, User
from factcheck.security.permissions import Action, can
from factcheck.services import audit, built, driver_sql, kept_reads
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.workflow import (
    ARTICLE_TRANSITIONS,
    DERIVED_ARTICLE_STATES,
    LOCKED_ARTICLE_STATES,
    UNSETTLED,
    ArticleEvent,
    next_article_status,
)
from factcheck.settings import Settings


def get_article(session: DbSession, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound("There is no such article.")
    return article


def check_text(settings: Settings, text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValidationFailed("The article text is empty.")
    limit = settings.max_article_bytes
    if len(text.encode()) > limit:
        raise ValidationFailed(f"The article text is larger than the {limit // 1_000_000} MB limit.")
    return text


def create_article(ctx: Context, **fields: Any) -> Article:
    """An article from text as given, without suggestions, in a transaction of its own; takes the
    arguments of ``insert_article`` (services.intake does the full intake)."""
    with transaction(ctx.session):
        return insert_article(ctx, **fields)


def insert_article(
    ctx: Context,
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
    furniture: list[dict[str, Any]] | None = None,
) -> Article:
    """Create the article and its first revision, audited, in the caller's transaction."""
    ctx.require(actor, Action.ARTICLE_CREATE)
    title = title.strip()
    if not title:
        raise ValidationFailed("The article needs a title.")
    text = check_text(ctx.settings, text)
    article = Article(
        title=title, outlet=outlet.strip(), byline=byline.strip(), language=language.strip() or "en",
        source_url=source_url.strip(), status=ArticleStatus.DRAFT, created_by_id=actor.id,
    )
    session = ctx.session
    session.add(article)
    session.flush()
    revision = Revision(
        article_id=article.id, number=1, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
        created_by_id=actor.id, source_format=source_format, source_filename=source_filename,
        furniture=furniture or [], created_at=ctx.now(),
    )
    session.add(revision)
    session.flush()
    article.current_revision_id = revision.id
    article.current_revision = revision
    audit.record(
        ctx, actor=actor, action="article.created", object_type="article", object_id=article.id,
        article_id=article.id,
        changes=audit.created({"title": article.title, "outlet": article.outlet, "byline": article.byline,
                               "language": article.language, "source_url": article.source_url,
                               "status": article.status}),
    )
    audit.record(
        ctx, actor=actor, action="revision.created", object_type="revision", object_id=revision.id,
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


# ---- the gate: what holds an article back. ``blocking_reason`` (one claim, in Python) and
# ``blocking_condition`` (the same rule in SQL, for counts over many articles) are the one definition
# of "unsettled" that the gate, the article page, the report, the article list and the dashboard use;
# a test checks that the two agree for every state.

def blocking_reason(settings: Settings, claim: Claim) -> str | None:
    """Why this claim holds its article back, or None when it does not."""
    if claim.status in UNSETTLED:
        reason = f"is {claim.status.replace('_', ' ')}, not final"
        if claim.text_changed and claim.changed_from:
            reason += f"; its text changed since the verdict (was “{_short(claim.changed_from)}”)"
        return reason
    if claim.status == ClaimStatus.FINAL and claim.verdict in settings.verdicts_needing_resolution \
            and not claim.resolution:
        return f"has the verdict “{claim.verdict}” and needs a resolution"
    return None


def blocking_condition(settings: Settings) -> Any:
    """``blocking_reason(...) is not None`` as a SQL condition on the claims table.

    The lists are one parameter per value, not SQLAlchemy's expanding ``IN``: an expanding parameter is
    rendered into the SQL's text again at every execution (a regular expression over the statement),
    which the article list, built once and run on every view, paid on each."""
    return or_(
        Claim.status.in_(_each_bound([s.value for s in UNSETTLED])),
        and_(Claim.status == ClaimStatus.FINAL, Claim.verdict.in_(_each_bound(settings.verdicts_needing_resolution)),
             Claim.resolution.is_(None)),
    )


def _each_bound(values: Iterable[str]) -> list[BindParameter[str]]:
    return [bindparam("value", value, unique=True) for value in values]


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def blocking_claims(settings: Settings, article: Article) -> list[Blocker]:
    """Why the article cannot be approved yet: each claim that is not settled, or not resolved."""
    return [Blocker(claim, reason) for claim in article.claims
            if (reason := blocking_reason(settings, claim)) is not None]


def _derived_status(settings: Settings, article: Article) -> ArticleStatus:
    if not article.claims:
        return ArticleStatus.DRAFT
    return ArticleStatus.IN_CHECK if blocking_claims(settings, article) else ArticleStatus.READY


def refresh_status(ctx: Context, article: Article, actor: User | None) -> None:
    """Move the article between draft, in_check and ready as its claims change; called inside a
    service's transaction so the status change is audited with the change that caused it."""
    if article.status not in DERIVED_ARTICLE_STATES:
        return
    ctx.session.flush()
    ctx.session.refresh(article, attribute_names=["claims"])
    new_status = _derived_status(ctx.settings, article)
    if new_status != article.status:
        before = article.status
        article.status = new_status
        audit.record(
            ctx, actor=actor, action="article.status_changed", object_type="article", object_id=article.id,
            article_id=article.id, changes=audit.diff({"status": before}, {"status": new_status}),
        )


def move(ctx: Context, actor: User | None, article: Article, event: ArticleEvent, action: str) -> None:
    """Take the article through ``event`` of its transition table and audit it (caller's transaction)."""
    before = article.status
    article.status = next_article_status(article, event)
    audit.record(ctx, actor=actor, action=action, object_type="article", object_id=article.id,
                 article_id=article.id, changes=audit.diff({"status": before}, {"status": article.status}))


def check_approve(ctx: Context, actor: User | None, article: Article) -> None:
    """Refuse approval with the reason (the blocking claims, when it is the gate), or return."""
    ctx.require(actor, Action.ARTICLE_APPROVE, article)
    next_article_status(article, ArticleEvent.APPROVE)
    if not article.claims:
        raise GateClosed("The article has no claims yet; mark its claims before approving it.", blocking=[])
    blockers = blocking_claims(ctx.settings, article)
    if blockers:
        raise GateClosed(
            f"The article cannot be approved: {len(blockers)} claim(s) are not settled.", blocking=blockers
        )


def approve(ctx: Context, *, actor: User, article: Article) -> None:
    check_approve(ctx, actor, article)
    with transaction(ctx.session):
        article.approved_by_id = actor.id
        article.approved_at = ctx.now()
        move(ctx, actor, article, ArticleEvent.APPROVE, "article.approved")


def publish(ctx: Context, *, actor: User, article: Article, published_url: str = "") -> None:
    ctx.require(actor, Action.ARTICLE_PUBLISH, article)
    next_article_status(article, ArticleEvent.PUBLISH)
    published_url = published_url.strip()
    if published_url and not published_url.lower().startswith(("http://", "https://")):
        raise ValidationFailed("The published URL must start with http:// or https://.")
    with transaction(ctx.session):
        article.published_at = ctx.now()
        article.published_url = published_url or article.published_url
        move(ctx, actor, article, ArticleEvent.PUBLISH, "article.published")


@dataclass(frozen=True)
class ArticleActions:
    """What the viewer may do on the article page, from the permission table and the article's state."""

    approve: bool = False
    publish: bool = False
    revise: bool = False
    add_claim: bool = False
    triage: bool = False
    assign: bool = False
    restore_furniture: bool = False
    show_gate: bool = False
    timeline: bool = False
    # Approved or published: a new revision sends it back to checking.
    signed_off: bool = False


def allowed_actions(settings: Settings, user: User | None, article: Article) -> ArticleActions:
    open_for_changes = article.status not in LOCKED_ARTICLE_STATES

    def may(action: Action) -> bool:
        return can(user, action, article, settings=settings)

    return ArticleActions(
        approve=may(Action.ARTICLE_APPROVE) and article.status in _APPROVABLE,
        publish=may(Action.ARTICLE_PUBLISH) and article.status in _PUBLISHABLE,
        revise=may(Action.ARTICLE_REVISE),
        add_claim=may(Action.CLAIM_CREATE) and open_for_changes,
        triage=may(Action.CLAIM_TRIAGE) and open_for_changes,
        assign=may(Action.CLAIM_ASSIGN) and open_for_changes,
        restore_furniture=may(Action.ARTICLE_REVISE) and open_for_changes,
        show_gate=open_for_changes,
        timeline=may(Action.AUDIT_TIMELINE),
        signed_off=not open_for_changes,
    )


_APPROVABLE = frozenset(ARTICLE_TRANSITIONS[ArticleEvent.APPROVE])
_PUBLISHABLE = frozenset(ARTICLE_TRANSITIONS[ArticleEvent.PUBLISH])


class ArticleRow(NamedTuple):
    """A line of the article list: the columns it shows (an ORM article costs more than its query)."""
    id: int
    title: str
    outlet: str
    status: str
    created_at: datetime
    claims: int
    open_claims: int


def list_articles(session: DbSession, settings: Settings, *, status: str | None = None, query: str | None = None,
                  limit: int = 100, offset: int = 0) -> list[ArticleRow]:
    """Newest first, ``limit`` from the ``offset``-th, with claim counts computed by the database rather
    than by loading claims: each article's claims counted from
    ``ix_claims_article_status_verdict_resolution`` alone (it holds every column the counts read), for
    the page's articles only. The statement is built once per filter set (see ``_article_list``)."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if status:
        params["status"] = status
    if query:
        params["pattern"] = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    connection = session.connection()
    statement = built.once(_article_list, bool(status), bool(query), settings,
                           connection.dialect.name == "postgresql")
    session.flush()  # what autoflush would have done: the list sees the request's own changes
    # On the driver (``driver_sql.untyped_named``): SQLAlchemy's execution walked the cache key of the
    # select with its two counting subqueries and built a result and its metadata for fifty rows.
    # ``tuple.__new__`` of the row as it came: a dataclass's ``__init__`` per row was a tenth of the page.
    raw, typed, _keys = driver_sql.untyped_named(connection, statement, params)
    # Kept while the same rows come back (``kept_reads``): typing each row's creation time was a
    # tenth of the page, and what grew with a page not yet full.
    return kept_reads.made_of((connection.dialect.name, id(statement), *params.items()), raw,
                              lambda rows: _article_rows(rows, typed))


def _article_rows(raw: Sequence[Any], typed: driver_sql.Processors) -> list[ArticleRow]:
    new = tuple.__new__
    if not typed:
        return [new(ArticleRow, row) for row in raw]
    return [new(ArticleRow, driver_sql.typed(row, typed)) for row in raw]


def _article_list(by_status: bool, by_title: bool, settings: Settings, lateral: bool) -> Any:
    """The page's articles with their claims counted by correlated subqueries. Both databases then
    walk the articles newest first and stop at the page's end, probing the claims index for each (an
    index-only scan: the table's rows are not read);
    joining the page's ids to the articles instead had SQLite scan every article (0.3 ms at 250,
    growing with the newsroom) and PostgreSQL plan two joins. Where there is ``LATERAL`` (PostgreSQL)
    both counts come from one pass over each article's claims (1.38 → 1.16 ms at 16×); SQLite has
    none, and keeps two probes of the index."""
    blocking = blocking_condition(settings)
    of_article = Claim.article_id == Article.id
    if lateral:
        counts = select(func.count().label("claims"), func.count().filter(blocking).label("open_claims")) \
            .where(of_article).lateral("counts")
        statement = (select(Article.id, Article.title, Article.outlet, Article.status, Article.created_at,
                            counts.c.claims, counts.c.open_claims).join(counts, true()))
    else:
        claims = select(func.count()).where(of_article).correlate(Article).scalar_subquery()
        open_claims = select(func.count()).where(of_article, blocking).correlate(Article).scalar_subquery()
        statement = select(Article.id, Article.title, Article.outlet, Article.status, Article.created_at, claims,
                           open_claims)
    statement = (statement
                 .order_by(Article.id.desc()).limit(bindparam("limit")).offset(bindparam("offset")))
    if by_status:
        statement = statement.where(Article.status == bindparam("status"))
    if by_title:
        statement = statement.where(Article.title.ilike(bindparam("pattern"), escape="\\"))
    return statement


def revision_list(session: DbSession, article: Article) -> list[Revision]:
    return list(session.scalars(select(Revision).options(joinedload(Revision.created_by))
                                .where(Revision.article_id == article.id).order_by(Revision.number)))
