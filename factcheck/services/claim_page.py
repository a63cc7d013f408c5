"""What the claim page reads when it is opened, in one go: who else has the claim open and whether the
viewer has unread notifications about it, the claim with its article and people, its evidence and notes,
and its history. Four statements, each already kept and compiled once elsewhere (``presence``,
``claim_queries``); here they are run on the driver (``driver_sql.run_lean``) and, on PostgreSQL, sent
together in one round trip (psycopg's pipeline mode). No writes here.

On PostgreSQL each statement was a round trip: the page waited for the server four times, and each
wait is a wake-up of two processes on a busy machine. SQLAlchemy's execution path (its compiled cache,
execution context and result) cost more than SQLite took to answer these statements (issue 15).
"""
from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import literal_column
from sqlalchemy.engine import Connection
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import NotFound
from factcheck.models import Claim, User
from factcheck.services import claim_queries, driver_sql, loaded_rows, presence, unchanged
from factcheck.services.context import DbSession

# The statements are those of the functions that read the same things one at a time (which the page
# still uses after a write): one definition each, so the two ways cannot drift apart.
_OPENING = presence._OPENING
_CLAIM, _ITEMS, _HISTORY = claim_queries._PAGE_CLAIM, claim_queries._PAGE_ITEMS, claim_queries._HISTORY
HISTORY_SHOWN = 100
Read = TypeVar("Read")


class Opened(NamedTuple):
    present: list[presence.Present]
    unread: bool  # the viewer has notifications about the claim not yet read
    claim: Claim | None  # None: there is no such claim
    history: claim_queries.ClaimHistory | None


def read_on_opening(session: DbSession, claim_id: int, viewer: User, now: datetime) -> Opened:
    """``presence.on_opening``, ``claim_queries.load_claim_page`` and ``claim_history`` in one go: the
    same rows, made into the same objects. The claim's objects are made only when nothing is unread:
    marking the notifications read commits, which expires them, and the page then loads the claim
    afterwards as before (``unread``)."""
    opening = open_claim(session, claim_id, viewer, now)
    if opening.unread:
        return Opened(opening.present, True, None, None)
    claim, history = opening.objects()
    return Opened(opening.present, False, claim, history)


class Opening:
    """What ``open_claim`` read: who else is there and whether anything is unread, typed; the claim's,
    its items' and its history's rows as the driver gave them (``rows``), made into the session's
    objects only when asked (``objects``): a page the view has kept for exactly these rows needs none.
    ``unchanged``: the database has not changed since the reading ``stamp`` named (then the rows were not
    read; they are read if asked for). ``stamp``: what names the state of the database the rows were read
    in, for a page written from them to be kept with (None: not to be trusted past this view)."""

    __slots__ = ("_fetched", "_params", "_session", "people", "present", "stamp", "unchanged", "unread")

    def __init__(self, session: Any, present: list[presence.Present], unread: bool,
                 fetched: Sequence[Fetched] | None, params: Mapping[str, Any] | None = None,
                 stamp: Any = None, unchanged: bool = False, people: Any = None) -> None:
        self._session, self.present, self.unread, self._fetched = session, present, unread, fetched
        self._params, self.stamp, self.unchanged = params, stamp, unchanged
        # PostgreSQL: the versions of every user and role the probe read (``checkers``); None elsewhere,
        # or when the statement's transaction had written.
        self.people = people

    def _read(self) -> Sequence[Fetched]:
        if self._fetched is None:  # the database was unchanged, but the rows are wanted after all
            self._fetched = fetch_all(self._session.connection(), (_CLAIM, _ITEMS, _HISTORY), self._params or {})
        return self._fetched

    @property
    def rows(self) -> tuple[Sequence[Any], ...]:
        """The driver's rows of the claim, its items and its history (plain values, compared with ``==``)."""
        return tuple(fetched.raw for fetched in self._read())

    def objects(self) -> tuple[Claim, claim_queries.ClaimHistory]:
        claim_rows, items, newest = (_typed(*fetched) for fetched in self._read())
        claim = _claim_of(self._session, claim_rows[0], items)
        history = claim_queries.ClaimHistory(list(reversed(newest[:HISTORY_SHOWN])), len(newest) > HISTORY_SHOWN)
        return claim, history


def open_claim(session: DbSession, claim_id: int, viewer: User, now: datetime, stamp: Any = None) -> Opening:
    """The four statements of ``read_on_opening``, the claim's rows left as the driver gave them (404
    when there is no such claim and nothing unread). ``stamp``: the ``Opening.stamp`` a page kept for
    this claim and viewer was written with; when the database has not changed since, only who else is
    there and whether anything is unread are read (``Opening.unchanged``): one statement, not four."""
    own = loaded_rows.own_session(session)
    own.flush()  # what the session's autoflush would have done: the rows see the request's changes
    params = {"claim_id": claim_id, "viewer_id": viewer.id, "user_id": viewer.id,
              "fresh_since": now - presence.FRESH_FOR, "limit": HISTORY_SHOWN + 1}
    connection = own.connection()
    if connection.dialect.name == "sqlite":
        since = unchanged.unchanged_since(connection)
        if stamp is not None and since is not None and stamp > since:
            [opening] = fetch_all(connection, (_OPENING,), params)
            return _opened(own, opening, None, params, stamp, unchanged=True)
        began = unchanged.reading_begins() if since is not None else None
        opening, *fetched = fetch_all(connection, (_OPENING, _CLAIM, _ITEMS, _HISTORY), params)
        return _opened(own, opening, fetched, params, _sqlite_stamp(connection, began))
    if connection.dialect.name != "postgresql":
        opening, *fetched = fetch_all(connection, (_OPENING, _CLAIM, _ITEMS, _HISTORY), params)
        return _opened(own, opening, fetched, params, None)
    if stamp is not None:
        # A page is kept: first ask whether the database has changed since (with who else is there).
        [opening] = fetch_all(connection, (_OPENING_PROBED,), params)
        newest, people = _newest(opening), _people_versions(opening)
        if newest == stamp:
            return _opened(own, opening, None, params, stamp, unchanged=True, people=people)
        return _opened(own, opening, fetch_all(connection, (_CLAIM, _ITEMS, _HISTORY), params), params, newest,
                       people=people)
    # The probe's statement is sent first: rows read after it hold every change it saw, and perhaps
    # later ones, which a later probe then sees.
    opening, *fetched = fetch_all(connection, (_OPENING_PROBED, _CLAIM, _ITEMS, _HISTORY), params)
    return _opened(own, opening, fetched, params, _newest(opening), people=_people_versions(opening))


def _opened(session: Any, opening: Fetched, fetched: Sequence[Fetched] | None, params: Mapping[str, Any],
            stamp: Any, *, unchanged: bool = False, people: Any = None) -> Opening:
    present, unread = [], False
    for flag, user_id, name, since, *_probe in _typed(*opening):
        unread = bool(flag)
        if user_id is not None:
            present.append(presence.Present(presence.Person(user_id, name), since))
    if not unread and fetched is not None and not fetched[0].raw:
        raise NotFound("There is no such claim.")
    return Opening(session, present, unread, fetched, params, stamp, unchanged, people)


# ---- whether the database has changed since a page was written --------------------------------------
# The same signs ``unchanged`` keeps the dashboard's figures by. SQLite: the watch's ``PRAGMA
# data_version``, which moves at any commit to the file by any connection; a reading is stamped with a
# tick taken after the watch last gave its number, and trusted while no change has been seen since.
# PostgreSQL: the audit log's newest event, which every write of the application adds to in the
# transaction of its change (``unchanged``'s docstring), asked in the opening's own statement, with
# whether that statement's transaction has written (its rows would be its own). People are renamed, and
# their roles changed, outside the application too (the application has no way to rename anyone): so
# the statement also reads the row versions (``xmin``, new at every insert and update) of every user
# and role, a few dozen rows. A reading is stamped with the three, and trusted while they are the same.
_PEOPLE: Any = literal_column("(SELECT md5(string_agg(u.id::text || ':' || u.xmin::text, ',' ORDER BY u.id)) "
                         "FROM users AS u)")
_ROLES: Any = literal_column("(SELECT md5(string_agg(r.user_id::text || ':' || r.role || ':' || r.xmin::text, ',' "
                        "ORDER BY r.user_id, r.role)) FROM user_roles AS r)")
_OPENING_PROBED = unchanged.constants_written(
    _OPENING.add_columns(unchanged.NEWEST_EVENT.label("newest"), _PEOPLE.label("people"), _ROLES.label("roles"),
                         unchanged.TRANSACTION_WROTE.label("wrote")))


def _people_versions(opening: Fetched) -> tuple[str, str] | None:
    """The probe's versions of the users and of their roles; None when the statement's transaction wrote
    (its rows may be its own, not committed)."""
    *_opening, _newest_event, people, roles, wrote = opening.raw[0]
    return None if wrote else (people, roles)


# ---- the assignment form's checkers, kept while the people are unchanged -----------------------------
# Who is offered as a checker depends on the users and their roles alone. Read on every view that offers
# the assignment form, they were a statement of their own (on PostgreSQL a round trip after the page's
# pipeline) for a list that changes when someone joins, leaves or changes role. SQLite: kept while the
# database has not changed (``unchanged.kept_while_unchanged``). PostgreSQL: kept with the versions of
# every user and role that the opening's probe read in its own statement, and given while the probe
# reads the same ones (a list read after the probe holds every change it saw, and perhaps a later one,
# which moves the versions the next probe reads: it is then read again).
_CHECKERS_KEY = ("claim_page.checkers",)
_kept_checkers: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def checkers(session: DbSession, opening: Opening | None, read: Callable[[], Read]) -> Read:
    """``read()`` (the checkers, as the assignment form offers them), or what it gave before while the
    users and their roles are unchanged since (``opening``: the page's opening, whose probe read their
    versions on PostgreSQL; None: read them). What is returned is shared: the caller must not change it."""
    connection = loaded_rows.own_session(session).connection()
    if connection.dialect.name == "sqlite":
        return unchanged.kept_while_unchanged(connection, _CHECKERS_KEY, read)
    people = opening.people if opening is not None else None
    if people is None:
        return read()
    engine = connection.engine
    kept = _kept_checkers.get(engine)
    if kept is not None and kept[0] == people:
        value: Read = kept[1]
        return value
    value = read()
    _kept_checkers[engine] = (people, value)
    return value


def _sqlite_stamp(connection: Connection, began: int | None) -> int | None:
    """``began`` (taken before the rows were read) if no change has been seen since."""
    return began if began is not None and unchanged.still_unchanged(connection, began) else None


def _newest(opening: Fetched) -> tuple[str, str, str] | None:
    """The probe's newest event's hash and the versions of the users and their roles; None when the log
    is empty or the statement's transaction wrote."""
    *_opening, newest, people, roles, wrote = opening.raw[0]
    return None if wrote or newest is None else (newest, people, roles)


def _claim_of(session: Any, row: Any, items: Sequence[Any]) -> Claim:
    """The session's objects for the page's rows, as ``claim_queries.load_claim_page`` makes them (a
    collection the session already holds is kept, as the ORM's loaders do)."""
    q = claim_queries
    people = _People(session)
    claim: Claim = loaded_rows.persistent(session, q._CLAIM_COLUMNS, row)
    loaded_rows.set_loaded(claim, "article", loaded_rows.persistent(session, q._ARTICLE_COLUMNS, row))
    loaded_rows.set_loaded(claim, "assignee", people.of(q._ASSIGNEE_COLUMNS, row))
    loaded_rows.set_loaded(claim, "proposed_by", people.of(q._PROPOSER_COLUMNS, row))
    wants_evidence, wants_notes = "evidence" not in claim.__dict__, "notes" not in claim.__dict__
    if wants_evidence or wants_notes:
        evidence, notes = [], []
        for item in items:
            if item.part:
                if wants_notes:
                    note = loaded_rows.persistent(session, q._NOTE_COLUMNS, item)
                    loaded_rows.set_loaded(note, "author", people.of(q._AUTHOR_COLUMNS, item))
                    notes.append(note)
            elif wants_evidence:
                piece = loaded_rows.persistent(session, q._EVIDENCE_COLUMNS, item)
                loaded_rows.set_loaded(piece, "added_by", people.of(q._ADDED_BY_COLUMNS, item))
                loaded_rows.set_loaded(piece, "removed_by", people.of(q._REMOVED_BY_COLUMNS, item))
                evidence.append(piece)
        if wants_evidence:
            set_committed_value(claim, "evidence", evidence)
        if wants_notes:
            set_committed_value(claim, "notes", notes)
    return claim


class _People:
    """The page's people, each made into the session's object once: the same few (the assignee, who
    added each piece of evidence, who wrote each note) come back on most rows. Once an instance holds
    every column, ``loaded_rows.persistent`` would find it again and fill in nothing."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.made: dict[Any, Any] = {}

    def of(self, group: loaded_rows.Columns, row: Sequence[Any]) -> Any:
        user_id = row[group.start + group.keys.index(group.primary_key[0])]
        if user_id is None:
            return None
        person = self.made.get(user_id)
        if person is None:
            person = self.made[user_id] = loaded_rows.persistent(self.session, group, row)
        return person


class Fetched(NamedTuple):
    """A kept statement's rows as the driver gave them, with what types them (``_typed``)."""

    plan: Any
    columns: driver_sql.Processors
    raw: Sequence[Any]


def run_all(connection: Connection, statements: Sequence[Any], params: Mapping[str, Any]) -> list[list[Any]]:
    """Each kept statement's rows (``driver_sql.run_lean``'s named tuples), each statement given the
    parameters of ``params`` it names (``fetch_all``)."""
    return [_typed(*fetched) for fetched in fetch_all(connection, statements, params)]


def fetch_all(connection: Connection, statements: Sequence[Any], params: Mapping[str, Any]) -> list[Fetched]:
    """Each kept statement's rows as the driver gave them, each statement given the parameters of
    ``params`` it names. On psycopg they are sent in one pipeline: one round trip for all, each still its
    own statement to the engine's events (logged, counted, and starting a transaction where
    ``read_requests`` says one is needed)."""
    dialect = connection.dialect
    driver = connection.connection
    if dialect.driver != "psycopg":
        fetched = []
        for statement in statements:
            plan = driver_sql._plan(dialect, statement)
            description, rows = driver_sql._lean_fetched(connection, plan, params)
            fetched.append(Fetched(plan, _processors(dialect, plan, description), rows))
        return fetched
    raw = driver.dbapi_connection
    errors = dialect.loaded_dbapi.Error
    sent: list[tuple[Any, Any]] = []
    try:
        with raw.pipeline():  # type: ignore[union-attr]
            for statement in statements:
                plan = driver_sql._plan(dialect, statement)
                parameters = driver_sql._parameters(plan, params)
                cursor = driver_sql._raw_cursor()(raw) if plan.raw else driver.cursor()
                sent.append((plan, cursor))
                connection._cursor_execute(cursor, plan.sql, parameters,
                                           driver_sql._Lean(plan.sql, parameters))  # type: ignore[arg-type]
        # The pipeline's end waited for every result; each cursor now holds its own.
        return [Fetched(plan, _processors(dialect, plan, cursor), cursor.fetchall()) for plan, cursor in sent]
    except errors as error:
        # Raised at the pipeline's end, outside the engine's execution: handed to it as its own errors are
        # (wrapped, and the connection invalidated if it was lost).
        sql = sent[-1][0].sql if sent else ""
        connection._handle_dbapi_exception(error, sql, {}, None, None)
        raise
    finally:
        for _plan, cursor in sent:
            cursor.close()


def _processors(dialect: Any, plan: Any, described: Any) -> driver_sql.Processors:
    """``driver_sql.processors``, the cursor's description (``described``: it, or the cursor) asked only on
    the plan's first run: psycopg builds it anew at every asking, an object per column (a hundred and
    sixteen for the page's claim and items)."""
    if plan.columns is not None:
        return plan.columns
    return driver_sql.processors(dialect, plan, getattr(described, "description", described))


def _typed(plan: Any, columns: driver_sql.Processors, raw: Sequence[Any]) -> list[Any]:
    """``driver_sql``'s typing of the driver's rows, a NULL left as it is rather than given to its
    column's processor (which gives None back): the page's evidence and notes come in one statement whose
    rows are half NULLs, each of the other group's columns (``claim_queries._items_statement``)."""
    make = plan.row._make
    typed = []
    for row in raw:
        items = list(row)
        for position, processor in columns:
            value = items[position]
            if value is not None:
                items[position] = processor(value)
        typed.append(make(items))
    return typed
