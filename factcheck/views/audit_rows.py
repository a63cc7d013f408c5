"""Audit events as the rows of audit/_events.html, every cell worked out in one pass.

The table shows each event's recorded changes field by field; as Jinja macros that was some 250
macro calls and 100 ``url_for`` calls for a page of 50 events, most of the audit log's time. The
markup is the same; only where it is worked out moved.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from factcheck.services.audit_log import EventLine
from factcheck.views import links
from factcheck.views.history import EventView

_NOTHING = Markup('<span class="empty">—</span>')


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: Markup | None  # None: the change is a bare value, shown under "value"
    after: Markup


@dataclass(frozen=True, slots=True)
class EventRow:
    event: EventLine
    time_iso: str
    time_text: str
    actor_name: str
    says: str | None
    details: list[str]
    object_href: str | None
    object_text: str
    article_href: str | None
    article_text: str
    changes: list[Change]


def change_value(value: Any) -> Markup:
    """A recorded value as the table shows it: a dash, JSON for structures, else the text."""
    if value is None:
        return _NOTHING
    if isinstance(value, Mapping) or (_iterable(value) and not isinstance(value, str)):
        json = current_app.jinja_env.policies
        return Markup("<code>") + htmlsafe_json_dumps(value, dumps=json["json.dumps_function"],
                                                      **json["json.dumps_kwargs"]) + Markup("</code>")
    return escape(value)


def _iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _changes(changes: dict[str, Any] | None) -> list[Change]:
    # In the order of Jinja's ``dictsort``: by field name, ignoring case.
    rows = []
    for key, change in sorted((changes or {}).items(), key=lambda item: str(item[0]).lower()):
        if isinstance(change, Mapping) and "after" in change:
            rows.append(Change(key, change_value(change.get("before")), change_value(change["after"])))
        else:
            rows.append(Change(key, None, change_value(change)))
    return rows


def event_rows(events: Iterable[EventLine], described: Iterable[EventView]) -> list[EventRow]:
    said = {view.event.id: view for view in described}
    article_url = links.by_id("articles.show", "article_id")
    timeline_urls: dict[str, Any] = {}
    rows = []
    for event in events:
        view = said.get(event.id)
        object_href = None
        if event.object_id:
            timeline = timeline_urls.get(event.object_type)
            if timeline is None:
                timeline = timeline_urls[event.object_type] = links.by_id(
                    "audit.timeline", "object_id", object_type=event.object_type)
            object_href = timeline(event.object_id)
        title = event.article_title
        rows.append(EventRow(
            event=event, time_iso=event.created_at.isoformat(), time_text=event.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            actor_name=event.actor_name if event.actor_name is not None else event.actor_label,
            says=view.says if view is not None else None, details=view.details if view is not None else [],
            object_href=object_href,
            object_text=f"{event.object_type} {event.object_id}" if event.object_id else event.object_type,
            article_href=article_url(event.article_id) if event.article_id else None,
            article_text=title if title else f"article {event.article_id}",
            changes=_changes(event.changes),
        ))
    return rows
