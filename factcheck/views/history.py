"""History in newsroom language: what an audit event recorded, as a desk would say it.

The log keeps machine values (user ids, status codes, character offsets) because they are what the
hash covers; pages show names, dates and quotes instead. One batch of lookups per page (the users
named by the events shown), never one per event; the audit log's rows bring their article's title.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.engine import Row

from factcheck.services import users as user_service
from factcheck.services.context import DbSession

ACTIONS = {
    "article.created": "brought the article in", "article.approved": "approved the article",
    "article.published": "marked the article published", "article.reopened": "reopened the article for checking",
    "article.status_changed": "moved the article on", "revision.created": "saved a new revision",
    "revision.furniture_restored": "brought a set-aside line back", "claim.created": "marked a claim",
    "claim.suggested": "suggested a claim", "claim.accepted": "accepted the suggestion",
    "claim.dismissed": "dismissed the claim", "claim.assigned": "assigned the claim", "claim.taken": "took the claim",
    "claim.started": "started work", "verdict.proposed": "proposed a verdict", "verdict.accepted": "accepted the verdict",
    "verdict.returned": "returned the verdict", "verdict.withdrawn": "changed evidence under the proposed verdict",
    "claim.resolved": "resolved the claim", "claim.reanchored": "anchored the claim to the text again",
    "claim.text_changed": "changed the claim's words in a revision", "claim.orphaned": "removed the claim's words",
    "evidence.added": "added evidence", "evidence.edited": "edited evidence", "evidence.removed": "removed evidence",
    "note.added": "wrote a note", "notifications.read": "read the notifications",
    "claim.reminded": "reminded the checker of the due date",
    "auth.login": "signed in", "auth.logout": "signed out", "auth.login_failed": "failed to sign in",
    "audit.verified": "verified the audit chain", "audit.exported": "exported the audit log",
}
LABELS = {
    "assignee_id": "assigned to", "due_date": "due", "attribution_verdict": "was it said?", "verdict": "verdict",
    "dismiss_reason": "reason", "resolution_note": "resolution note", "resolution_revision_id": "corrected in revision",
    "claim_id": "claim", "via": "relayed via", "quote": "passage", "proposed_by_id": "proposed by",
    "reviewed_by_id": "reviewed by", "reply_to": "in reply to note",
}
# Where in the text, not what: the passage itself is shown instead.
HIDDEN = {"start", "end", "prefix", "suffix", "revision_id", "sha256", "previous_sha256", "length", "hash"}
USER_FIELDS = {"assignee_id", "proposed_by_id", "reviewed_by_id", "added_by_id", "removed_by_id"}


class Recorded(Protocol):
    """What a description reads of an event: an ``AuditEvent``, or a listing's ``EventLine``."""

    @property
    def id(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def changes(self) -> dict[str, Any]: ...
    @property
    def article_id(self) -> int | None: ...


@dataclass
class EventView:
    event: Recorded | Row[Any]
    says: str
    details: list[str] = field(default_factory=list)


def describe(session: DbSession, events: Iterable[Recorded | Row[Any]], *,
             everyone: Mapping[int, str] | None = None, known: Mapping[int, str] | None = None) -> list[EventView]:
    """The events (objects, listing lines, or rows with their ``action`` and ``changes``) as a desk would
    say them; ``everyone``: every user's name, when the page has read them already (one statement fewer);
    ``known``: the names of some people the page has read already (only the others are asked for: on
    the claim page, the people it shows are most often all its history names)."""
    events = list(events)
    if everyone is not None:
        names: Mapping[int, str] = everyone
    else:
        wanted = named_people(events)
        if known:
            found = {i: known[i] for i in wanted if i in known}
            found.update(user_service.display_names(session, [i for i in wanted if i not in known]))
            names = found
        else:
            names = user_service.display_names(session, wanted)
    views = []
    for e in events:
        action = e.action
        views.append(EventView(e, ACTIONS.get(action) or action.replace(".", " ").replace("_", " "),
                               _details(e.changes or {}, names)))
    return views


def named_people(events: Iterable[Recorded | Row[Any]]) -> list[int]:
    """The ids of the people the events' changes name (whose names a description shows)."""
    user_ids = {change.get(side) for e in events for key, change in (e.changes or {}).items()
                if key in USER_FIELDS and isinstance(change, dict) for side in ("before", "after")}
    return [i for i in user_ids if isinstance(i, int)]


def _details(changes: dict[str, Any], names: Mapping[int, str]) -> list[str]:
    # Every event of a claim page's history, on every view: written plainly (no generator per change, no
    # call for a value that is absent), as the claim page's cost is the sum of such small steps (issue 15).
    lines = []
    for key, change in changes.items():
        if key in HIDDEN or not isinstance(change, dict) or "after" not in change:
            continue
        before, after = change.get("before"), change["after"]
        before = "—" if before is None else _value(key, before, names)
        after = "—" if after is None else _value(key, after, names)
        label = LABELS.get(key) or key.replace("_", " ")
        lines.append(f"{label}: {after}" if before == "—" else f"{label}: {before} → {after}")
    return lines


def _value(key: str, value: Any, names: Mapping[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key in USER_FIELDS and isinstance(value, int):
        return names.get(value, "a former colleague")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and key.endswith(("date", "_on")):
        try:
            return date.fromisoformat(value).strftime("%-d %b %Y")
        except ValueError:
            return value
    if isinstance(value, str) and key.endswith("_at"):
        try:
            return datetime.fromisoformat(value).strftime("%-d %b %Y %H:%M UTC")
        except ValueError:
            return value
    if key == "status" and isinstance(value, str):
        return value.replace("_", " ")
    if key == "quote" and isinstance(value, str):
        return f"“{value}”"
    return str(value)
