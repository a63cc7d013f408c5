"""The rows of the list pages (claims, my queue, the review queue, articles, the dashboard's tables),
each row's markup written in one pass.

As a Jinja loop a row cost some ten escaped expressions, a filter or two and, for a claim, a macro call
(``status_badge``): 20–30 µs a row, so a queue at 16× grew with the rows of its one page (3 → 39)
more than with anything it read. A row is now one f-string with every value escaped here; the page
around it stays the template's. The markup is the templates' own, as they wrote it before.
"""
from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import current_app, request
from markupsafe import Markup

from factcheck.services import kept_reads

Link = Callable[[int], str]


def html_text(text: str) -> str:
    """``markupsafe.escape(text)`` as a plain string, for text written straight into a row: the same
    entities, without the ``Markup`` object escape makes of every value (hundreds a page)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&#34;").replace("'", "&#39;")


def shown(value: Any) -> str:
    """What ``{{ value }}`` writes: the value as text, escaped (None as "None", as Jinja writes it)."""
    return html_text(value if isinstance(value, str) else str(value))


def date_text(value: date | None) -> str:
    """The ``date`` filter (views/filters.py registers it): ISO, or nothing."""
    return value.isoformat() if value else ""


def datetime_text(value: datetime | None) -> str:
    """The ``datetime`` filter (views/filters.py registers it): to the minute, in UTC, or nothing."""
    return f"{minutes_text(value)} UTC" if value else ""


def minutes_text(value: datetime) -> str:
    """``value.strftime("%Y-%m-%d %H:%M")`` by %-formatting its fields: strftime took longer than the rest
    of a row, and cutting ``isoformat`` (its microseconds and offset written, then dropped) more than
    twice this, 0.17 ms of the article list's 200 rows. Years before 1000, which strftime does not
    pad, go the slow way."""
    if value.year < 1000:
        return value.strftime("%Y-%m-%d %H:%M")
    # %-formatting, not an f-string with format specifiers: half the time of the f-string.
    return "%04d-%02d-%02d %02d:%02d" % (value.year, value.month, value.day, value.hour, value.minute)  # noqa: UP031


def seconds_text(value: datetime, iso: str) -> str:
    """``value.strftime("%Y-%m-%d %H:%M:%S")`` from ``iso``, its ``isoformat()`` (see ``minutes_text``)."""
    return f"{iso[:10]} {iso[11:19]}" if value.year >= 1000 else value.strftime("%Y-%m-%d %H:%M:%S")


def joined(rows: Iterable[str], indent: str = "  ") -> Markup:
    """The rows as one piece of markup, each followed by a line break and the indent, as the templates'
    loops wrote them: a ``Markup`` made of each row, and copied again as Jinja wrote it, cost more than
    this join."""
    rows = list(rows)
    if not rows:
        return Markup("")
    # One separator joined between the rows, not an f-string made of each row (half the time).
    separator = f"\n{indent}"
    return Markup(separator.join(rows) + separator)


def status_text(status: str | None) -> str:
    """A status as people read it ("in_progress" as "in progress"): the ``status_label`` filter."""
    return (status or "").replace("_", " ")


def status_label(status: str | None) -> str:
    """The ``status_label`` filter, escaped."""
    return html_text(status_text(status))


@functools.lru_cache(maxsize=64)  # a handful of statuses, on every row
def status_badge(status: str) -> str:
    """The ``status_badge`` macro (templates/macros/claims.html)."""
    return f'<span class="badge status-{shown(status)}">{status_label(status)}</span>'


def claims_list_rows(claims: Iterable[Any], *, claim_url: Link, article_url: Link, may_assign: bool,
                     assignable: Collection[int]) -> Markup:
    """The claims list's rows (claims/index.html): with a checkbox cell for someone who may assign,
    ticked on by the bulk form for the claims they may assign."""
    return joined(_claim_rows(claims, [_box(claim.id, may_assign, assignable) for claim in claims],
                              claim_url=claim_url, article_url=article_url))


# Per app: (the list, mount point, claim id, what else the row shows) -> the claim as read and its row.
_kept_claim_rows: weakref.WeakKeyDictionary[Any, dict[tuple[str, str, int, int], tuple[Any, str]]] = \
    weakref.WeakKeyDictionary()
_CLAIM_ROWS_KEPT_AT_MOST = 2000  # some 1.5 MB


def kept_claims_list_rows(claims: Sequence[Any], *, claim_url: Link, article_url: Link, may_assign: bool,
                          assignable: Collection[int]) -> Markup:
    """``claims_list_rows``, each row written once and kept while its claim reads the same.

    A row is a function of the claim as the list reads it (every column of its ``ClaimRow``: the words,
    the status, the assignee's id and name, the article's title, the verdict…), of its checkbox cell
    (none, empty, or a box) and of where the app is mounted (the links): it is kept under the mount point,
    the claim's id and its cell, with the claim it was written from, and written again when the claim
    as read differs (compared, never trusted: claims change, and a renamed checker or article changes
    the columns too). The list's fifty newest claims change little from one view to the next, and
    writing them was some 8 % of the page. At most ``_CLAIM_ROWS_KEPT_AT_MOST`` rows are kept."""
    def write(missing: Sequence[Any], boxes: Sequence[int]) -> list[str]:
        return _claim_rows(missing, boxes, claim_url=claim_url, article_url=article_url)
    return joined(_kept_rows("claims", claims, [_box(claim.id, may_assign, assignable) for claim in claims], write))


def _kept_rows(kind: str, claims: Sequence[Any], extras: Sequence[int],
               write: Callable[[Sequence[Any], Sequence[int]], list[str]]) -> list[str]:
    """Each claim's row of the list ``kind``, as ``write(claims, extras)`` writes it (``extras``: what
    the row shows besides the claim, one small number a claim), kept per app under the mount point,
    the claim's id and its extra with the claim it was written from; written again when the claim as
    read now differs."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept = _kept_claim_rows.get(app)
    if kept is None:
        kept = _kept_claim_rows[app] = {}
    root = request.script_root
    rows: list[str] = []
    missing: list[tuple[int, tuple[str, str, int, int], Any]] = []
    for claim, extra in zip(claims, extras, strict=True):
        key = (kind, root, claim.id, extra)
        found = kept.get(key)
        if found is not None and found[0] == claim:
            rows.append(found[1])
        else:
            missing.append((len(rows), key, claim))
            rows.append("")
    if missing:
        if len(kept) + len(missing) > _CLAIM_ROWS_KEPT_AT_MOST:
            kept.clear()
        written = write([claim for _at, _key, claim in missing], [key[3] for _at, key, _claim in missing])
        for (at, key, claim), row in zip(missing, written, strict=True):
            rows[at] = row
            kept[key] = (claim, row)
    return rows


# Per app, in its extensions: (mount point, the list, what else the page's rows depend on) -> the rows
# read, the object they were written for and their markup (``kept_reads.MadeOf``). In the app's own
# dictionary: a weak dictionary's lookup makes a weak reference every time.
_KEPT_PAGES = "factcheck.kept_list_pages"
_PAGES_KEPT_AT_MOST = 64  # some 30 KB each


def kept_page(key: Hashable, rows: Sequence[Any], write: Callable[[], Markup], *, written_for: Any = None) -> Markup:
    """A list page's rows as ``write()`` writes them from ``rows``, kept per app and mount point under
    ``key`` (the list, and whatever besides ``rows`` the markup depends on: the viewer and their shape
    where the rows show what they may do) with the rows they were written from and ``written_for``
    (an object compared by identity, not hashed: the settings), and written again when the rows read
    now differ (compared, never trusted: ``kept_reads.MadeOf``, the mechanism that keeps the typed
    rows too). The same rows come back view after view (``kept_reads`` gives the same row objects when
    the database does, which makes the comparison one of identities); looking each of fifty rows up in
    ``_kept_rows`` and working out which the viewer may assign was some 6 % of the claims list."""
    extensions = current_app.extensions
    kept = extensions.get(_KEPT_PAGES)
    if kept is None:
        kept = extensions.setdefault(_KEPT_PAGES, kept_reads.MadeOf(_PAGES_KEPT_AT_MOST))
    return kept.get((request.script_root, key), rows, write, made_for=written_for)


def _box(claim_id: int, may_assign: bool, assignable: Collection[int]) -> int:
    """A row's checkbox cell: none (0) for someone who may not assign, else empty (1) or a box (2)."""
    return (2 if claim_id in assignable else 1) if may_assign else 0


def _claim_rows(claims: Iterable[Any], boxes: Sequence[int], *, claim_url: Link, article_url: Link) -> list[str]:
    rows = []
    # A page's claims come from a few articles (newest first, an article's claims together): each
    # article's cell is written once.
    article_cells: dict[int, str] = {}
    for claim, box in zip(claims, boxes, strict=True):
        article = article_cells.get(claim.article_id)
        if article is None:
            article = article_cells[claim.article_id] = (
                f'<a href="{html_text(article_url(claim.article_id))}">{shown(claim.article_title)}</a>')
        select = ""
        if box:
            checkbox = (f'<input type="checkbox" name="claim_ids" value="{claim.id}" form="bulk-assign" '
                        f'id="select-{claim.id}" aria-label="Select claim {claim.id}">') if box == 2 else ""
            select = f'<td data-label="Select">{checkbox}</td>'
        assignee = shown(claim.assignee_name) if claim.assignee_id is not None else "—"
        rows.append(
            f'<tr>{select}<td class="card-title"><a href="{html_text(claim_url(claim.id))}">{claim.id}: '
            f'{html_text(claim.label)}</a></td>'
            f'<td data-label="Article">{article}</td>'
            f'<td data-label="Status">{status_badge(claim.status)}</td>'
            f'<td data-label="Assignee">{assignee}</td>'
            f'<td data-label="Due">{date_text(claim.due_date)}</td>'
            f'<td data-label="Verdict">{html_text(claim.verdict_summary)}</td></tr>'
        )
    return rows


def my_queue_rows(claims: Iterable[Any], *, claim_url: Link, today: date) -> Markup:
    """A checker's queue (queues/mine.html): overdue and due-today rows marked by class and word."""
    claims = list(claims)
    return joined(_my_queue_rows(claims, [_due_mark(claim.due_date, today) for claim in claims], claim_url))


def kept_my_queue_rows(claims: Sequence[Any], *, claim_url: Link, today: date) -> Markup:
    """``my_queue_rows``, each row kept while its claim reads the same and its due date stands as it did
    against today (``_kept_rows``)."""
    def write(missing: Sequence[Any], marks: Sequence[int]) -> list[str]:
        return _my_queue_rows(missing, marks, claim_url)
    return joined(_kept_rows("mine", claims, [_due_mark(claim.due_date, today) for claim in claims], write))


def _due_mark(due: date | None, today: date) -> int:
    """How a queue's row is marked: 0 not, 1 overdue, 2 due today."""
    if due is None:
        return 0
    return 1 if due < today else 2 if due == today else 0


_DUE_MARKS = (("", ""), ("overdue", ' <strong class="flag">overdue</strong>'),
              ("due-today", ' <strong class="flag">due today</strong>'))


def _my_queue_rows(claims: Iterable[Any], marks: Iterable[int], claim_url: Link) -> list[str]:
    rows = []
    for claim, mark in zip(claims, marks, strict=True):
        marked, flag = _DUE_MARKS[mark]
        rows.append(
            f'<tr class="{marked}"><td class="card-title"><a href="{html_text(claim_url(claim.id))}">'
            f'{html_text(claim.label)}</a></td>'
            f'<td data-label="Article">{shown(claim.article_title)}</td>'
            f'<td data-label="Status">{status_badge(claim.status)}</td>'
            f'<td data-label="Priority">{shown(claim.priority)}</td>'
            f'<td data-label="Due">{date_text(claim.due_date)}{flag}</td></tr>'
        )
    return rows


def review_queue_rows(claims: Iterable[Any], *, claim_url: Link) -> Markup:
    """The review queue (queues/review.html): the verdicts waiting, who proposed them and since when."""
    return joined(_review_queue_rows(claims, claim_url))


def kept_review_queue_rows(claims: Sequence[Any], *, claim_url: Link) -> Markup:
    """``review_queue_rows``, each row kept while its claim reads the same (``_kept_rows``)."""
    def write(missing: Sequence[Any], _nothing: Sequence[int]) -> list[str]:
        return _review_queue_rows(missing, claim_url)
    return joined(_kept_rows("review", claims, [0] * len(claims), write))


def _review_queue_rows(claims: Iterable[Any], claim_url: Link) -> list[str]:
    return [(
        f'<tr><td class="card-title"><a href="{html_text(claim_url(claim.id))}">{html_text(claim.label)}</a></td>'
        f'<td data-label="Article">{shown(claim.article_title)}</td>'
        f'<td data-label="Verdict">{shown(claim.verdict)}</td>'
        f'<td data-label="Proposed by">{html_text(claim.proposed_by_name or "")}</td>'
        f'<td data-label="Since">{datetime_text(claim.proposed_at)}</td></tr>'
    ) for claim in claims]


def article_rows(articles: Iterable[Any], *, article_url: Link) -> Markup:
    """The article list (articles/index.html): each article with its claims and how many are open."""
    rows = []
    for article in articles:
        open_claims = f" ({article.open_claims} open)" if article.open_claims else ""
        rows.append(
            f'<tr><td class="card-title"><a href="{html_text(article_url(article.id))}">{shown(article.title)}</a></td>'
            f'<td data-label="Outlet">{shown(article.outlet)}</td>'
            f'<td data-label="Status">{status_badge(article.status)}</td>'
            f'<td data-label="Claims">{article.claims}{open_claims}</td>'
            f'<td data-label="Created">{datetime_text(article.created_at)}</td></tr>'
        )
    return joined(rows)


def overdue_rows(claims: Iterable[Any], *, claim_url: Link, article_url: Link) -> Markup:
    """The dashboard's overdue claims, most overdue first."""
    return joined([(
        f'<tr class="overdue"><td data-label="Due">{date_text(claim.due_date)}</td>'
        f'<td class="card-title"><a href="{html_text(claim_url(claim.id))}">{html_text(claim.label)}</a></td>'
        f'<td data-label="Article"><a href="{html_text(article_url(claim.article_id))}">'
        f'{shown(claim.article_title)}</a></td>'
        f'<td data-label="Status">{status_label(claim.status)}</td>'
        f'<td data-label="Checker">{shown(claim.checker) if claim.checker is not None else "—"}</td></tr>'
    ) for claim in claims], indent="    ")


def workload_rows(people: Iterable[Any]) -> Markup:
    """The dashboard's open claims per checker, by status."""
    return joined([(
        f'<tr><th scope="row" class="card-title">{shown(person.name)}</th>'
        f'<td data-label="Assigned">{person.counts.get("assigned", "")}</td>'
        f'<td data-label="In progress">{person.counts.get("in_progress", "")}</td>'
        f'<td data-label="Proposed">{person.counts.get("proposed", "")}</td>'
        f'<td data-label="Overdue">{person.overdue}</td><td data-label="Total">{person.total}</td></tr>'
    ) for person in people], indent="    ")


def waiting_rows(articles: Iterable[Any], *, article_url: Link) -> Markup:
    """The dashboard's articles waiting at the gate, longest first, with their unsettled claims."""
    return joined([(
        f'<tr><td class="card-title"><a href="{html_text(article_url(row.id))}">{shown(row.title)}</a></td>'
        f'<td data-label="Status">{status_label(row.status)}</td>'
        f'<td data-label="Unsettled claims">{row.unsettled}</td>'
        f'<td data-label="Last change">{datetime_text(row.updated_at)}</td></tr>'
    ) for row in articles], indent="    ")


def options(values: Iterable[tuple[Any, str]], chosen: Any = None) -> Markup:
    """``<option>``s of (value, label) pairs, the one equal to ``chosen`` selected."""
    return Markup("".join(
        f'<option value="{shown(value)}"{" selected" if value == chosen else ""}>{html_text(label)}</option>'
        for value, label in values))


@functools.lru_cache(maxsize=32)
def kept_options(pairs: tuple[tuple[Any, str], ...], chosen: Any = None) -> Markup:
    """``options`` of pairs given as a tuple, kept by their contents and the chosen value: the claims list
    wrote the same fifty checkers twice a view (its filter and the bulk form), the same on every view.
    At most 32 are kept: a chosen id typed into the address only pushes out another."""
    return options(pairs, chosen)
