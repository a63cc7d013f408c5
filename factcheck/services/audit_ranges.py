"""``audit.verify`` by ranges of ids, in parallel processes (issue 15).

Each event's hash covers its own content, its stored ``prev_hash`` and its ``seq``, so it can be
checked without the events before it; what ties the events together is cheap: each one's
``prev_hash`` is the hash of the one before, and the ``seq`` go up by one. The chain is therefore
cut into ranges of ids, each range checked on its own (in a process of its own, with its own
connection, for a long chain), and the ranges' borders compared afterwards, in order.

The database builds each event's canonical payload (``PAYLOAD``: the same bytes as
``audit.canonical_payload`` for every event the app writes), so Python only reads one text per
event, computes the HMAC and compares. An event whose database-built payload does not match its
hash (stored in another form; a value the SQL does not build as the canonical encoder would) is
looked up again and checked the reference way, as ``audit._walk`` does: a hash is only accepted when
it is the HMAC of bytes the key's holder MACed, and a payload built here is never the canonical
payload of other content (its strings are escaped, or it is no canonical JSON at all; PostgreSQL's
link is not escaped, and an event is only taken when its link is the hexadecimal hash checked before it).

Reading row by row costs a Python object per value (issue 15, fourth round), so SQLite hands over
a window of ids as one row (``_BATCHED``; PostgreSQL's windows come as rows of four columns, the link
and the hash as one text: ``WHOLE_WINDOWS``, ``_KEYED_ROWS``, ``_RangeCheck.keyed_rows``):
the payloads joined by a byte no payload holds, the stored hashes and links each joined into one
text, and the positions less the ids at their least and greatest. Python splits the payloads and
MACs them in a tight loop (``_RangeCheck.macs``), and checks the whole window with a few
comparisons: the MACs joined against the hashes joined, each link against the hash before it (the
links shifted by one), the positions by the ids (one position less id throughout, and as many
events as ids). A window that does not hold as a whole is read again row by row (``_RangeCheck.rows``), which
accepts an event stored in another form, or names the range broken; why is logged and kept in the
report (``ChainReport.slow_reads``). Windows are bounded by ids, not by a LIMIT, so that two
connections build them at once while this thread checks them.

The report is the serial walk's, word for word: a range that is not clean (a broken event in it, a
border that does not join, an unkeyed event after keyed ones, a checkpoint that does not match) is
walked again by ``audit._walk_on`` from the state the ranges before it left, which names the first
broken event exactly as a walk from the start would.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import os
import queue
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from factcheck.models import HASH_ALG_KEYED, HASH_ALG_LEGACY
from factcheck.services.audit import _Mac

logger = logging.getLogger(__name__)

# Chains shorter than this are checked in the calling process: starting processes costs more.
PARALLEL_FROM = 200_000
# Ids per window (one statement, one row back): memory stays flat (a few MB) and statements stay few.
BATCH = 5_000
# At most this many ids per window where windows come as rows (PostgreSQL, ``WHOLE_WINDOWS``): 5,000 rows
# are 3 MB taken by libpq and psycopg, more than a core's 2 MB cache, and the checking thread waits for
# each. In alternating runs at load 10-18 (issue 15, fourteenth round) windows of 2,000 cost the process
# 2.10 µs an event against 2.31 (medians of 5; lower in 4 pairs of 5), the backends 0.1 more (more
# statements), and the wall-clock share was as high or higher in 9 pairs of 10.
ROWS_BATCH = 2_000
# The first and last windows of a range are smaller. The checking thread has nothing to do until the
# first window is built (a whole one is 5,000 payloads, 10-15 ms of the database's work on a quiet
# machine), so it starts on a few hundred events while the larger windows behind them are built; and
# the readers have nothing left to do while it checks the last one.
RAMP = 4
# Connections building windows at once in one process: the database's work per event (building the
# payload) costs three times Python's (the MAC), so two of them keep one hashing thread busy.
READERS = 2
# Ranges per process: a range that is slower (another process took the core) holds the others up less.
RANGES_PER_PROCESS = 4
# The checking thread pauses (seconds) every so many MACs of a window (SQLite's). It holds the
# interpreter while it hashes, and a reader whose statement is done needs it to hand its window over
# and start the next: without a pause it waits for the interpreter's switch interval (5 ms, about a
# third of the time a window takes to build), its core idle. A pause hands the interpreter over within
# about a millisecond. Measured with the cores to ourselves (``chrt -r 1``, 10 alternations of 4 rounds):
# 2.38-4.01 µs an event of wall clock against 3.34-4.52 without it, faster in 8 pairs of 10 (issue 15,
# tenth round); a time.sleep(0) does not hand it over (3.75-3.93). On a loaded machine the readers are the slower side anyway and the
# checking thread waits for them. Not one process-wide setting (``sys.setswitchinterval``, eighth round):
# only this thread yields.
HAND_OVER_EVERY = 1_000
HAND_OVER_PAUSE = 0.000_05


def _escaped_pg(column: str) -> str:
    # JSON's escapes for the two characters that need one in every string; a control character is
    # left as it is, which no canonical payload holds: such an event takes the reference path.
    return f"""replace(replace({column}, '\\', '\\\\'), '"', '\\"')"""


def _joined_pg(pieces: Sequence[str]) -> str:
    """``pieces`` joined by ``||`` as a balanced tree: ``(a || b) || (c || d)``. A chain
    ``a || b || c || d`` is evaluated from the left, each ``||`` copying everything joined so far
    into a new text, so that the front of the payload is copied once per piece after it (some 20
    times); in a tree each byte is copied about five times. The backend's CPU for the expression alone
    (medians of 7 and 15 passes over the bench's chain): 1.91 and 2.21 -> 1.83 and 1.97 µs an event
    (issue 15, twelfth round)."""
    if len(pieces) == 1:
        return pieces[0]
    middle = len(pieces) // 2
    return f"({_joined_pg(pieces[:middle])} || {_joined_pg(pieces[middle:])})"


# The canonical payload (keys sorted, no spaces, UTF-8) built by the database; NULL where a value
# has no place in it (the event then takes the reference path).
PAYLOAD = {
    "postgresql": _joined_pg([
        # Each literal holds the quotation marks around the texts beside it: a '"' of its own would be
        # one more ``||`` a text (and PostgreSQL does not fold literals that the chain keeps apart).
        """'{"action":"'""", _escaped_pg("action"),
        """'","actor_id":'""", "coalesce(actor_id::text, 'null')",
        """',"actor_label":"'""", _escaped_pg("actor_label"),
        """'","article_id":'""", "coalesce(article_id::text, 'null')",
        """',"changes":'""", "changes::text",
        """',"created_at":"'""",
        """replace(to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', '')""",
        """'+00:00","ip_address":'""", f"""coalesce('"' || {_escaped_pg("ip_address")} || '"', 'null')""",
        """',"object_id":'""", "coalesce(object_id::text, 'null')",
        """',"object_type":"'""", _escaped_pg("object_type"),
        # The link unescaped: an event is only taken when its link is the hash checked before it (or
        # the first link), 64 hexadecimal digits, where escaping changes nothing; any other link
        # fails that check whatever its payload (0.07 µs an event of the backend's 2.2).
        """'","prev_hash":"'""", "prev_hash",
        """'","request_id":'""", f"""coalesce('"' || {_escaped_pg("request_id")} || '"', 'null')""",
        """CASE WHEN hash_alg = 'hmac-sha256' THEN ',"seq":' || seq::text || '}' ELSE '}' END""",
    ]),
    "sqlite": (
        # json_quote escapes as JSON does; integers only where the column holds an integer; the
        # time as SQLite keeps it ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), a zero fraction dropped.
        """'{"action":' || json_quote(action)"""
        + """ || ',"actor_id":' || CASE typeof(actor_id) WHEN 'integer' THEN actor_id WHEN 'null' THEN 'null' END"""
        + """ || ',"actor_label":' || json_quote(actor_label)"""
        + """ || ',"article_id":' || CASE typeof(article_id) WHEN 'integer' THEN article_id WHEN 'null' THEN 'null' END"""
        + """ || ',"changes":' || CASE typeof(changes) WHEN 'text' THEN changes END"""
        + """ || ',"created_at":"' || CASE WHEN typeof(created_at) = 'text' AND length(created_at) = 26"""
        + """ AND substr(created_at, 11, 1) = ' ' AND substr(created_at, 20, 1) = '.'"""
        + """ THEN substr(created_at, 1, 10) || 'T' || CASE WHEN substr(created_at, 21) = '000000'"""
        + """ THEN substr(created_at, 12, 8) ELSE substr(created_at, 12) END END || '+00:00"'"""
        + """ || ',"ip_address":' || CASE typeof(ip_address) WHEN 'text' THEN json_quote(ip_address) WHEN 'null' THEN 'null' END"""
        + """ || ',"object_id":' || CASE typeof(object_id) WHEN 'integer' THEN object_id WHEN 'null' THEN 'null' END"""
        + """ || ',"object_type":' || json_quote(object_type)"""
        + """ || ',"prev_hash":' || json_quote(prev_hash)"""
        + """ || ',"request_id":' || CASE typeof(request_id) WHEN 'text' THEN json_quote(request_id) WHEN 'null' THEN 'null' END"""
        + """ || CASE WHEN hash_alg = 'hmac-sha256' THEN ',"seq":' || seq ELSE '' END || '}'"""
    ),
}

# id, seq (0, never a position, where there is none), prev_hash, hash, hash_alg, the payload as bytes.
_SELECT = {
    "postgresql": ("SELECT id, coalesce(seq, 0), prev_hash, hash, hash_alg, {payload} "
                   "FROM audit_events WHERE id > %s AND id <= %s ORDER BY id LIMIT {batch}"),
    "sqlite": ("SELECT id, CASE typeof(seq) WHEN 'integer' THEN seq ELSE 0 END, prev_hash, hash, hash_alg, "
               "CAST({payload} AS BLOB) FROM audit_events WHERE id > ? AND id <= ? ORDER BY id LIMIT {batch}"),
}


# PostgreSQL's windows, rows of keyed events (``_RangeCheck.keyed_rows``): four columns where
# ``_SELECT`` has six. psycopg's cost is per column (issue 15, ninth round), and the backend's too:
# the algorithm is not sent (the payload is NULL unless the event is keyed: such a window is read again
# with ``_SELECT``, where the serial walk's rules for unkeyed events apply), and the link and the hash
# come as one text of 128 characters (NULL when either is; any other length: read again the same way).
# Measured on the bench's chain (15 rounds, medians, load 11-22): the client 2.09 -> 1.66 µs an event
# for the rows, the backend 4.18 -> 3.58 (issue 15, tenth round).
_KEYED_ROWS = {
    "postgresql": ("SELECT id, coalesce(seq, 0), (prev_hash || hash)::varchar, "
                   "CASE WHEN hash_alg = 'hmac-sha256' THEN {payload} END "
                   "FROM audit_events WHERE id > %s AND id <= %s ORDER BY id LIMIT {batch}"),
}

# The payload of a keyed event as a window takes it (``_BATCHED``, SQLite only): the bytes ``PAYLOAD``
# builds for every event the app writes, for less of the database's work where the window's own
# checks make it safe. json_object writes the values as JSON does (text quoted and escaped,
# integers, null, in the order given, no spaces; it refuses a BLOB, and the window is then read row
# by row), the position always (a window takes keyed events only), the time only from a text of 26
# characters with its space and point in place, as ``audit._iso`` reads it. Whatever this builds for an event, it
# is JSON that holds the event's own values: when it is the canonical payload the key's holder
# MACed, the serial walk builds the same (it is checked against ``PAYLOAD`` in tests); when not, it
# misses the hash, and the window is read row by row.
WINDOW_PAYLOAD = (
    """rtrim(json_object('action', action, 'actor_id', actor_id, 'actor_label', actor_label, 'article_id', article_id), '}')"""
    + """ || ',"changes":' || CASE typeof(changes) WHEN 'text' THEN changes END || ','"""
    # ltrim, not substr: the object's first character is its only '{' before a '"', and substr
    # counts characters (an eighth of the statement's cost).
    + """ || ltrim(json_object('created_at', CASE WHEN typeof(created_at) = 'text'"""
    + """ AND created_at GLOB '????-??-?? ??:??:??.??????'"""
    # A zero fraction is dropped by a test of the fraction alone: a second replace() scanned the
    # whole text (a third of the time's cost, 0.15-0.2 µs an event). The GLOB leaves one place for it.
    + """ THEN CASE WHEN substr(created_at, 21) = '000000' THEN substr(replace(created_at, ' ', 'T'), 1, 19)"""
    + """ ELSE replace(created_at, ' ', 'T') END || '+00:00' END,"""
    + """ 'ip_address', ip_address, 'object_id', object_id, 'object_type', object_type, 'prev_hash', prev_hash,"""
    + """ 'request_id', request_id, 'seq', seq), '{')"""
)

# One row per window of ids: how many events, the window's first and last id (its bounds: the ids
# of its first and last event when it holds as many events as ids), the payloads joined by the byte
# 0x01 (no canonical payload holds it: a window whose payloads do not split into one per event is
# read again row by row), the stored links and hashes each joined by commas (a link or hash of 64
# characters puts every comma at a known place), the least and greatest position less id, and how
# many events are keyed with a position. A NULL counts as an empty text, so that each part stays
# with its event. The positions follow from the ids, not from an aggregate of their own: where every
# position less its id is the same and the window holds an event for each of its ids, the positions
# follow one another in id order, and the checkpoint's event is the one whose id is its position
# less that (SQLite leaves no gaps between the ids it gives; a window with one is read row by row).
# The positions joined (an integer's text per event, then its check in Python: a text per position)
# and the checkpoint's aggregate cost 0.2-0.3 µs an event of the 3.1-3.4 (issue 15, ninth round).
# Every aggregate must take the rows in id order, and the statement says so: NOT INDEXED leaves
# SQLite no way to the rows but the table's own B-tree, keyed by the rowid, which is the id (a
# search of its id range, which visits the rows in that order: ``WINDOW_PLAN``, checked in tests and
# before each range's first window; an ordered subquery would cost the database a copy of every row). A row
# out of order would break the links, and the window would be read again row by row.
_SEPARATOR = b"\x01"
_BATCHED = {
    "sqlite": (
        f"SELECT count(*), ?1 + 1, ?2, CAST(group_concat(coalesce({WINDOW_PAYLOAD}, ''), char(1)) AS BLOB), "
        "group_concat(coalesce(prev_hash, ''), ','), group_concat(coalesce(hash, ''), ','), min(seq - id), "
        "max(seq - id), count(CASE WHEN hash_alg = 'hmac-sha256' AND typeof(seq) = 'integer' THEN 1 END) "
        "FROM audit_events NOT INDEXED WHERE id > ?1 AND id <= ?2"),
}
# The plan's one step (SQLite before 3.36 names it "SEARCH TABLE audit_events ...").
WINDOW_PLAN = re.compile(r"SEARCH (TABLE )?audit_events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)")


def windows_in_id_order(cursor: Any) -> bool:
    """Whether SQLite reads a window by its rowid range (``_BATCHED``), so in id order."""
    cursor.execute("EXPLAIN QUERY PLAN " + _BATCHED["sqlite"], (-1, 0))
    steps = [row[-1] for row in cursor.fetchall()]
    return len(steps) == 1 and WINDOW_PLAN.fullmatch(steps[0]) is not None


# Whether a window comes back as one row (``_BATCHED``) or as its rows (``_SELECT``). PostgreSQL's
# backend spends more on the aggregates (about 1.5 µs an event) than Python saves by them, and it is
# the slower side there (issue 15, fourth round): its windows come as rows (``_KEYED_ROWS``), two
# connections building them while this thread checks them.
WHOLE_WINDOWS = {"postgresql": False, "sqlite": True}

_LAST_ID = {
    "postgresql": "SELECT max(id) FROM audit_events WHERE id > %s AND id <= %s",
    "sqlite": "SELECT max(id) FROM audit_events WHERE id > ? AND id <= ?",
}


def supported(dialect: str) -> bool:
    return dialect in _SELECT


@dataclass
class RangeResult:
    """What checking the events with ids in (``after_id``, ``up_to_id``] found, on their own."""

    after_id: int
    up_to_id: int
    count: int = 0
    first_prev: str | None = None  # the first event's link and position: the border with the range before
    first_seq: int | None = None
    last: tuple[int, str, int] | None = None  # the last event's id, hash and seq
    keyed_seen: bool = False
    legacy_seen: bool = False
    checkpoint_seen: bool = False
    # Something in the range does not hold on its own, or an event's database-built payload missed
    # its hash: the serial walk goes over the range (and names what is broken, if anything is).
    broken: bool = False
    # Why windows of the range were read again row by row (the slower way), at most ``_REASONS``.
    slow_reads: list[str] = field(default_factory=list)


_HASH_WIDTH = 64  # a SHA-256 in hex: every hash and link the app writes


def _shape_problem(values: Sequence[Any]) -> str | None:
    """What keeps a window (a row of ``_BATCHED`` with events) from being checked as a whole."""
    count, first_id, last_id, payloads, prevs, hashes, offset, greatest_offset, keyed = values
    if keyed != count:
        return "not every event in it is keyed with a position"
    if offset is None or offset != greatest_offset or last_id - first_id + 1 != count:
        return "its positions do not follow its ids one for one"
    width = _HASH_WIDTH + 1
    joined = width * count - 1
    if (payloads is None or hashes is None or prevs is None
            or len(hashes) != joined or len(prevs) != joined or prevs.count(",") != count - 1
            or prevs[_HASH_WIDTH::width] != "," * (count - 1)):
        return "a hash or a link is missing or not 64 characters long"
    return None


def _in_turns(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``HAND_OVER_EVERY``, the thread pausing before each slice but the first
    (``HAND_OVER_PAUSE``): the interpreter goes to a reader that waits for it."""
    every, pause = HAND_OVER_EVERY, HAND_OVER_PAUSE
    for start in range(0, len(items), every):
        if start:
            time.sleep(pause)
        yield items[start:start + every]


def _keyed_row_problem(payload: Any, links: Any, unlinked: bool) -> str:
    """Why an event of a window of ``_KEYED_ROWS`` stopped ``_RangeCheck.keyed_rows``, in the order the
    checks are made: keyed (a payload), a link and a hash of 64 characters, linked to the hash before
    it and following its position (``unlinked``), its MAC."""
    if payload is None:
        return "not every event in it is keyed"
    if links is None or len(links) != 2 * _HASH_WIDTH:
        return "a hash or a link is missing or not 64 characters long"
    if unlinked:
        return "an event does not link to the one before it or follow its position"
    return "a payload built by the database misses its event's hash"


class _RangeCheck:
    """The range's own checks, window after window in id order: the state of the walk along it."""

    def __init__(self, key: bytes, checkpoint: tuple[int, str, int] | None, result: RangeResult) -> None:
        mac = _Mac(key)
        self.inner, self.outer = mac.inner, mac.outer
        self.checkpoint_id: int | None = checkpoint[0] if checkpoint else None
        self.checkpoint_hash: str | None = checkpoint[1] if checkpoint else None
        self.checkpoint_seq = checkpoint[2] if checkpoint else -1
        self.result = result
        self.count = 0
        self.keyed_seen = self.legacy_seen = self.checkpoint_seen = False
        self.last_hash: Any = None
        self.last_seq, self.last_id = -1, 0

    def window(self, values: Sequence[Any]) -> str | None:
        """Take a window (a row of ``_BATCHED``) as a whole if every event in it is keyed, MACs to its
        hash, links to the one before and follows its position (None); else leave the state as it
        was and say why not: the window is read again row by row."""
        count, first_id, last_id, payloads, prevs, hashes, offset, _greatest_offset, _keyed = values
        if not count:
            return None
        if (problem := _shape_problem(values)) is not None:
            return problem
        width = _HASH_WIDTH + 1
        joined = width * count - 1
        pieces = payloads.split(_SEPARATOR)  # one per event, or the window is not taken whole
        if len(pieces) != count:
            return "its payloads do not split one per event"
        first_seq = first_id + offset
        first_prev = prevs[:_HASH_WIDTH]
        if self.count and (first_prev != self.last_hash or first_seq != self.last_seq + 1):
            return "it does not join the window before it"
        if prevs[width:] != hashes[:max(joined - width, 0)]:  # each link is the hash of the event before
            return "a link is not the hash of the event before it"
        # Plain equality: the stored hashes are no secret (hmac.compare_digest cost 3 % of this thread).
        if ",".join(self.macs(pieces)) != hashes:
            return "a payload built by the database misses its event's hash"
        checkpoint_seen = False
        if first_seq <= self.checkpoint_seq < first_seq + count:
            at = self.checkpoint_seq - first_seq
            if (first_id + at, hashes[at * width:at * width + _HASH_WIDTH]) != (self.checkpoint_id, self.checkpoint_hash):
                return "the checkpoint's position holds another event"
            checkpoint_seen = True
        if not self.count:
            self.result.first_prev, self.result.first_seq = first_prev, first_seq
        self.count += count
        self.keyed_seen = True
        self.checkpoint_seen = self.checkpoint_seen or checkpoint_seen
        self.last_hash, self.last_seq = hashes[joined - _HASH_WIDTH:], first_seq + count - 1
        self.last_id = last_id
        return None

    def macs(self, payloads: Sequence[bytes]) -> list[str]:
        """Each payload's HMAC in hex, from the two prepared states: a plain loop over bound methods
        (mapping the hash objects' methods over lists of them cost a fifth more, for the lists; so did
        chains of ``map`` over them, issue 15, tenth round), in turns with the readers (``_in_turns``)."""
        inner_copy, outer_copy = self.inner.copy, self.outer.copy
        macs: list[str] = []
        append = macs.append
        for payload in itertools.chain.from_iterable(_in_turns(payloads)):
            inner = inner_copy()
            inner.update(payload)
            outer = outer_copy()
            outer.update(inner.digest())
            append(outer.hexdigest())
        return macs

    def keyed_rows(self, rows: Sequence[Any]) -> str | None:
        """Take a window of rows of ``_KEYED_ROWS`` if every event in it is keyed, MACs to its hash,
        links to the one before and follows its position (None); else leave the state as it was and
        say why not: the window is read again with ``_SELECT`` and walked by ``rows``.

        Each event after the first of the range is checked by one comparison of its text of 128
        characters with the hash before it joined to its MAC (which holds only if the text is the
        two, 64 characters each, and not NULL) and one of its position; a NULL payload stops the loop
        at ``update``. Why a window is not taken is worked out afterwards, for the event that stopped
        it (``_keyed_row_problem``): the loop itself does no more per event than the checks need.
        Measured over the bench's chain (11 rounds, medians): 1.22 -> 1.03 µs an event for the loop,
        of which 0.89 the MACs (issue 15, fourteenth round)."""
        if not rows:
            return None
        width = _HASH_WIDTH
        if self.count and (not isinstance(self.last_hash, str) or len(self.last_hash) != width):
            return "it does not join the window before it"
        inner_copy, outer_copy = self.inner.copy, self.outer.copy
        checkpoint_id, checkpoint_hash, checkpoint_seq = self.checkpoint_id, self.checkpoint_hash, self.checkpoint_seq
        checkpoint_seen = self.checkpoint_seen
        rest: Iterable[Any] = rows
        if self.count:
            last_hash, last_seq = self.last_hash, self.last_seq
        else:  # the range's first event: its link is joined to the range before by the caller
            first = self._first_keyed_row(rows[0])
            if isinstance(first, str):
                return first
            last_hash, last_seq, checkpoint_seen = first
            rest = itertools.islice(rows, 1, None)
        ident = seq = links = payload = None
        try:
            for ident, seq, links, payload in rest:
                inner = inner_copy()
                inner.update(payload)  # a TypeError for NULL: not keyed
                outer = outer_copy()
                outer.update(inner.digest())
                mac = outer.hexdigest()
                if links != last_hash + mac or seq != last_seq + 1:
                    return _keyed_row_problem(payload, links, links is None or not links.startswith(last_hash)
                                              or seq != last_seq + 1)
                if seq == checkpoint_seq:
                    if (ident, mac) != (checkpoint_id, checkpoint_hash):
                        return "the checkpoint's position holds another event"
                    checkpoint_seen = True
                last_hash, last_seq = mac, seq
        except TypeError:
            if payload is None:
                return "not every event in it is keyed"
            raise
        if not self.count:
            self.result.first_prev, self.result.first_seq = rows[0][2][:width], rows[0][1]
        self.count += len(rows)
        self.keyed_seen, self.checkpoint_seen = True, checkpoint_seen
        self.last_hash, self.last_seq, self.last_id = last_hash, last_seq, rows[-1][0]
        return None

    def _first_keyed_row(self, row: Sequence[Any]) -> str | tuple[str, int, bool]:
        """The checks of ``keyed_rows`` for the range's first event, which has no event before it in the
        range: why it stops the window, or its MAC, its position and whether it is the checkpoint's."""
        ident, seq, links, payload = row
        if payload is None or links is None or len(links) != 2 * _HASH_WIDTH:
            return _keyed_row_problem(payload, links, False)
        inner = self.inner.copy()
        inner.update(payload)
        outer = self.outer.copy()
        outer.update(inner.digest())
        mac = outer.hexdigest()
        if not links.endswith(mac):
            return "a payload built by the database misses its event's hash"
        if seq == self.checkpoint_seq:
            if (ident, mac) != (self.checkpoint_id, self.checkpoint_hash):
                return "the checkpoint's position holds another event"
            return mac, seq, True
        return mac, seq, self.checkpoint_seen

    def rows(self, rows: Iterable[Any]) -> bool:
        """The checks row by row (rows of ``_SELECT``); False at the first that does not hold."""
        # The states' copy methods bound once: two attribute lookups fewer per event on PostgreSQL's path.
        inner_copy, outer_copy = self.inner.copy, self.outer.copy
        sha256 = hashlib.sha256
        checkpoint_id, checkpoint_hash, checkpoint_seq = self.checkpoint_id, self.checkpoint_hash, self.checkpoint_seq
        keyed, legacy = HASH_ALG_KEYED, HASH_ALG_LEGACY
        count, keyed_seen, legacy_seen, checkpoint_seen = self.count, self.keyed_seen, self.legacy_seen, self.checkpoint_seen
        last_hash, last_seq, last_id = self.last_hash, self.last_seq, self.last_id
        held = False
        for ident, seq, prev, stored, alg, payload in rows:
            if not count:
                self.result.first_prev, self.result.first_seq = prev, seq
            elif prev != last_hash or seq != last_seq + 1:
                break
            if payload is None:
                break
            if alg == keyed:
                keyed_seen = True
                inner = inner_copy()
                inner.update(payload)
                outer = outer_copy()
                outer.update(inner.digest())
                if outer.hexdigest() != stored:
                    break
            elif alg != legacy or keyed_seen or sha256(payload).hexdigest() != stored:
                break  # an unknown algorithm, an unkeyed event after keyed ones, or a miss
            else:
                legacy_seen = True
            if seq == checkpoint_seq:
                if (ident, stored) != (checkpoint_id, checkpoint_hash):
                    break
                checkpoint_seen = True
            last_hash, last_seq, last_id = stored, seq, ident
            count += 1
        else:
            held = True
        self.count, self.keyed_seen, self.legacy_seen, self.checkpoint_seen = count, keyed_seen, legacy_seen, checkpoint_seen
        self.last_hash, self.last_seq, self.last_id = last_hash, last_seq, last_id
        return held

    def finish(self, broken: bool) -> None:
        result = self.result
        result.broken, result.count = broken, self.count
        result.keyed_seen, result.legacy_seen, result.checkpoint_seen = self.keyed_seen, self.legacy_seen, self.checkpoint_seen
        if self.count:
            result.last = (self.last_id, self.last_hash, self.last_seq)


def windows(after_id: int, up_to_id: int, size: int, ramp: int | None = None) -> list[tuple[int, int]]:
    """(after_id, up_to_id] cut into windows of ``size`` ids, the first ``ramp`` and, when the span holds
    both, the last ``ramp`` of them smaller: ``size`` halved ``ramp`` times, doubling up to it at the
    start and halving down from it at the end (see ``RAMP``)."""
    ramp = RAMP if ramp is None else ramp
    steps = [max(1, size >> shift) for shift in range(ramp, 0, -1)]
    tail = steps[::-1] if up_to_id - after_id > 2 * sum(steps) else []
    body_end = up_to_id - sum(tail)
    bounds: list[tuple[int, int]] = []
    start = after_id
    for step in itertools.chain(steps, itertools.repeat(size)):
        if start >= body_end:
            break
        bounds.append((start, min(start + step, body_end)))
        start = bounds[-1][1]
    for step in tail:
        bounds.append((start, start + step))
        start += step
    return bounds


def _read_windows(cursors: Sequence[Any], statement: str, whole: bool,
                  bounds: list[tuple[int, int]]) -> Iterator[tuple[int, int, Any]]:
    """Each window's row of ``_BATCHED``, in order, built by one thread per cursor (window i by
    cursor i modulo their number) ahead of the caller: the drivers let go of the interpreter while
    the database builds the row (SQLite's step, PostgreSQL's network wait), so the windows are built
    on the other cores while this thread hashes."""
    readers = len(cursors)
    ready: list[queue.Queue[Any]] = [queue.Queue(maxsize=2) for _ in cursors]
    stop = threading.Event()

    def read(index: int) -> None:
        cursor, out = cursors[index], ready[index]
        for after_id, up_to_id in bounds[index::readers]:
            if stop.is_set():
                return
            try:
                cursor.execute(statement, (after_id, up_to_id))
                item = cursor.fetchone() if whole else cursor.fetchall()  # the window as one row, or its rows
            except BaseException as error:  # handed to the caller, who reads the window row by row
                out.put(error)
                if not isinstance(error, Exception):
                    return
                continue
            out.put(item)

    threads = [threading.Thread(target=read, args=(index,), name=f"audit-verify-reader-{index}", daemon=True)
               for index in range(readers)]
    for thread in threads:
        thread.start()
    try:
        for number, (after_id, up_to_id) in enumerate(bounds):
            item = ready[number % readers].get()
            if isinstance(item, BaseException) and not isinstance(item, Exception):
                raise item
            yield after_id, up_to_id, item  # or the Exception its statement raised
    finally:
        stop.set()
        for thread, out in zip(threads, ready, strict=True):
            while thread.is_alive():  # let it finish its statement before the cursor is closed
                with contextlib.suppress(queue.Empty):
                    out.get(timeout=0.05)
            thread.join()


def _cursor(connection: Any, dialect: str) -> Any:
    if dialect != "postgresql":
        return connection.cursor()
    # psycopg in binary, and a text as its UTF-8 bytes: the payload (``PAYLOAD``, a text) comes as the
    # bytes to hash, without the backend converting it (``convert_to``) or Python decoding it. The
    # hashes, links and algorithm are varchar, which still come as str.
    from psycopg.types.string import ByteaBinaryLoader

    cursor = connection.cursor(binary=True)
    cursor.adapters.register_loader("text", ByteaBinaryLoader)
    return cursor


def check_range(dbapi_connection: Any, dialect: str, key: bytes, checkpoint: tuple[int, str, int] | None,
                after_id: int, up_to_id: int, batch: int | None = None, readers: Sequence[Any] = ()) -> RangeResult:
    """Check the events with ids in (``after_id``, ``up_to_id``] on ``dbapi_connection``, on their own;
    the windows are built on ``readers`` (DBAPI connections; ``dbapi_connection`` alone by default)."""
    result = RangeResult(after_id, up_to_id)
    check = _RangeCheck(key, checkpoint, result)
    whole = WHOLE_WINDOWS[dialect]
    batch = int(batch or (BATCH if whole else min(BATCH, ROWS_BATCH)))
    by_rows = _SELECT[dialect].format(payload=PAYLOAD[dialect], batch=batch)
    cursor = _cursor(dbapi_connection, dialect)
    cursors = [_cursor(connection, dialect) for connection in readers or (dbapi_connection,)]
    broken = False
    try:
        if whole and not windows_in_id_order(cursor):
            whole = False
            _slow(result, after_id, up_to_id, "SQLite would not read the windows by their rowid range")
        # The windows end at the range's last event, however far its bound lies.
        cursor.execute(_LAST_ID[dialect], (after_id, up_to_id))
        last_id = cursor.fetchone()[0]
        bounds = windows(after_id, min(up_to_id, last_id), batch) if last_id is not None else []
        keyed = _KEYED_ROWS[dialect].format(payload=PAYLOAD[dialect], batch=batch) if not whole else by_rows
        for window_after, window_up_to, values in _read_windows(
                cursors, _BATCHED[dialect] if whole else keyed, whole, bounds):
            if isinstance(values, Exception):
                # A statement that failed (SQLite's JSON functions refuse a BLOB) gives no row: the
                # window is read row by row, where such a value takes the serial walk's way.
                _slow(result, window_after, window_up_to,
                      f"its statement failed ({type(values).__name__}: {values})")
            elif (reason := check.window(values) if whole else check.keyed_rows(values)) is None:
                continue
            else:
                _slow(result, window_after, window_up_to, reason)
            cursor.execute(by_rows, (window_after, window_up_to))
            if not check.rows(cursor.fetchall()):
                broken = True
                break
    finally:
        for each in {id(c): c for c in (cursor, *cursors)}.values():
            each.close()
    check.finish(broken)
    return result


# Reasons kept per range (a chain stored in another form throughout would give one per window).
_REASONS = 3


def _slow(result: RangeResult, after_id: int, up_to_id: int, reason: str) -> None:
    """Note (and log) that events (``after_id``, ``up_to_id``] are read again row by row, and why."""
    if len(result.slow_reads) < _REASONS:
        logger.warning("audit verify: events with ids %d to %d are read again row by row: %s",
                       after_id + 1, up_to_id, reason)
        result.slow_reads.append(f"ids {after_id + 1} to {up_to_id}: {reason}")
    else:
        logger.debug("audit verify: events with ids %d to %d are read again row by row: %s",
                     after_id + 1, up_to_id, reason)


def _check_range_in_process(url: str, dialect: str, key: bytes, checkpoint: tuple[int, str, int] | None,
                            after_id: int, up_to_id: int) -> RangeResult:
    """``check_range`` in a worker process, on a connection of its own (read only)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        connection = engine.raw_connection()
        try:
            return check_range(connection.driver_connection, dialect, key, checkpoint, after_id, up_to_id)
        finally:
            connection.rollback()
            connection.close()
    finally:
        engine.dispose()


def plan(first_id: int, last_id: int, processes: int, range_size: int | None = None) -> list[tuple[int, int]]:
    """(after_id, up_to_id] bounds covering the ids from ``first_id`` to ``last_id``."""
    span = last_id - first_id + 1
    size = range_size or max(1, -(-span // (processes * RANGES_PER_PROCESS)))
    return [(start - 1, min(start + size - 1, last_id)) for start in range(first_id, last_id + 1, size)]


def can_fork() -> bool:
    """Whether worker processes can be forked: copying the caller's memory needs nothing imported
    again, but is only safe with no other thread running (one could hold a lock the child needs)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _context() -> Any:
    # A process with threads (an app server, a job runner) spawns its workers instead: each imports
    # the app's modules first, a second or more on a busy machine (issue 15's bench: 51,000 events
    # took 4 s in two spawned processes, 0.5 s in this one).
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def check_ranges(url: str, dialect: str, key: bytes, checkpoint: tuple[int, str, int] | None,
                 bounds: list[tuple[int, int]], processes: int) -> Iterator[RangeResult]:
    """Each range's result, in order, checked by ``processes`` worker processes."""
    with ProcessPoolExecutor(max_workers=processes, mp_context=_context()) as pool:
        futures = [pool.submit(_check_range_in_process, url, dialect, key, checkpoint, after_id, up_to_id)
                   for after_id, up_to_id in bounds]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def default_processes() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))
