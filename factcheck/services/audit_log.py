"""Reading the audit trail: filtered, keyset-paginated listings, per-object timelines and exports.

Every listing walks an index in id order, so the thousandth page costs what the first does on a
log of a million events:

- no filter: the primary key; actor, action, object and article filters: their ``(column, id)``
  indexes (``ix_audit_events_actor_id_id``, ``ix_audit_events_action_id``, ``ix_audit_events_object``,
  ``ix_audit_events_article_id_id``);
- a date range becomes an id range first (two probes of the ``created_at`` index), because every
  event's time is taken under the chain lock (``audit.record``), so time never goes backwards along
  the ids. The id range then combines with whichever index the other filters use.
"""
from __future__ import annotations

import csv
import io
import json
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import (
    DateTime,
    Text,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.orm import joinedload

from factcheck.models import Article, AuditEvent, Claim, Evidence, Note, Revision, User
from factcheck.models.base import UTCDateTime
from factcheck.security.permissions import Action, require
from factcheck.services import audit, built, driver_sql, unchanged
from factcheck.services.checkpoints import Head
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.spreadsheet import neutralise_cell

# Object types whose timeline can name the object (and, for an editor, find the article it belongs to).
SUBJECTS: dict[str, type] = {
    "article": Article, "claim": Claim, "evidence": Evidence, "note": Note, "revision": Revision, "user": User,
}
EXPORT_COLUMNS = (
    "id", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "article_id",
    "changes", "request_id", "ip_address", "prev_hash", "hash", "hash_alg", "seq",
)
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}

# What the services record, by object type: the filter's choices come from here, not from a scan of
# the log on every view. tests/services/test_every_write_audits.py checks every event each write
# records against it, so a new kind of event cannot be left out.
EVENT_KINDS: dict[str, tuple[str, ...]] = {
    "api_token": ("token.issued", "token.revoked"),
    "article": ("article.approved", "article.created", "article.published", "article.reopened",
                "article.status_changed"),
    "audit": ("audit.exported", "audit.verified"),
    "claim": ("claim.accepted", "claim.assigned", "claim.created", "claim.dismissed", "claim.orphaned",
              "claim.reanchored", "claim.reminded", "claim.resolved", "claim.started", "claim.suggested",
              "claim.taken", "claim.text_changed", "notifications.read", "verdict.accepted", "verdict.proposed",
              "verdict.returned", "verdict.withdrawn"),
    "evidence": ("evidence.added", "evidence.edited", "evidence.removed"),
    "note": ("note.added",),
    "notification": ("notifications.read",),
    "revision": ("revision.created", "revision.furniture_restored"),
    "user": ("auth.login", "auth.login_failed", "auth.login_refused", "auth.logout", "auth.signed_out_everywhere",
             "notifications.read", "user.activated", "user.created", "user.deactivated",
             "user.email_notifications_changed", "user.password_changed", "user.roles_changed"),
    "webhook": ("webhook.deleted", "webhook.disabled", "webhook.enabled", "webhook.registered"),
}
ACTIONS: tuple[str, ...] = tuple(sorted({action for actions in EVENT_KINDS.values() for action in actions}))
OBJECT_TYPES: tuple[str, ...] = tuple(sorted(EVENT_KINDS))


@dataclass(frozen=True)
class Filters:
    actor_id: int | None = None
    no_actor: bool = False  # events nobody signed in made: the system, the command line, failed logins
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    article_id: int | None = None
    date_from: date | None = None  # inclusive, UTC
    date_to: date | None = None  # inclusive, UTC

    def query_args(self) -> dict[str, str]:
        """The filters as the page's query-string arguments (empty ones left out)."""
        args = {
            "actor": "none" if self.no_actor else self.actor_id,
            "action": self.action, "object_type": self.object_type, "object_id": self.object_id,
            "article": self.article_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: str(value) for key, value in args.items() if value not in (None, "")}

    def plain(self) -> dict[str, Any]:
        """Every filter as JSON-able values (dates as ISO text), for a job to carry; ``from_plain`` reads it."""
        return {key: value.isoformat() if isinstance(value, date) else value for key, value in asdict(self).items()}

    @classmethod
    def from_plain(cls, values: dict[str, Any]) -> Filters:
        days = {key: date.fromisoformat(values[key]) for key in ("date_from", "date_to") if values.get(key)}
        return cls(**{**values, **days})

    def describe(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, False)}


class EventLine(NamedTuple):
    """An audit event as the pages list it: its columns and its actor's name, without the ORM (an
    entity and its actor cost three times what the columns do, for 50 events a page). A named tuple:
    a frozen dataclass of 14 fields took longer to build than its row took to read."""

    id: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: int | None
    article_id: int | None
    changes: dict[str, Any]
    request_id: str | None
    ip_address: str | None
    hash: str
    actor_name: str | None  # None when no signed-in person did it (or the account is gone)
    article_title: str | None  # None without an article (or when it is gone)


class LineAsRead(NamedTuple):
    """An ``EventLine`` as the log's page reads it: ``changes`` is the recorded JSON text, decoded by
    ``line()`` only for an event whose row the page has not written already (views/audit_rows keeps
    each row's markup by its line as read: every value the row shows, so a row is written again
    whenever anything it shows differs). Decoding the 50 events' changes was 4 % of the page."""

    id: int
    created_at: datetime  # as the driver gives it (SQLite's naive, PostgreSQL's in the session's zone)
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: int | None
    article_id: int | None
    changes: str | None  # as the database holds it: the JSON column's text
    request_id: str | None
    ip_address: str | None
    hash: str
    actor_name: str | None
    article_title: str | None

    def line(self) -> EventLine:
        """The line with its time in UTC and its changes decoded, as the columns' types make them."""
        changes = json.loads(self.changes) if self.changes is not None else None
        return EventLine(self.id, _IN_UTC(self.created_at, None), *self[2:8], changes,  # type: ignore[arg-type]
                         *self[9:])


_IN_UTC = UTCDateTime().process_result_value


_LINE_COLUMNS = (AuditEvent.id, AuditEvent.created_at, AuditEvent.actor_id, AuditEvent.actor_label, AuditEvent.action,
                 AuditEvent.object_type, AuditEvent.object_id, AuditEvent.article_id, AuditEvent.changes,
                 AuditEvent.request_id, AuditEvent.ip_address, AuditEvent.hash, User.display_name, Article.title)

Listed = TypeVar("Listed", AuditEvent, EventLine, LineAsRead)


@dataclass(frozen=True)
class Page(Generic[Listed]):
    events: list[Listed]
    older_before_id: int | None = None  # link to the next older page: ?before=<id>
    newer_after_id: int | None = None  # link to the next newer page: ?after=<id>


@dataclass(frozen=True)
class Timeline:
    object_type: str
    object_id: int
    subject: Any
    events: list[EventLine] = field(default_factory=list)
    next_after_id: int | None = None

    @property
    def subject_label(self) -> str:
        for attribute in ("title", "label", "display_name"):
            value = getattr(self.subject, attribute, None)
            if isinstance(value, str):
                return value
        return ""


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _id_bounds(db: DbSession | Connection, filters: Filters) -> tuple[int, int | None] | None:
    """The id range of the date filter: (lowest id, id to stay below or None); None when empty."""
    low, high = 0, None
    if filters.date_from is not None:
        first = db.scalar(select(AuditEvent.id).where(AuditEvent.created_at >= _day_start(filters.date_from))
                          .order_by(AuditEvent.created_at, AuditEvent.id).limit(1))
        if first is None:
            return None
        low = first
    if filters.date_to is not None and filters.date_to < date.max:
        high = db.scalar(select(AuditEvent.id)
                         .where(AuditEvent.created_at >= _day_start(filters.date_to + timedelta(days=1)))
                         .order_by(AuditEvent.created_at, AuditEvent.id).limit(1))
    return low, high


# Each condition a listing can have, by name, its value a parameter of that name. A listing's statement
# depends only on which conditions it has, so it is built once for each set of them and run with the
# values: building a select, its cache key and (for a new select object) its result's columns took
# SQLAlchemy longer than the database took to run it.
_CONDITIONS: dict[str, Callable[[Any], Any]] = {
    "low": lambda c: c.id >= bindparam("low"),
    "high": lambda c: c.id < bindparam("high"),
    "no_actor": lambda c: c.actor_id.is_(None),
    "actor_id": lambda c: c.actor_id == bindparam("actor_id"),
    "action": lambda c: c.action == bindparam("action"),
    "object_type": lambda c: c.object_type == bindparam("object_type"),
    "object_id": lambda c: c.object_id == bindparam("object_id"),
    "article_id": lambda c: c.article_id == bindparam("article_id"),
    # The keyset: towards older events, towards newer ones.
    "before": lambda c: c.id < bindparam("before"),
    "after": lambda c: c.id > bindparam("after"),
}


def _conditions(filters: Filters, bounds: tuple[int, int | None]) -> dict[str, Any]:
    """The filters' conditions (names of ``_CONDITIONS``), each with its parameter's value."""
    values: dict[str, Any] = {}
    low, high = bounds
    if low:
        values["low"] = low
    if high is not None:
        values["high"] = high
    if filters.no_actor:
        values["no_actor"] = None
    elif filters.actor_id is not None:
        values["actor_id"] = filters.actor_id
    if filters.action:
        values["action"] = filters.action
    if filters.object_type:
        values["object_type"] = filters.object_type
        if filters.object_id is not None:
            values["object_id"] = filters.object_id
    if filters.article_id is not None:
        values["article_id"] = filters.article_id
    return values


def _where(names: Iterable[str], column: Any = None) -> list[Any]:
    c = column if column is not None else AuditEvent.__table__.c
    return [_CONDITIONS[name](c) for name in names]


def _events_select(names: tuple[str, ...], newest_first: bool) -> Any:
    return (select(AuditEvent).options(joinedload(AuditEvent.actor)).where(*_where(names, AuditEvent))
            .order_by(AuditEvent.id.desc() if newest_first else AuditEvent.id).limit(bindparam("limit")))


def list_events(session: DbSession, *, viewer: User, filters: Filters | None = None, before_id: int | None = None,
                after_id: int | None = None, limit: int = 50) -> Page[AuditEvent]:
    """Newest first, ``limit`` at a time; ``before_id`` pages towards older events, ``after_id`` towards
    newer ones. Keyset on the id, so every page costs the same however deep."""
    def fetch(values: dict[str, Any], newest_first: bool, count: int) -> list[AuditEvent]:
        return list(session.scalars(built.once(_events_select, tuple(values), newest_first), {**values, "limit": count}))
    return _page(session, viewer, filters, before_id, after_id, limit, fetch)


def list_lines(session: DbSession, *, viewer: User, filters: Filters | None = None, before_id: int | None = None,
               after_id: int | None = None, limit: int = 50) -> Page[EventLine]:
    """``list_events`` as ``EventLine``s, for the audit log page."""
    return _page(session, viewer, filters, before_id, after_id, limit,
                 lambda values, newest_first, count: _lines(session, values, newest_first, count))


# The actor's name and the article's title joined in (one probe of a primary key each), not looked
# up by statements of their own for the page's events.
_LINES = (select(*_LINE_COLUMNS).outerjoin(User, User.id == AuditEvent.actor_id)
          .outerjoin(Article, Article.id == AuditEvent.article_id))


def _lines_select(names: tuple[str, ...], newest_first: bool) -> Any:
    return (_LINES.where(*_where(names, AuditEvent)).order_by(AuditEvent.id.desc() if newest_first else AuditEvent.id)
            .limit(bindparam("limit")))


def _lines(session: DbSession, values: dict[str, Any], newest_first: bool, count: int) -> list[EventLine]:
    statement = built.once(_lines_select, tuple(values), newest_first)
    return [EventLine(*row) for row in _read(session, statement, {**values, "limit": count}).all()]


def list_lines_as_read(session: DbSession, *, viewer: User, filters: Filters | None = None,
                       before_id: int | None = None, after_id: int | None = None,
                       limit: int = 50) -> Page[LineAsRead]:
    """``list_lines`` with each event's changes as their JSON text (``LineAsRead``), for the log's page.
    On SQLite a page is read again only once the database has changed (``unchanged``): the log and what
    its lines show (names, titles) are rows like any other."""
    require(viewer, Action.AUDIT_READ)

    def read() -> Page[LineAsRead]:
        return _page(session, viewer, filters, before_id, after_id, limit,
                     lambda values, newest_first, count: _lines_as_read(session, values, newest_first, count))

    session.flush()  # what autoflush would have done
    return unchanged.kept_while_unchanged(session.connection(), ("audit lines", filters or Filters(), before_id,
                                                                  after_id, limit), read)


# The same columns, the time as the driver gives it and the changes as the database's text: the
# columns' types make them into a UTC time and a dict for the rows the page writes (``line``).
_LINES_AS_READ = (select(AuditEvent.id, type_coerce(AuditEvent.created_at, DateTime(timezone=True)).label("created_at"),
                         *_LINE_COLUMNS[2:8], cast(AuditEvent.changes, Text).label("changes"), *_LINE_COLUMNS[9:])
                  .outerjoin(User, User.id == AuditEvent.actor_id).outerjoin(Article, Article.id == AuditEvent.article_id))


def _lines_as_read_select(names: tuple[str, ...], newest_first: bool) -> Any:
    return (_LINES_AS_READ.where(*_where(names, AuditEvent))
            .order_by(AuditEvent.id.desc() if newest_first else AuditEvent.id).limit(bindparam("limit")))


def _lines_as_read(session: DbSession, values: dict[str, Any], newest_first: bool, count: int) -> list[LineAsRead]:
    statement = built.once(_lines_as_read_select, tuple(values), newest_first)
    new = tuple.__new__
    return [new(LineAsRead, row) for row in _lean(session, statement, {**values, "limit": count})]


def _lean(session: DbSession, statement: Any, params: dict[str, Any]) -> list[Any]:
    """A kept statement's rows on the driver (``driver_sql.run_lean``): neither the cache key walked
    nor a result built for the page's two statements. The flush is what autoflush would have done."""
    session.flush()
    return driver_sql.run_lean(session.connection(), statement, params)


def _read(session: DbSession, statement: Any, params: dict[str, Any] | None = None) -> Any:
    """The statement's rows, on the session's connection: columns need none of the ORM session's
    execution machinery (a tenth of the log's reading time). The flush is what autoflush would have
    done, so a page sees the request's own changes."""
    session.flush()
    return session.connection().execute(statement, params or {})


class Verification(NamedTuple):
    """The newest ``audit.verified`` event, as the log's page shows it."""

    created_at: datetime
    actor_label: str
    actor_name: str | None  # None when no signed-in person did it (or the account is gone)
    changes: dict[str, Any]  # what it found: intact, count, first_broken_id, problem


def _page(session: DbSession, viewer: User, filters: Filters | None, before_id: int | None, after_id: int | None,
          limit: int, fetch: Callable[[dict[str, Any], bool, int], list[Listed]],
          past: Callable[[dict[str, Any]], bool] | None = None) -> Page[Listed]:
    """The page of ``fetch``'s events; ``past(conditions)`` (default: a statement, ``_any``) says whether
    any event meets the filters' conditions and one of the keyset's, past either end of the page."""
    require(viewer, Action.AUDIT_READ)
    beyond: Callable[[dict[str, Any]], bool] = past if past is not None else lambda values: _any(session, values)
    filters = filters or Filters()
    bounds = _id_bounds(session, filters)
    if bounds is None:
        return Page([])
    where = _conditions(filters, bounds)
    if after_id is not None and before_id is None:
        rows = fetch({**where, "after": after_id}, False, limit + 1)
        events = list(reversed(rows[:limit]))
        if not events:
            return Page([])
        newer = events[0].id if len(rows) > limit else None
        older = events[-1].id if beyond({**where, "before": events[-1].id}) else None
        return Page(events, older, newer)
    rows = fetch({**where, "before": before_id} if before_id is not None else where, True, limit + 1)
    events = rows[:limit]
    if not events:
        return Page([])
    older = events[-1].id if len(rows) > limit else None
    newer = events[0].id if before_id is not None and beyond({**where, "after": events[0].id}) else None
    return Page(events, older, newer)


def _exists_select(names: tuple[str, ...]) -> Any:
    return select(exists().where(*_where(names, AuditEvent)))


def _any(session: DbSession, values: dict[str, Any]) -> bool:
    return bool(session.scalar(built.once(_exists_select, tuple(values)), values))


def recorded(session: DbSession, *, action: str | None = None, object_type: str | None = None) -> bool:
    """Whether the log holds an event of this action or object type: for a value the filter does not
    offer (an event kind the code no longer records), asked only when such a value is requested."""
    return _any(session, {"action": action} if action is not None else {"object_type": object_type})


@dataclass(frozen=True)
class FilterChoices:
    actors: list[tuple[int, str, str]]  # (id, display name, email), by name
    articles: list[tuple[int, str]]  # (id, title), newest first, and the chosen one however old
    # Kept lists only: these lists with an older article chosen, by (id, title), each made once while
    # the lists are kept (so that a filtered view's choices are the same object at every view).
    with_chosen: dict[tuple[int, str], FilterChoices] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def names(self) -> dict[int, str]:
        """Everyone's display name by id."""
        return {person: name for person, name, _email in self.actors}


_ARTICLE_CHOICES = 300

# What the filter offers changes only when someone joins or is changed (a new highest id, a newer
# ``updated_at``: every change of a user sets it) or an article comes in (a new highest id; a title is
# written once and articles are never deleted). These three figures are the lists' signature.
_USERS_TOP = select(func.max(User.id)).scalar_subquery()
_USERS_CHANGED = select(func.max(User.updated_at)).scalar_subquery()
_ARTICLES_TOP = select(func.max(Article.id)).scalar_subquery()
# Never a signature: what is asked when nothing is known yet.
_UNKNOWN = {"users_top": -1, "users_changed": datetime(1, 1, 1, tzinfo=UTC), "articles_top": -1}


def _filter_choices_statement(chosen_article: bool, sort_text: bool = False) -> Any:
    """The lists' signature (kind -1), and only when it is not the one given (``users_top``,
    ``users_changed``, ``articles_top``) the people (kind 0) and the newest titles (kind 1); the chosen
    article (kind 2) whenever one is asked for; the last verification (kind 3), if any, which the
    page shows above the filter (a statement of its own cost more to run than to answer). The
    signature's subqueries are uncorrelated: each runs once, and the lists' condition, which names no
    table, is decided before their rows are read."""
    changed = or_(_USERS_TOP.is_distinct_from(bindparam("users_top")),
                  _USERS_CHANGED.is_distinct_from(bindparam("users_changed", type_=UTCDateTime())),
                  _ARTICLES_TOP.is_distinct_from(bindparam("articles_top")))
    no_time = cast(null(), UTCDateTime())
    signature = select(literal_column("-1").label("kind"), _USERS_TOP.label("id"), null().label("text"),
                       null().label("email"), null().label("sort_text"), _ARTICLES_TOP.label("sort_id"),
                       _USERS_CHANGED.label("changed"), null().label("recorded"))
    # Users sort by name (in the database's collation, as the filter always listed them), articles
    # newest first.
    people: Any = select(literal_column("0"), User.id, User.display_name, User.email, User.display_name, User.id,
                         no_time, null()).where(changed)
    # The condition outside the newest titles' subquery, which keeps its walk of the primary key.
    newest = select(Article.id, Article.title).order_by(Article.id.desc()).limit(_ARTICLE_CHOICES).subquery()
    parts = [signature, people, select(literal_column("1"), newest.c.id, newest.c.title, null(), null(),
                                       -newest.c.id, no_time, null()).where(changed)]
    if chosen_article:
        parts.append(select(literal_column("2"), Article.id, Article.title, null(), null(), -Article.id, no_time,
                            null()).where(Article.id == bindparam("chosen_article")))
    # One probe of the (action, id) index; its actor's name, its time and what it found (the JSON text).
    check = (select(AuditEvent.id, AuditEvent.created_at, AuditEvent.actor_id, AuditEvent.actor_label,
                    AuditEvent.changes).where(AuditEvent.action == audit.VERIFIED)
             .order_by(AuditEvent.id.desc()).limit(1).subquery())
    parts.append(select(literal_column("3"), check.c.id, User.display_name, check.c.actor_label, null(), check.c.id,
                        check.c.created_at, cast(check.c.changes, Text))
                 .select_from(check).outerjoin(User, User.id == check.c.actor_id))
    both = union_all(*parts).subquery()
    # ``sort_text``: the order's text as a last column, for a statement that orders the rows itself.
    return select(both.c.kind, both.c.id, both.c.text, both.c.email, both.c.sort_id, both.c.changed,
                  both.c.recorded, *([both.c.sort_text] if sort_text else [])
                  ).order_by(both.c.kind, both.c.sort_text, both.c.sort_id)


# Built once per process: building the union cost more than running it.
_FILTER_CHOICES = {chosen: _filter_choices_statement(chosen) for chosen in (False, True)}
# Per database: the signature and the lists last read (without a chosen article).
_KEPT_CHOICES: weakref.WeakKeyDictionary[Any, tuple[dict[str, Any], FilterChoices]] = weakref.WeakKeyDictionary()


def filter_choices(session: DbSession, chosen_article: int | None = None) -> FilterChoices:
    """Everyone who could appear as an actor and the newest articles' titles (plus the article already
    chosen, however old), for the filter: one statement, not one for each list. The lists are kept
    with their signature and read again only when it changes: some 340 rows read on every view of
    the log were a tenth of its time."""
    return choices_and_verification(session, chosen_article)[0]


def choices_and_verification(session: DbSession,
                             chosen_article: int | None = None) -> tuple[FilterChoices, Verification | None]:
    """``filter_choices`` and the last verification, in the same statement; on SQLite read again only
    once the database has changed (``unchanged``)."""
    engine = session.get_bind()

    def read() -> tuple[FilterChoices, Verification | None]:
        params = _choices_params(engine, chosen_article)
        return _choices_read(engine, _lean(session, _FILTER_CHOICES[chosen_article is not None], params))

    session.flush()  # what autoflush would have done
    return unchanged.kept_while_unchanged(session.connection(), ("audit choices", chosen_article), read)


def _choices_params(engine: Any, chosen_article: int | None) -> dict[str, Any]:
    """The choices statement's parameters: the signature of the lists kept, and the chosen article."""
    kept = _KEPT_CHOICES.get(engine)
    params: dict[str, Any] = dict(kept[0] if kept is not None else _UNKNOWN)
    if chosen_article is not None:
        params["chosen_article"] = chosen_article
    return params


def _choices_read(engine: Any, rows: Sequence[Any]) -> tuple[FilterChoices, Verification | None]:
    """The choices and the last verification from the choices statement's rows (read with
    ``_choices_params``), the lists kept with their signature."""
    kept = _KEPT_CHOICES.get(engine)
    signature_row, chosen = rows[0], [(row.id, row.text) for row in rows if row.kind == 2]
    last = rows[-1]
    verification = Verification(last.changed, last.email, last.text, json.loads(last.recorded)) \
        if last.kind == 3 else None
    signature = {"users_top": signature_row.id, "users_changed": signature_row.changed,
                 "articles_top": signature_row.sort_id}
    if kept is None or signature != kept[0]:
        articles: dict[int, str] = {}
        for row in rows:
            if row.kind == 1:
                articles.setdefault(row.id, row.text)
        kept = signature, FilterChoices([(row.id, row.text, row.email) for row in rows if row.kind == 0],
                                        list(articles.items()))
        _KEPT_CHOICES[engine] = kept
    choices = kept[1]
    if chosen and all(article != chosen[0][0] for article, _title in choices.articles):
        # Not among the newest, so older than all of them: last. The same people, so the same names
        # (views/audit_rows keeps rows by the names they were written with). Made once while the
        # lists are kept (a few at most: the dict starts again with new lists).
        with_chosen = choices.with_chosen.get(chosen[0])
        if with_chosen is None:
            with_chosen = FilterChoices(choices.actors, [*choices.articles, chosen[0]])
            with_chosen.__dict__["names"] = choices.names
            if len(choices.with_chosen) >= 64:
                choices.with_chosen.clear()
            choices.with_chosen[chosen[0]] = with_chosen
        return with_chosen, verification
    return choices, verification


def kept_choices(session: DbSession, chosen_article: int | None = None) -> FilterChoices | None:
    """The filter's choices as last read from this database (with ``chosen_article`` as it was read
    with them, if it is an older one), or None when none were read yet: what a filtered view on
    PostgreSQL validates its filters against before the statement that reads the choices again with
    the page's events (``filtered_page``), which says whether they are still the database's."""
    kept = _KEPT_CHOICES.get(session.get_bind())
    if kept is None:
        return None
    choices = kept[1]
    if chosen_article is None or any(article == chosen_article for article, _title in choices.articles):
        return choices
    return next((found for (article, _title), found in choices.with_chosen.items() if article == chosen_article),
                None)


def unfiltered_page(session: DbSession, *, viewer: User, before_id: int | None = None, after_id: int | None = None,
                    limit: int = 50) -> tuple[FilterChoices, Verification | None, Page[LineAsRead]]:
    """The log's page with nothing filtered (its first view and its older and newer pages), the
    filter's choices and the last verification: ``choices_and_verification`` and
    ``list_lines_as_read``. On PostgreSQL both selects are read in one statement (one round trip to
    the server, not two: ``driver_sql.together``), with the log's newest and oldest ids for the
    links to older and newer pages; elsewhere, one each, and the three read again only once the
    database has changed (``unchanged``: one question for the page, not one for each read). The
    viewer's permission is checked every time."""
    return _page_with_choices(session, viewer, None, None, before_id, after_id, limit)


def filtered_page(session: DbSession, *, viewer: User, filters: Filters, chosen_article: int | None,
                  before_id: int | None = None, after_id: int | None = None,
                  limit: int = 50) -> tuple[FilterChoices, Verification | None, Page[LineAsRead]]:
    """``unfiltered_page`` with ``filters`` (and ``chosen_article``, the article the filter's form
    asked for, offered however old): on PostgreSQL the choices with that article, the last
    verification and the filtered page's events in one statement, not one for the choices and one
    for the events (a date filter's id range is still read first, and whether there are events past
    either end of an older or newer page is its own question, as before). The caller validated
    ``filters`` against choices read before: it compares them with those given back (``kept_choices``
    are the same object while the lists are unchanged). Elsewhere ``choices_and_verification`` and
    ``list_lines_as_read``."""
    return _page_with_choices(session, viewer, filters, chosen_article, before_id, after_id, limit)


Validated = TypeVar("Validated")
# A refused filter's page (made once: a subscripted generic class's call was 2 % of the log's view).
# Shared: callers must not change it.
_NO_LINES: Page[LineAsRead] = Page([])


def log_page(session: DbSession, *, viewer: User, filtered: bool, chosen_article: int | None,
             validate: Callable[[FilterChoices], tuple[Filters | None, Validated]], before_id: int | None = None,
             after_id: int | None = None,
             limit: int = 50) -> tuple[FilterChoices, Verification | None, Page[LineAsRead], Validated | None]:
    """The log's page as its view shows it: the filter's choices, the last verification, the page's lines
    and what ``validate`` made of the filter asked for against the choices (None when nothing is
    ``filtered``). ``validate(choices)`` gives the filters, or None when the request's filter is not
    valid against those choices (the page is then empty), and the caller's outcome of it (its errors
    and fields, say); it may be called again with other choices, and must give the same outcome for
    the same choices. How the database is read is decided here, not by the view:

    - nothing filtered: ``unfiltered_page`` (one statement on PostgreSQL; kept while unchanged on SQLite);
    - filtered, on PostgreSQL, with choices read before (``kept_choices``): the filter is validated
      against them and the choices read again with the events in one statement (``filtered_page``);
      choices given back that differ from those (someone joined, an article came in) validate it again,
      and the events are read again only if that changes the filters;
    - otherwise (SQLite, or no choices read yet on PostgreSQL): the choices first, then the events
      (each kept while the SQLite database is unchanged)."""
    if not filtered:
        return (*unfiltered_page(session, viewer=viewer, before_id=before_id, after_id=after_id, limit=limit), None)
    provisional = kept_choices(session, chosen_article) if session.get_bind().dialect.name == "postgresql" else None
    if provisional is not None:
        filters, validated = validate(provisional)
        if filters is not None:
            choices, verification, page = filtered_page(session, viewer=viewer, filters=filters,
                                                         chosen_article=chosen_article, before_id=before_id,
                                                         after_id=after_id, limit=limit)
            if choices is not provisional:
                lines_read_for = filters
                filters, validated = validate(choices)
                if filters is None:
                    page = _NO_LINES
                elif filters != lines_read_for:
                    page = list_lines_as_read(session, viewer=viewer, filters=filters, before_id=before_id,
                                              after_id=after_id, limit=limit)
            return choices, verification, page, validated
    choices, verification = choices_and_verification(session, chosen_article)
    filters, validated = validate(choices)
    if filters is None:
        require(viewer, Action.AUDIT_READ)  # an invalid filter shows nothing, to a reader only
        return choices, verification, _NO_LINES, validated
    return choices, verification, list_lines_as_read(session, viewer=viewer, filters=filters, before_id=before_id,
                                                     after_id=after_id, limit=limit), validated


def _page_with_choices(session: DbSession, viewer: User, filters: Filters | None, chosen_article: int | None,
                       before_id: int | None, after_id: int | None,
                       limit: int) -> tuple[FilterChoices, Verification | None, Page[LineAsRead]]:
    engine = session.get_bind()
    if engine.dialect.name != "postgresql" and filters is not None:
        choices, verification = choices_and_verification(session, chosen_article)
        return choices, verification, list_lines_as_read(session, viewer=viewer, filters=filters,
                                                         before_id=before_id, after_id=after_id, limit=limit)
    if engine.dialect.name != "postgresql":
        require(viewer, Action.AUDIT_READ)

        def whole_page() -> tuple[FilterChoices, Verification | None, Page[LineAsRead]]:
            choices, verification = choices_and_verification(session)
            return choices, verification, list_lines_as_read(session, viewer=viewer, before_id=before_id,
                                                              after_id=after_id, limit=limit)

        session.flush()  # what autoflush would have done
        return unchanged.kept_while_unchanged(session.connection(), ("audit page", before_id, after_id, limit),
                                              whole_page)
    # On PostgreSQL whether there are events past either end of the page is answered by the log's
    # newest and oldest ids, read in the same statement and snapshot (``unchanged.gated``), not by a
    # statement of its own. The page itself is read at every view: it shows the log as the database
    # holds it, whoever changed it.
    session.flush()  # what autoflush would have done
    connection = session.connection()
    read: list[tuple[FilterChoices, Verification | None]] = []
    probed: list[unchanged.Probe] = []
    lines_read: list[_LinesRead] = []

    def fetch(values: dict[str, Any], newest_first: bool, count: int) -> list[LineAsRead]:
        key = (tuple(values.items()), newest_first, count)
        kept = _kept_lines(engine).get(key)
        lines_read.append(kept if kept is not None else _LinesRead("", []))
        probe, (choice_rows, [versions], line_rows) = unchanged.read_together(
            connection, _choices_and_lines(tuple(values), newest_first, count, chosen_article is not None),
            {**_choices_params(engine, chosen_article), **values, "kept_lines": kept.versions if kept else _NO_VERSIONS},
            None)
        probed.append(probe)
        read.append(_choices_read(engine, choice_rows))
        if kept is not None and versions.versions == kept.versions:
            return kept.rows  # the very rows read last time: their lines were not sent again
        lines_read[-1] = _LinesRead(versions.versions, line_rows)
        if not probe.wrote:  # rows of the transaction's own writes are not kept (they may be rolled back)
            _keep_lines(engine, key, lines_read[-1])
        return line_rows  # made as ``LineAsRead``s by the statement's reading (``_choices_and_lines``)

    def past(values: dict[str, Any]) -> bool:
        [probe] = probed
        if "before" in values:
            return probe.bottom_id is not None and probe.bottom_id < values["before"]
        return probe.top_id is not None and probe.top_id > values["after"]

    # The log's ends answer for the unfiltered log only: a filter's events past a page are asked for.
    unfiltered = filters is None or filters == Filters()
    page = _page(session, viewer, filters, before_id, after_id, limit, fetch, past if unfiltered else None)
    if lines_read:
        # The page made of the same rows with the same links is the page made last time: given again,
        # the same object, so that what the view made of it is known by its identity.
        [lines] = lines_read
        last = lines.page
        if last is not None and last.events == page.events and \
                (last.older_before_id, last.newer_after_id) == (page.older_before_id, page.newer_after_id):
            page = last
        else:
            lines.page = page
    if not read:  # no lines were asked for (a date range without events), but never a page without choices
        return (*choices_and_verification(session, chosen_article), page)
    return (*read[0], page)


_CHOICES_AND_LINES: dict[tuple[Any, ...], driver_sql.Together] = {}

# The page's lines as PostgreSQL last sent them, per engine, by their conditions, order and count: the
# row versions they were read from (``_versions``) and the lines. Never a version list: what is sent
# when nothing is kept.
_NO_VERSIONS = "-"
_LINES_KEPT_AT_MOST = 64


@dataclass
class _LinesRead:
    """A page's lines as read (``rows``, as ``_page`` asked for them) and the row versions they were read
    from; ``page``, the page last made of them."""
    versions: str
    rows: list[LineAsRead]
    page: Page[LineAsRead] | None = None


_KEPT_LINES: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], _LinesRead]] = weakref.WeakKeyDictionary()


def _kept_lines(engine: Any) -> dict[tuple[Any, ...], _LinesRead]:
    kept = _KEPT_LINES.get(engine)
    if kept is None:
        kept = _KEPT_LINES.setdefault(engine, {})
    return kept


def _keep_lines(engine: Any, key: tuple[Any, ...], lines: _LinesRead) -> None:
    kept = _kept_lines(engine)
    if len(kept) >= _LINES_KEPT_AT_MOST and key not in kept:
        kept.clear()  # other filters or pages: a few at most are current
    kept[key] = lines


class _Versions(NamedTuple):
    versions: str


def _versions(lines: Any, newest_first: bool) -> Any:
    """The row versions the page's lines are read from, as one text: for each event (page order) its
    id, its row version (``xmin``, the transaction that wrote it, and ``ctid``, where) and the versions
    of its actor's and article's rows. PostgreSQL never changes a row in place: any UPDATE (the
    append-only triggers set aside by the table's owner, a person renamed, an article's title) writes a
    new version with the writing transaction's id, and a deleted row is gone from the join; so equal
    texts mean the very rows, value for value, and the lines need not be sent again (a transaction id
    is 32 bits: the same text for another row would need a new version written at the very same place
    by a transaction 2^32 transactions later, while this process kept the old one). ``lines`` is the
    page's lines' select with its conditions, order and LIMIT (its FROM the three tables, not aliased)."""
    names = lines.with_only_columns(
        AuditEvent.id,
        func.concat_ws(":", AuditEvent.id, literal_column("audit_events.xmin"), literal_column("audit_events.ctid"),
                       func.coalesce(cast(literal_column("users.xmin"), Text), "-"),
                       func.coalesce(cast(literal_column("articles.xmin"), Text), "-")).label("version"),
    ).subquery("line_versions")
    order = names.c.id.desc() if newest_first else names.c.id
    return select(func.coalesce(func.string_agg(names.c.version, aggregate_order_by(literal_column("','"), order)),
                                "")).scalar_subquery()


def _choices_and_lines(names: tuple[str, ...], newest_first: bool, count: int,
                       chosen: bool = False) -> driver_sql.Together:
    """The choices (with a chosen article or not) and the page's ``count`` lines in one PostgreSQL
    statement, built once per shape of the lines' conditions and count (the page's, always the same:
    a LIMIT written in, not a parameter, so that PostgreSQL can plan the prepared statement once)."""
    key = (names, newest_first, count, chosen)
    selects = _CHOICES_AND_LINES.get(key)
    if selects is None:
        if len(_CHOICES_AND_LINES) >= 64:  # a bound: counts come from the caller
            _CHOICES_AND_LINES.clear()
        choices = _filter_choices_statement(chosen, sort_text=True)
        lines = _lines_as_read_select(names, newest_first).limit(count)
        selects = unchanged.gated(
            (unchanged.constants_written(choices), lambda rows: (rows.c.kind, rows.c.sort_text, rows.c.sort_id)),
            (unchanged.constants_written(lines), lambda rows: (rows.c.id.desc() if newest_first else rows.c.id,)),
            gate=False,
        )
        # The lines read as ``LineAsRead``s (the same columns, in the same order), not as rows made
        # again as lines.
        assert len(selects.rows[-1]._fields) == len(LineAsRead._fields)
        # The lines' row versions read first, once (a subquery PostgreSQL does not pull up: OFFSET 0),
        # and the lines sent only when they are not the versions kept (``kept_lines``): an unchanged
        # page is a short text, not its 51 lines' JSON made, sent and read again (CASE runs the lines'
        # subquery only when it is taken).
        probe, choices_column, lines_column = selects.statement.selected_columns
        versions = unchanged.constants_written(
            select(_versions(unchanged.constants_written(lines), newest_first).label("versions"))
            .offset(literal_column("0"))).subquery("kept")
        statement = select(
            probe, choices_column, func.json_build_array(func.json_build_array(versions.c.versions)).label("versions"),
            case((versions.c.versions.is_distinct_from(bindparam("kept_lines", type_=Text())), lines_column.element),
                 else_=null()).label(lines_column.name),
        ).select_from(versions)
        selects = _CHOICES_AND_LINES[key] = driver_sql.Together(
            statement, (*selects.rows[:-1], _Versions, LineAsRead),
            (*selects.types[:-1], (Text(),), selects.types[-1]))
    return selects


def timeline_subject(session: DbSession, object_type: str, object_id: int) -> Any:
    model = SUBJECTS.get(object_type)
    return session.get(model, object_id) if model is not None else None


def timeline(session: DbSession, *, viewer: User, object_type: str, object_id: int, after_id: int | None = None,
             limit: int = 200) -> Timeline:
    """Everything that happened to one object, oldest first. An article's timeline also holds what
    happened inside it (its revisions, claims, evidence and notes): every event that names it."""
    subject = timeline_subject(session, object_type, object_id)
    require(viewer, Action.AUDIT_TIMELINE, subject)
    where: dict[str, Any] = {"article_id": object_id} if object_type == "article" \
        else {"object_type": object_type, "object_id": object_id}
    if after_id is not None:
        where["after"] = after_id
    rows = _lines(session, where, False, limit + 1)
    events = rows[:limit]
    return Timeline(object_type, object_id, subject, events, events[-1].id if len(rows) > limit else None)


# ---- export ----------------------------------------------------------------------------------------

def record_export(ctx: Context, *, actor: User, filters: Filters, fmt: str) -> int:
    """Audit an export before it starts; returns the id the export stops below (its own event's),
    so the file is the log as it stood at the moment of the request."""
    ctx.require(actor, Action.AUDIT_EXPORT)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    with transaction(ctx.session):
        event = audit.record(ctx, actor=actor, action=audit.EXPORTED, object_type="audit", object_id=None,
                             changes=audit.created({"format": fmt, "filters": filters.describe()}))
    return event.id  # given as the transaction commits


def export_batches(connection: Connection, filters: Filters, stop_below: int,
                   batch_size: int = 1000) -> Iterator[Sequence[Row[Any]]]:
    """The filtered events, oldest first, ``batch_size`` rows at a time (keyset on the id): memory
    holds one batch however long the log is."""
    bounds = _id_bounds(connection, filters)
    if bounds is None:
        return
    table = AuditEvent.__table__
    where = _conditions(filters, bounds)
    statement = select(*table.c).where(*_where(where), table.c.id > bindparam("after"),
                                       table.c.id < stop_below).order_by(table.c.id).limit(batch_size)
    last_id = 0
    while True:
        batch = connection.execute(statement, {**where, "after": last_id}).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def _plain(row: Row[Any]) -> dict[str, Any]:
    values = row._asdict()
    values["created_at"] = values["created_at"].isoformat()
    return {column: values[column] for column in EXPORT_COLUMNS}


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(EXPORT_COLUMNS)
    return buffer.getvalue()


def csv_chunk(batch: Sequence[Row[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in batch:
        values = _plain(row)
        values["changes"] = json.dumps(values["changes"], ensure_ascii=False, sort_keys=True)
        # Text typed by anyone (a sign-in e-mail, a quote) never runs as a formula in a spreadsheet.
        writer.writerow(neutralise_cell(value) if isinstance(value, str) else value
                        for value in (values[column] for column in EXPORT_COLUMNS))
    return buffer.getvalue()


def jsonl_chunk(batch: Sequence[Row[Any]]) -> str:
    return "".join(json.dumps(_plain(row), ensure_ascii=False) + "\n" for row in batch)


def export_head(connection: Connection, stop_below: int) -> Head | None:
    """The chain's head as an export sees it: the newest event below the export's own."""
    row = connection.execute(select(AuditEvent.id, AuditEvent.hash, AuditEvent.seq)
                             .where(AuditEvent.id < stop_below).order_by(AuditEvent.id.desc()).limit(1)).first()
    return Head(row.id, row.hash, row.seq or 0) if row is not None else None


def export_checkpoint(connection: Connection, filters: Filters, stop_below: int, fmt: str, *, events: int,
                      key: bytes) -> str:
    """The export's last line: the chain's head, the number of events above, and their MAC
    (``audit.archive_checkpoint``); ``audit verify-archive`` checks it. In CSV it is a row whose
    ``id`` is "checkpoint" and whose ``changes`` holds the same JSON."""
    checkpoint = audit.archive_checkpoint(export_head(connection, stop_below), events=events,
                                          filtered=bool(filters.describe()), key=key)
    if fmt == "jsonl":
        return json.dumps(checkpoint, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    head = checkpoint["checkpoint"]["head"] or {}
    values = {column: "" for column in EXPORT_COLUMNS}
    values.update(id="checkpoint", changes=json.dumps(checkpoint["checkpoint"], sort_keys=True),
                  hash=head.get("hash", ""), seq=head.get("seq", ""))
    csv.writer(buffer).writerow(values[column] for column in EXPORT_COLUMNS)
    return buffer.getvalue()


def export_stream(connection: Connection, filters: Filters, stop_below: int, fmt: str, *, key: bytes) -> Iterator[str]:
    """The whole export as text chunks: CSV header, the events in batches, the checkpoint line."""
    if fmt == "csv":
        yield csv_header()
    chunk = csv_chunk if fmt == "csv" else jsonl_chunk
    events = 0
    for batch in export_batches(connection, filters, stop_below):
        events += len(batch)
        yield chunk(batch)
    yield export_checkpoint(connection, filters, stop_below, fmt, events=events, key=key)


def export_lines(engine: Engine, filters: Filters, stop_below: int, fmt: str, *, key: bytes) -> Iterator[str]:
    """``export_stream`` on a connection of its own, opened when the first chunk is asked for.

    It needs no request and no session, so a web response can stream it: holding the request's
    context open for the whole download would keep its session alive, and (Flask 3.1) a primed stream
    that is never read, as when a client drops the response, pops the wrong context when it is
    garbage-collected."""
    with engine.connect() as connection:
        yield from export_stream(connection, filters, stop_below, fmt, key=key)
