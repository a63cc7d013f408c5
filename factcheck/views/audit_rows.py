"""Audit events as the rows of the log's and the timelines' tables, each row's markup written in one pass.

The table shows each event's recorded changes field by field: as Jinja macros that was some 250
macro calls and 100 ``url_for`` calls for a page of 50 events, and as a Jinja loop over prepared
cells still a fifth of the audit log's time (some 40 expressions, each escaped, a row). A row is now
one f-string with every value escaped here; the markup is the template's.
"""
from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import current_app, request
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from factcheck.services.audit_log import EventLine, LineAsRead
from factcheck.services.context import DbSession
from factcheck.views import links
from factcheck.views.history import EventView, describe
from factcheck.views.list_rows import html_text, joined, seconds_text

_NOTHING = '<span class="empty">—</span>'
_CHANGES_HEAD = ('<table class="changes"><thead><tr><th scope="col">Field</th><th scope="col">Before</th>'
                 '<th scope="col">After</th></tr></thead><tbody>')


def events_table(rows: Markup, caption: str) -> Markup:
    """The table of audit events around their ``rows``: written here rather than included as a
    template (an include copies the page's whole context, a tenth of the log's template time). The
    very rows given last time (the log's kept rows, ``kept_event_rows``) give the table written last
    time: some 90 kB not copied again."""
    global _last_table
    last = _last_table
    if last is not None and last[0] is rows and last[1] == caption:
        return last[2]
    table = Markup(f'\n<table class="list audit cards">\n  <caption class="visually-hidden">{html_text(caption)}</caption>\n'
                   f'  {_TABLE_HEAD}\n  <tbody>\n  {rows}\n  </tbody>\n</table>')
    _last_table = (rows, caption, table)
    return table


# The rows, caption and table written last (the rows kept alive with it: their identity cannot stand
# for other rows while they are here).
_last_table: tuple[Markup, str, Markup] | None = None


_TABLE_HEAD = ('<thead><tr><th scope="col">#</th><th scope="col">Time (UTC)</th><th scope="col">Actor</th>'
               '<th scope="col">Action</th><th scope="col">Object</th><th scope="col">Article</th>'
               '<th scope="col">Changes</th></tr></thead>')


def change_value(value: Any) -> str:
    """A recorded value as the table shows it: a dash, JSON for structures, else the text."""
    if value is None:
        return _NOTHING
    kind = type(value)
    if kind is str:
        return html_text(value)
    if kind is int or kind is bool or kind is float:
        return str(value)
    if isinstance(value, Mapping) or (_iterable(value) and not isinstance(value, str)):
        json = current_app.jinja_env.policies
        return "<code>" + htmlsafe_json_dumps(value, dumps=json["json.dumps_function"],
                                              **json["json.dumps_kwargs"]) + "</code>"
    return html_text(value if isinstance(value, str) else str(value))


def _iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _changes_table(changes: dict[str, Any] | None) -> str:
    """The recorded fields as rows of before and after, or nothing when none was recorded."""
    if not changes:
        return ""
    rows = []
    # In the order of Jinja's ``dictsort``: by field name, ignoring case.
    for key, change in sorted(changes.items(), key=lambda item: str(item[0]).lower()):
        if (type(change) is dict or isinstance(change, Mapping)) and "after" in change:
            cells = (f'<td data-label="before">{change_value(change.get("before"))}</td>'
                     f'<td data-label="after">{change_value(change["after"])}</td>')
        else:
            cells = f'<td></td><td data-label="value">{change_value(change)}</td>'
        rows.append(f'<tr><th scope="row">{html_text(str(key))}</th>{cells}</tr>')
    return _CHANGES_HEAD + "".join(rows) + "</tbody></table>"


def event_rows(events: Iterable[EventLine], described: Iterable[EventView]) -> Markup:
    """Each event's ``<tr>``, as ``events_table`` lists them."""
    said = {view.event.id: view for view in described}
    write = _RowWriter()
    return joined(write(event, said.get(event.id)) for event in events)


class _RowWriter:
    """Writes events' rows, asking the URL map once per route (not once per row)."""

    def __init__(self) -> None:
        self.article_url = links.by_id("articles.show", "article_id")
        self.timeline_urls: dict[str, Any] = {}

    def __call__(self, event: EventLine, view: EventView | None) -> str:
        object_type = html_text(event.object_type)
        if event.object_id:
            timeline = self.timeline_urls.get(event.object_type)
            if timeline is None:
                timeline = self.timeline_urls[event.object_type] = links.by_id(
                    "audit.timeline", "object_id", object_type=event.object_type)
            subject = f'<a href="{html_text(timeline(event.object_id))}">{object_type} {event.object_id}</a>'
        else:
            subject = object_type
        if event.article_id:
            title = event.article_title or f"article {event.article_id}"
            article = f'<a href="{html_text(self.article_url(event.article_id))}">{html_text(title)}</a>'
        else:
            article = ""
        if event.actor_name is not None:
            actor = f'{html_text(event.actor_name)} <span class="meta">{html_text(event.actor_label)}</span>'
        else:
            actor = html_text(event.actor_label)
        if view is not None:
            says = f"<br>{html_text(view.says)}"
            details = "".join(f"<li>{html_text(line)}</li>" for line in view.details)
            if details:
                details = f'<ul class="changes">{details}</ul>'
        else:
            says = details = ""
        iso = event.created_at.isoformat()
        return (
            f'<tr id="event-{event.id}"><td data-label="Event">{event.id}</td>'
            f'<td data-label="Time (UTC)"><time datetime="{iso}">{seconds_text(event.created_at, iso)}</time></td>'
            f'<td data-label="Actor">{actor}</td>'
            f'<td class="action"><code>{html_text(event.action)}</code>{says}'
            f'{details}</td>'
            f'<td data-label="Object">{subject}</td><td data-label="Article">{article}</td>'
            f'<td class="card-wide"><details><summary>{len(event.changes or {})} field(s)'
            f'<span class="visually-hidden"> of event {event.id}</span></summary>{_changes_table(event.changes)}'
            f'<dl class="meta"><dt>Request</dt><dd>{html_text(event.request_id or "—")}</dd>'
            f'<dt>IP address</dt><dd>{html_text(event.ip_address or "—")}</dd>'
            f'<dt>Hash</dt><dd><code>{html_text(event.hash)}</code></dd></dl></details></td></tr>'
        )


# Rows written for the log's page, per app: {(mount point, event id): (line as read, names, markup)}.
_kept: weakref.WeakKeyDictionary[Any, dict[tuple[str, int], tuple[LineAsRead, Mapping[int, str], str]]] = \
    weakref.WeakKeyDictionary()
_KEPT_AT_MOST = 1000
# Per app, the lines and names last written and their markup (the lines kept alive with it: their
# identity cannot stand for another list's while they are here).
_last: weakref.WeakKeyDictionary[Any, tuple[Sequence[LineAsRead], Mapping[int, str], str, Markup]] = \
    weakref.WeakKeyDictionary()


def kept_event_rows(session: DbSession, lines: Sequence[LineAsRead], names: Mapping[int, str]) -> Markup:
    """``event_rows`` of the log's lines, described with ``names`` (everyone's name by id), each row
    written once and kept.

    A row's markup is a function of its line as read (every column it shows, the changes as their
    text), the names its description gives people and where the app is mounted: it is kept under the
    event's id and the mount point, with the line and the names it was written with, and written again
    when either differs (a tuple's comparison is cheaper than its hash). Events are appended and never change, so a view of the log shares most of its rows with
    the views before it however much the newsroom writes (a new event moves one row in); writing and
    describing 50 rows was a third of the page. At most ``_KEPT_AT_MOST`` rows (some 2 MB) are kept."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    root = request.script_root
    last = _last.get(app)
    # The very lines written last time (services.unchanged gives a page's lines again, the same list,
    # while the SQLite database has not changed), or lines equal to them: their markup as it was.
    if last is not None and last[1] is names and last[2] == root and (last[0] is lines or last[0] == lines):
        # PostgreSQL reads the page at every view: lines equal to those written last time (a tuple's
        # comparison, value by value, in C) are the same rows, without 50 of them looked up.
        return last[3]
    kept = _kept.get(app)
    if kept is None:
        kept = _kept[app] = {}
    rows: list[str | None] = []
    missing: list[tuple[int, LineAsRead]] = []
    for line in lines:
        found = kept.get((root, line.id))
        if found is not None and found[1] is names and found[0] == line:
            rows.append(found[2])
        else:
            missing.append((len(rows), line))
            rows.append(None)
    if missing:
        events = [line.line() for _at, line in missing]
        write = _RowWriter()
        if len(kept) + len(missing) > _KEPT_AT_MOST:
            kept.clear()
        for (at, line), event, view in zip(missing, events, describe(session, events, everyone=names), strict=True):
            rows[at] = row = write(event, view)
            kept[(root, line.id)] = (line, names, row)
    markup = joined(rows)  # type: ignore[arg-type]
    _last[app] = (lines, names, root, markup)
    return markup
