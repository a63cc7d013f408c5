"""Reading claims: queues, the claims list, and the claim page (with its history). No writes here."""
from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import (
    Date,
    Select,
    and_,
    bindparam,
    case,
    event,
    func,
    literal,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import NotFound
from factcheck.models import PRIORITY_RANK, Article, AuditEvent, Claim, Evidence, Note, Notification, Role, User
from factcheck.models import ClaimStatus as S
from factcheck.models.running_count import NO_DAY, RunningCount
from factcheck.services import built, driver_sql, kept_reads, loaded_rows, running_counts
from factcheck.services.context import DbSession
from factcheck.services.workflow import CHECKER_TO_DO, UNSETTLED

AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


def overdue_condition(today: date) -> Any:
    """Past its due date and still to be settled: the one definition the dashboard and the claims
    list share."""
    return and_(Claim.due_date < today, Claim.status.in_([s.value for s in UNSETTLED]))


def _priority_order() -> Any:
    # Literals, as ``ix_claims_queue_order`` writes it: bound parameters would match no index.
    return case({literal_column(f"'{p.value}'"): literal_column(str(rank)) for p, rank in PRIORITY_RANK.items()},
                value=Claim.priority, else_=literal_column("9"))


class _ClaimColumns(NamedTuple):
    id: int
    article_id: int
    article_title: str
    status: str
    quote: str
    statement: str
    text_changed: bool
    article_status: str | None = None
    priority: str | None = None
    due_date: date | None = None
    assignee_id: int | None = None
    assignee_name: str | None = None
    verdict: str | None = None
    claimant: str | None = None
    attribution_verdict: str | None = None
    proposed_by_id: int | None = None
    proposed_by_name: str | None = None
    proposed_at: datetime | None = None
    finalized_at: datetime | None = None
    resolution: str | None = None


class ClaimRow(_ClaimColumns):
    """A claim as a list shows it: the columns of one statement, not an ORM object (a list page is
    read-only, and loading fifty claims with their articles and people as objects was most of its
    time). The fields a list does not select stay None."""

    __slots__ = ()
    # The model's own wording of these, so a list and the claim page cannot differ.
    label = Claim.label
    verdict_summary = Claim.verdict_summary


# The people a list names, aliased once: building an alias on every request cost more than the
# statement's execution.
_ASSIGNEE = aliased(User, name="assignee")
_PROPOSER = aliased(User, name="proposer")


def _listing(*columns: Any) -> Select[*tuple[Any, ...]]:
    """What every list shows of a claim (its link, its words, its article) and ``columns``; built once
    per list when the module loads, each request adding its conditions."""
    return (select(Claim.id, Claim.article_id, Article.title.label("article_title"), Claim.status, Claim.quote,
                   Claim.statement, Claim.text_changed, *columns)
            .join(Article, Article.id == Claim.article_id))


def _rows(session: DbSession, stmt: Select[*tuple[Any, ...]], params: dict[str, Any]) -> tuple[list[ClaimRow], Sequence[Any]]:
    """The statement's rows as ``ClaimRow``s (and the rows as the driver gave them, for columns at their
    end that are not a claim's). On the session's connection and its driver (``driver_sql.untyped_named``: compiled
    once, no cache key walked and no result built per execution, which together cost more than SQLite
    took to answer); the flush is what autoflush would have done, so a list sees the request's own
    changes."""
    session.flush()
    connection = session.connection()
    raw, typed, keys = driver_sql.untyped_named(connection, stmt, params)
    # The rows made of the same rows as before are the ones made then (``kept_reads``).
    return kept_reads.made_of((connection.dialect.name, id(stmt), *params.items()), raw,
                              lambda rows: claim_rows_of(rows, typed, keys)), raw


def claim_rows_of(raw: Iterable[Sequence[Any]], typed: driver_sql.Processors, keys: tuple[str, ...]) -> list[ClaimRow]:
    """Rows as the driver gives them (of the columns ``keys``) as ``ClaimRow``s, each column that needs it
    typed by its processor (``typed``: SQLite's dates, times and booleans)."""
    pick = _claim_fields_of(keys)
    # ``tuple.__new__`` rather than ``ClaimRow._make``, whose call and length check (``pick`` gives every
    # field) were a third of making a row.
    new = tuple.__new__
    if not typed:
        return [new(ClaimRow, pick((*row, None))) for row in raw]
    claims = []
    for row in raw:
        items = [*row, None]
        for position, processor in typed:
            items[position] = processor(items[position])
        claims.append(new(ClaimRow, pick(items)))
    return claims


@functools.lru_cache(maxsize=32)
def _claim_fields_of(keys: tuple[str, ...]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """For rows of these columns with a None after them: the ``ClaimRow`` fields in order, a field the
    statement does not select taken from that None (a C getter, not a dict and keywords per row)."""
    return operator.itemgetter(*(keys.index(name) if name in keys else len(keys) for name in ClaimRow._fields))


def _statuses(statuses: Iterable[S]) -> Any:
    """``Claim.status IN (…)`` of constant statuses written into the statement: an expanding list of
    parameters is written out again at every execution."""
    return Claim.status.in_([literal_column(f"'{status.value}'") for status in sorted(statuses)])


def _page_of(stmt: Select[*tuple[Any, ...]], *where: Any) -> Select[*tuple[Any, ...]]:
    """A queue's page: its rows from the ``offset``-th, ``limit`` of them, each carrying how many the
    whole queue holds (an uncorrelated subquery, run once: one statement, not a count of its own)."""
    total = select(func.count()).select_from(Claim).where(*where).correlate(None).scalar_subquery().label("queue_total")
    return stmt.add_columns(total).where(*where).limit(bindparam("limit")).offset(bindparam("offset"))


_TO_DO = (Claim.assignee_id == bindparam("user_id"), _statuses(CHECKER_TO_DO))
_MY_QUEUE = _page_of(_listing(Claim.priority, Claim.due_date).order_by(
    Claim.due_date.is_(None), Claim.due_date, _priority_order(), Claim.id), *_TO_DO)
_REVIEW_QUEUE = _page_of(
    _listing(Claim.verdict, Claim.proposed_at, _PROPOSER.display_name.label("proposed_by_name"))
    .outerjoin(_PROPOSER, _PROPOSER.id == Claim.proposed_by_id)
    .order_by(Claim.proposed_at, Claim.id),
    Claim.status == literal_column(f"'{S.PROPOSED.value}'"))
# With the columns that say what the viewer may do with each row (``claims.ActionsByKind.of_row``).
_CLAIMS_LIST = (_listing(Article.status.label("article_status"), Claim.due_date, Claim.assignee_id,
                         _ASSIGNEE.display_name.label("assignee_name"), Claim.verdict, Claim.claimant,
                         Claim.attribution_verdict, Claim.proposed_by_id, Claim.finalized_at, Claim.resolution)
                .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Claim.assignee_id)
                .order_by(Claim.id.desc()))


@dataclass(frozen=True)
class Queue:
    claims: list[ClaimRow]
    total: int  # in the whole queue; counted with the rows, so 0 on a page past its end

    @classmethod
    def of(cls, session: DbSession, stmt: Select[*tuple[Any, ...]], **params: Any) -> Queue:
        claims, rows = _rows(session, stmt, params)
        return cls(claims, rows[0][-1] if rows else 0)


def my_queue(session: DbSession, user: User, *, limit: int, offset: int = 0) -> Queue:
    """Work assigned to a checker, most urgent first (due date, then priority), ``limit`` claims from
    the ``offset``-th: a page of the queue."""
    return Queue.of(session, _MY_QUEUE, user_id=user.id, limit=limit, offset=offset)


@dataclass(frozen=True)
class NavCounts:
    unread: int = 0
    my_queue: int = 0
    review_queue: int = 0


# The badges read with the signed-in user (``users.session_user``), kept on the request's session
# until its first write: a flush or a commit may change them, and the header then reads them again.
_KEPT_NAV_COUNTS = "factcheck.nav_counts"


def keep_nav_counts(session: DbSession, user_id: int, counts: NavCounts | None) -> None:
    """Keep the badges read with the signed-in user, or (None) forget any kept: a session that
    outlives its request (a test's app context) must not show another request's counts."""
    info = loaded_rows.own_session(session).info
    if counts is None:
        info.pop(_KEPT_NAV_COUNTS, None)
    else:
        info[_KEPT_NAV_COUNTS] = (user_id, counts)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_kept_nav_counts(session: Session, *_: Any) -> None:
    session.info.pop(_KEPT_NAV_COUNTS, None)


# Who sees the link to my queue and to the review queue, and so their badges (nav_counts, and the
# signed-in user's statement, which asks the same of the user's roles in SQL).
QUEUE_BADGE_ROLES = (Role.CHECKER,)
REVIEW_BADGE_ROLES = (Role.EDITOR, Role.ADMIN)


def nav_counts(session: DbSession, user: User) -> NavCounts:
    """The navigation's badges in one statement: unread notifications, and the claims waiting in the
    viewer's queue and in the review queue when they see those links (or those read with the
    signed-in user, when nothing was written since)."""
    kept = loaded_rows.own_session(session).info.pop(_KEPT_NAV_COUNTS, None)
    if kept is not None and kept[0] == user.id:
        return kept[1]
    queue, review = user.has_role(*QUEUE_BADGE_ROLES), user.has_role(*REVIEW_BADGE_ROLES)
    # On the session's connection, in its transaction: a plain Core statement needs none of the ORM
    # session's execution machinery, which cost more than the statement (issue 15). The flush is
    # what the session's autoflush would have done: the counts see the request's own changes.
    session.flush()
    row = session.connection().execute(_nav_statement(queue, review), {"user_id": user.id}).one()
    return nav_counts_of(row)


def nav_badges(user_id: Any, *, queue: Any, review: Any) -> tuple[Any, Any, Any]:
    """The navigation's three badges as column expressions for the user ``user_id`` (a column or a
    bound parameter): the queue and review counts where ``queue`` and ``review`` hold (True, False or
    an SQL condition on the viewer's roles), else 0. A condition goes in a CASE, so the count it
    guards runs only for a viewer who sees that link."""
    def count(*where: Any) -> Any:
        return select(func.count()).select_from(Claim).where(*where).scalar_subquery()

    def only(condition: Any, value: Any) -> Any:
        if condition is True or condition is False:
            return value if condition else literal(0)
        return case((condition, value), else_=literal(0))

    def held(statuses: Iterable[S], *where: Any) -> Any:
        # The claims checkers hold, by status, as the triggers keep them (``running_counts``: claims in
        # these statuses with an assignee, one row per checker and status). The queue counted its index
        # entries on every signed-in page, and the review queue all proposed claims: work that grew with
        # the newsroom, for a badge (issue 15).
        return (select(func.coalesce(func.sum(RunningCount.n), 0))
                .where(RunningCount.kind == literal_column(f"'{running_counts.HELD}'"),
                       RunningCount.day == literal(NO_DAY, Date()),
                       RunningCount.value.in_([literal_column(f"'{status.value}'") for status in sorted(statuses)]),
                       *where)
                .scalar_subquery())

    unread = (select(func.count()).select_from(Notification)
              .where(Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery())
    # The statuses written into the statement (a third of its time on SQLite as a list of parameters).
    mine = only(queue, held(CHECKER_TO_DO, RunningCount.user_id == user_id))
    # Every proposed claim: those a checker holds, and any without an assignee (none, as the workflow
    # goes, but counted: the review queue lists them) by the status and assignee index.
    waiting = only(review, held((S.PROPOSED,)) + count(Claim.status == S.PROPOSED, Claim.assignee_id.is_(None)))
    return unread, mine, waiting


def nav_counts_of(row: Sequence[Any]) -> NavCounts:
    """The badges from the three columns of ``nav_badges`` that end ``row``."""
    return NavCounts(int(row[-3] or 0), int(row[-2] or 0), int(row[-1] or 0))


# Every signed-in page runs it: built once per process for each of the four kinds of viewer, the user
# a bound parameter (building the expression cost more than running it on SQLite, issue 15).
@functools.cache
def _nav_statement(queue: bool, review: bool) -> Any:
    return select(*nav_badges(bindparam("user_id"), queue=queue, review=review))


def review_queue(session: DbSession, *, limit: int, offset: int = 0) -> Queue:
    """Proposed verdicts waiting for an editor, oldest first, ``limit`` from the ``offset``-th."""
    return Queue.of(session, _REVIEW_QUEUE, limit=limit, offset=offset)


def claims_by_id(session: DbSession, ids: list[int]) -> list[Claim]:
    """The claims with these ids that exist, in id order, with their articles (for bulk actions)."""
    if not ids:
        return []
    return list(session.scalars(select(Claim).options(joinedload(Claim.article))
                                .where(Claim.id.in_(ids)).order_by(Claim.id)))


# The claim page's two statements, built once, the claim's id a bound parameter (building the condition
# and the statement's cache key on every request cost as much as running it). Its evidence and notes are
# read by a statement of their own and set as the claim's loaded collections: the same rows as
# ``selectinload`` gives. They select what the ORM's ``joinedload`` of the same people would, but run on
# the session's connection and their rows become the session's objects (``loaded_rows``): the ORM's
# execution and loading path cost two to three times the statements themselves (issue 15).
_ASSIGNEE, _PROPOSER, _ADDED_BY, _REMOVED_BY, _AUTHOR = (aliased(User) for _ in range(5))
_CLAIM_COLUMNS, _ARTICLE_COLUMNS = loaded_rows.Columns(Claim), loaded_rows.Columns(Article)
_ASSIGNEE_COLUMNS, _PROPOSER_COLUMNS = loaded_rows.Columns(User, _ASSIGNEE), loaded_rows.Columns(User, _PROPOSER)
_PAGE_CLAIM = (select(*loaded_rows.select_columns(_CLAIM_COLUMNS, _ARTICLE_COLUMNS, _ASSIGNEE_COLUMNS,
                                                  _PROPOSER_COLUMNS))
               .join(Article, Article.id == Claim.article_id)
               .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Claim.assignee_id)
               .outerjoin(_PROPOSER, _PROPOSER.id == Claim.proposed_by_id)
               .where(Claim.id == bindparam("claim_id")))
_EVIDENCE_COLUMNS = loaded_rows.Columns(Evidence)
_ADDED_BY_COLUMNS, _REMOVED_BY_COLUMNS = loaded_rows.Columns(User, _ADDED_BY), loaded_rows.Columns(User, _REMOVED_BY)
_NOTE_COLUMNS, _AUTHOR_COLUMNS = loaded_rows.Columns(Note), loaded_rows.Columns(User, _AUTHOR)


def _items_statement() -> Any:
    """The claim's evidence (with who added and removed it) and then its notes (with their authors), in
    one statement: each row holds the columns of both, the other's NULL (typed as its column, so they
    are read as the column would be), ``part`` saying which it is. One execution fewer for the page than
    a statement each (issue 15)."""
    columns = loaded_rows.select_columns(_EVIDENCE_COLUMNS, _ADDED_BY_COLUMNS, _REMOVED_BY_COLUMNS,
                                         _NOTE_COLUMNS, _AUTHOR_COLUMNS)
    notes_from = _NOTE_COLUMNS.start

    def only(kept: range) -> list[Any]:
        return [column if n in kept else type_coerce(null(), column.type) for n, column in enumerate(columns)]

    evidence = (select(*only(range(notes_from)), literal(0).label("part"), Evidence.id.label("item_id"))
                .join(_ADDED_BY, _ADDED_BY.id == Evidence.added_by_id)
                .outerjoin(_REMOVED_BY, _REMOVED_BY.id == Evidence.removed_by_id)
                .where(Evidence.claim_id == bindparam("claim_id")))
    notes = (select(*only(range(notes_from, len(columns))), literal(1), Note.id)
             .join(_AUTHOR, _AUTHOR.id == Note.author_id)
             .where(Note.claim_id == bindparam("claim_id")))
    return union_all(evidence, notes).order_by("part", "item_id")


_PAGE_ITEMS = _items_statement()

class _OneStatementCache:
    """The compiled cache of one kept statement (a few entries: one per dialect and engine). The engine's
    cache hashes the statement's cache key, a nested tuple of every column and join, at every
    execution: for the claim page's statements of some fifty columns that cost more than the rest of
    SQLAlchemy's execution. The key of a kept statement is the same tuple each time (it is memoised on
    the statement), so comparing it with the kept one is a comparison by identity."""

    def __init__(self) -> None:
        self._entries: list[tuple[Any, Any]] = []

    def get(self, key: Any, default: Any = None) -> Any:
        for kept, compiled in self._entries:
            if kept == key:
                return compiled
        return default

    def __setitem__(self, key: Any, compiled: Any) -> None:
        self._entries = [*self._entries[-3:], (key, compiled)]


_PAGE_OPTIONS = {statement: {"compiled_cache": _OneStatementCache()}
                 for statement in (_PAGE_CLAIM, _PAGE_ITEMS)}


def _page_rows(connection: Any, statement: Select[*tuple[Any, ...]], params: dict[str, Any]) -> Any:
    """The result of one of the page's statements, compiled once per dialect (``_OneStatementCache``)."""
    return connection.execute(statement, params, execution_options=_PAGE_OPTIONS[statement])


def load_claim_page(session: DbSession, claim_id: int) -> Claim:
    """The claim with what its page shows and its steps read: the article, the assignee and proposer,
    the evidence (with who added and removed it) and the conversation (with its authors)."""
    params = {"claim_id": claim_id}
    session = loaded_rows.own_session(session)
    session.flush()  # what the session's autoflush would have done: the rows see the request's changes
    connection = session.connection()
    row = _page_rows(connection, _PAGE_CLAIM, params).first()
    if row is None:
        raise NotFound("There is no such claim.")
    claim: Claim = loaded_rows.persistent(session, _CLAIM_COLUMNS, row)
    loaded_rows.set_loaded(claim, "article", loaded_rows.persistent(session, _ARTICLE_COLUMNS, row))
    loaded_rows.set_loaded(claim, "assignee", loaded_rows.persistent(session, _ASSIGNEE_COLUMNS, row))
    loaded_rows.set_loaded(claim, "proposed_by", loaded_rows.persistent(session, _PROPOSER_COLUMNS, row))
    # As the ORM's own loaders do, a collection this session already holds (with any change not yet
    # flushed) is kept.
    wants_evidence, wants_notes = "evidence" not in claim.__dict__, "notes" not in claim.__dict__
    if wants_evidence or wants_notes:
        items: list[Evidence] = []
        notes: list[Note] = []
        for row in _page_rows(connection, _PAGE_ITEMS, params):
            if row.part:
                if wants_notes:
                    notes.append(_page_note(session, row))
            elif wants_evidence:
                items.append(_page_evidence(session, row))
        if wants_evidence:
            set_committed_value(claim, "evidence", items)
        if wants_notes:
            set_committed_value(claim, "notes", notes)
    return claim


def _page_evidence(session: Session, row: Any) -> Evidence:
    item: Evidence = loaded_rows.persistent(session, _EVIDENCE_COLUMNS, row)
    loaded_rows.set_loaded(item, "added_by", loaded_rows.persistent(session, _ADDED_BY_COLUMNS, row))
    loaded_rows.set_loaded(item, "removed_by", loaded_rows.persistent(session, _REMOVED_BY_COLUMNS, row))
    return item


def _page_note(session: Session, row: Any) -> Note:
    note: Note = loaded_rows.persistent(session, _NOTE_COLUMNS, row)
    loaded_rows.set_loaded(note, "author", loaded_rows.persistent(session, _AUTHOR_COLUMNS, row))
    return note


# What a step on the claim reads: its row (the version the optimistic lock checks, the status the state
# machine moves), with its article for the steps that check the article is still open. The page's
# evidence, notes and people are loaded only when the page is shown again (a refusal, a conflict).
_STEP_CLAIM = select(Claim).where(Claim.id == bindparam("claim_id"))
_STEP_CLAIM_WITH_ARTICLE = _STEP_CLAIM.options(joinedload(Claim.article))
# The claim alone (a note, the mix's write) on the driver, made the session's as the ORM would load it
# (``loaded_rows``): the ORM's execution and loading were a quarter of a note post's view (issue 15).
_STEP_COLUMNS = loaded_rows.Columns(Claim)
_STEP_CLAIM_ROW = select(*loaded_rows.select_columns(_STEP_COLUMNS)).where(Claim.id == bindparam("claim_id"))


def load_claim_for_step(session: DbSession, claim_id: int, *, with_article: bool) -> Claim:
    """The claim a write changes (404 when there is none), without what only its page shows."""
    claim: Claim | None
    if with_article:
        claim = session.scalar(_STEP_CLAIM_WITH_ARTICLE, {"claim_id": claim_id})
    else:
        own = loaded_rows.own_session(session)
        own.flush()  # what the session's autoflush would have done
        rows = driver_sql.run_lean(own.connection(), _STEP_CLAIM_ROW, {"claim_id": claim_id})
        claim = loaded_rows.persistent(own, _STEP_COLUMNS, rows[0]) if rows else None
    if claim is None:
        raise NotFound("There is no such claim.")
    return claim


@dataclass(frozen=True)
class ClaimHistory:
    # Rows of the columns the claim page shows (id, created_at, actor_name, actor_label, action,
    # changes, article_id), named tuples, not AuditEvent objects: the page only reads them.
    events: list[Any]
    more: bool  # older events exist beyond these; the audit timeline has them all


def _history_part(object_type: str, which: Any) -> Select[*tuple[Any, ...]]:
    return (select(AuditEvent.id, AuditEvent.created_at, AuditEvent.actor_id, AuditEvent.actor_label,
                   AuditEvent.action, AuditEvent.changes, AuditEvent.article_id)
            .where(AuditEvent.object_type == object_type, which))


def _history_statement() -> Select[*tuple[Any, ...]]:
    """One statement for every claim, its only parameters the claim's id and the limit: the events of
    the claim, and those of its evidence and of its notes, their ids read by a subquery (each part on the
    log's index of objects). A list of those ids written out into the SQL at every execution (an
    expanding parameter) had cost more than the statement's execution, and kept it off the driver."""
    claim_id: Any = bindparam("claim_id")
    events = union_all(
        _history_part("claim", AuditEvent.object_id == claim_id),
        _history_part("evidence", AuditEvent.object_id.in_(select(Evidence.id).where(Evidence.claim_id == claim_id))),
        _history_part("note", AuditEvent.object_id.in_(select(Note.id).where(Note.claim_id == claim_id))),
    ).subquery("events")
    return (select(events.c.id, events.c.created_at, User.display_name.label("actor_name"), events.c.actor_label,
                   events.c.action, events.c.changes, events.c.article_id)
            .outerjoin(User, User.id == events.c.actor_id)
            .order_by(events.c.id.desc()).limit(bindparam("limit")))


_HISTORY = _history_statement()


def claim_history(session: DbSession, claim: Claim, limit: int = 100) -> ClaimHistory:
    """What happened to a claim, its evidence and its notes: the newest ``limit`` events, oldest first
    (for the claim page, whose cost must not grow with a long history)."""
    # On the driver, compiled once (``driver_sql``): a fixed statement of few columns needs none of
    # SQLAlchemy's execution machinery. The flush is what the session's autoflush would have done.
    session.flush()
    newest = driver_sql.run(session.connection(), _HISTORY, {"claim_id": claim.id, "limit": limit + 1})
    return ClaimHistory(list(reversed(newest[:limit])), len(newest) > limit)


@dataclass(frozen=True)
class ClaimFilters:
    status: str | None = None
    assignee_id: int | None = None
    article_id: int | None = None
    verdict: str | None = None
    overdue: bool = False
    unassigned: bool = False


Listed = TypeVar("Listed", Claim, ClaimRow)


@dataclass(frozen=True)
class ClaimPage(Generic[Listed]):
    claims: list[Listed]
    next_before_id: int | None

    @classmethod
    def of(cls, rows: list[Listed], limit: int) -> ClaimPage[Listed]:
        """The first ``limit`` of ``rows`` (read with one more, which says whether an older page exists)."""
        claims = rows[:limit]
        return cls(claims, claims[-1].id if len(rows) > limit and claims else None)


def list_claims(session: DbSession, filters: ClaimFilters, *, before_id: int | None = None, limit: int = 50,
                today: date | None = None) -> ClaimPage[Claim]:
    """Newest first, keyset-paged on the id: page 2,000 costs what page 1 does, and the number of
    queries is the same whatever the page holds (joined loads, no per-row lazy loads)."""
    stmt = (
        select(Claim)
        .options(joinedload(Claim.article), joinedload(Claim.assignee))
        .order_by(Claim.id.desc())
        .limit(limit + 1)
    )
    return ClaimPage.of(list(session.scalars(_filtered(stmt, filters, before_id, today)).unique()), limit)


def claims_list_rows(session: DbSession, filters: ClaimFilters, *, before_id: int | None = None, limit: int = 50,
                     today: date | None = None) -> ClaimPage[ClaimRow]:
    """``list_claims`` for the claims list page: the columns it shows and those that say what the viewer
    may do with each row, in one statement."""
    params = _filter_values(filters, before_id, today)
    statement = built.once(_claims_list, tuple(params))
    return ClaimPage.of(_rows(session, statement, {**params, "limit": limit + 1})[0], limit)


# The claims list's conditions by name, each value a parameter of that name (``unassigned`` has none).
_CLAIMS_LIST_CONDITIONS: dict[str, Callable[[], Any]] = {
    "before_id": lambda: Claim.id < bindparam("before_id"),
    "status": lambda: Claim.status == bindparam("status"),
    "assignee_id": lambda: Claim.assignee_id == bindparam("assignee_id"),
    "unassigned": lambda: Claim.assignee_id.is_(None),
    "article_id": lambda: Claim.article_id == bindparam("article_id"),
    "verdict": lambda: Claim.verdict == bindparam("verdict"),
    # ``overdue_condition`` compares the due date with what it is given: a parameter serves as a date.
    "today": lambda: overdue_condition(bindparam("today", type_=Date())),  # type: ignore[arg-type]
}


def _claims_list(names: tuple[str, ...]) -> Any:
    """``_filtered(_CLAIMS_LIST)`` with the conditions named, built once for each set of them
    (``built.once``): building the select and its cache key on every view cost more than running it."""
    return _CLAIMS_LIST.where(*(_CLAIMS_LIST_CONDITIONS[name]() for name in names)).limit(bindparam("limit"))


def _filter_values(filters: ClaimFilters, before_id: int | None, today: date | None) -> dict[str, Any]:
    """The conditions ``filters`` asks for, by their names in ``_CLAIMS_LIST_CONDITIONS``, each with
    its parameter's value."""
    return {name: value for name, value in (
        ("before_id", before_id), ("status", filters.status or None), ("assignee_id", filters.assignee_id),
        ("unassigned", True if filters.unassigned else None), ("article_id", filters.article_id),
        ("verdict", filters.verdict or None), ("today", (today or date.today()) if filters.overdue else None),
    ) if value is not None}


def _filtered(stmt: AnySelect, filters: ClaimFilters, before_id: int | None, today: date | None) -> AnySelect:
    values = _filter_values(filters, before_id, today)
    return stmt.where(*(_CLAIMS_LIST_CONDITIONS[name]() for name in values)).params(values)

