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

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection
from sqlalchemy.orm.attributes import set_committed_value

from factcheck.errors import NotFound
from factcheck.models import Claim, User
from factcheck.services import claim_queries, driver_sql, loaded_rows, presence
from factcheck.services.context import DbSession

# The statements are those of the functions that read the same things one at a time (which the page
# still uses after a write): one definition each, so the two ways cannot drift apart.
_OPENING = presence._OPENING
_CLAIM, _ITEMS, _HISTORY = claim_queries._PAGE_CLAIM, claim_queries._PAGE_ITEMS, claim_queries._HISTORY
HISTORY_SHOWN = 100


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
    objects only when asked (``objects``): a page the view has kept for exactly these rows needs none."""

    __slots__ = ("_fetched", "_session", "present", "unread")

    def __init__(self, session: Any, present: list[presence.Present], unread: bool, fetched: Sequence[Fetched]) -> None:
        self._session, self.present, self.unread, self._fetched = session, present, unread, fetched

    @property
    def rows(self) -> tuple[Sequence[Any], ...]:
        """The driver's rows of the claim, its items and its history (plain values, compared with ``==``)."""
        return tuple(fetched.raw for fetched in self._fetched)

    def objects(self) -> tuple[Claim, claim_queries.ClaimHistory]:
        claim_rows, items, newest = (_typed(*fetched) for fetched in self._fetched)
        claim = _claim_of(self._session, claim_rows[0], items)
        history = claim_queries.ClaimHistory(list(reversed(newest[:HISTORY_SHOWN])), len(newest) > HISTORY_SHOWN)
        return claim, history


def open_claim(session: DbSession, claim_id: int, viewer: User, now: datetime) -> Opening:
    """The four statements of ``read_on_opening``, the claim's rows left as the driver gave them (404
    when there is no such claim and nothing unread)."""
    own = loaded_rows.own_session(session)
    own.flush()  # what the session's autoflush would have done: the rows see the request's changes
    params = {"claim_id": claim_id, "viewer_id": viewer.id, "user_id": viewer.id,
              "fresh_since": now - presence.FRESH_FOR, "limit": HISTORY_SHOWN + 1}
    opening, *fetched = fetch_all(own.connection(), (_OPENING, _CLAIM, _ITEMS, _HISTORY), params)
    present, unread = [], False
    for flag, user_id, name, since in _typed(*opening):
        unread = bool(flag)
        if user_id is not None:
            present.append(presence.Present(presence.Person(user_id, name), since))
    if not unread and not fetched[0].raw:
        raise NotFound("There is no such claim.")
    return Opening(own, present, unread, fetched)


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
            fetched.append(Fetched(plan, driver_sql.processors(dialect, plan, description), rows))
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
        return [Fetched(plan, driver_sql.processors(dialect, plan, cursor.description), cursor.fetchall())
                for plan, cursor in sent]
    except errors as error:
        # Raised at the pipeline's end, outside the engine's execution: handed to it as its own errors are
        # (wrapped, and the connection invalidated if it was lost).
        sql = sent[-1][0].sql if sent else ""
        connection._handle_dbapi_exception(error, sql, {}, None, None)
        raise
    finally:
        for _plan, cursor in sent:
            cursor.close()


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
