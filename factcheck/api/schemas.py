"""The API's request and response shapes (marshmallow), from which the OpenAPI document is made.

Shapes only: whether a value is allowed by the newsroom's rules is the services' answer."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.models import (
    AttributionVerdict,
    ClaimStatus,
    Credibility,
    Priority,
    Question,
    Resolution,
    Role,
    Stance,
)
from factcheck.models.api_token import SCOPES
from factcheck.services.audit_log import EXPORT_FORMATS
from factcheck.services.evidence import SOURCE_TYPES
from factcheck.services.tokens import MAX_DAYS
from factcheck.services.webhooks import EVENTS
from factcheck.views.common import MAX_ID


class Text(fields.String):
    """A string the databases can store: no NUL characters, no lone surrogates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Text may not contain NUL characters.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ma.ValidationError("Text must be valid Unicode.") from None
        return text


def txt(max_length: int, *, required: bool = False, **kwargs: Any) -> Text:
    return Text(required=required, validate=validate.Length(max=max_length), **kwargs)


def an_id(*, strict: bool = True, **kwargs: Any) -> fields.Integer:
    """A database id; strict (a JSON number) in bodies, digits in query strings."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def one_of(values: Any, **kwargs: Any) -> Text:
    return Text(validate=validate.OneOf([str(v) for v in values]), **kwargs)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# ---- problems ---------------------------------------------------------------------------------------

class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with this API's extension members."""

    type = fields.String(metadata={"description": "about:blank: the status says what kind of problem"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String(metadata={"description": "What went wrong, for a person to read"})
    instance = fields.String()
    errors = fields.Dict(metadata={"description": "Field errors by location and field (400/422)"})
    blocking = fields.List(fields.Dict(), metadata={"description": "The claims holding an article back (409)"})
    current_version = fields.Raw(allow_none=True, metadata={
        "description": "The object's version now, as in its ETag (412): a number for a claim, a string for evidence"})
    current = fields.Dict(metadata={"description": "The object's fields now (412)"})


# ---- requests ---------------------------------------------------------------------------------------

class ArticleCreate(Strict):
    title = txt(300, load_default="")
    text = txt(10_000_000, required=True, metadata={"description": "The article's text, as plain text"})
    outlet = txt(200, load_default="")
    byline = txt(200, load_default="")
    source_url = txt(2000, load_default="")


class ArticleText(Strict):
    text = txt(10_000_000, required=True)


class Publish(Strict):
    published_url = txt(2000, load_default="")


class ClaimCreate(Strict):
    quote = txt(5000, required=True)
    start = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_ID), load_default=None)
    end = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_ID), load_default=None)
    statement = txt(5000, load_default="")
    claimant = txt(200, load_default=None, allow_none=True)


class AcceptSuggestion(Strict):
    statement = txt(5000, load_default=None, allow_none=True)
    claimant = txt(200, load_default=None, allow_none=True)
    via = fields.List(txt(200), load_default=None, allow_none=True, validate=validate.Length(max=10))


class Dismiss(Strict):
    reason = txt(2000, required=True)


class Assign(Strict):
    assignee_id = an_id(required=True)
    due_date = fields.Date(load_default=None, allow_none=True)
    priority = one_of([p.value for p in Priority], load_default=Priority.NORMAL.value)


class EvidenceCreate(Strict):
    url = txt(2000, required=True)
    title = txt(300, required=True)
    stance = one_of([s.value for s in Stance], required=True)
    excerpt = txt(10_000, load_default="")
    publisher = txt(200, load_default="")
    published_on = fields.Date(load_default=None, allow_none=True)
    source_type = one_of(SOURCE_TYPES, load_default="other")
    question = one_of([q.value for q in Question], load_default=Question.SUBSTANCE.value)
    credibility = one_of([c.value for c in Credibility], load_default=None, allow_none=True)


class BulkAssign(Strict):
    claim_ids = fields.List(an_id(), required=True, validate=validate.Length(min=1, max=200))
    assignee_id = an_id(required=True)
    due_date = fields.Date(load_default=None, allow_none=True)
    priority = one_of([p.value for p in Priority], load_default=Priority.NORMAL.value)


class Reanchor(Strict):
    quote = txt(5000, required=True, metadata={"description": "The passage of the current text that replaced it"})
    start = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_ID), load_default=None)
    end = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_ID), load_default=None)


class RemoveEvidence(Strict):
    reason = txt(2000, required=True)


class NoteCreate(Strict):
    body = txt(10_000, required=True)


class Propose(Strict):
    verdict = txt(40, required=True)
    rationale = txt(10_000, required=True)
    attribution_verdict = one_of([a.value for a in AttributionVerdict], load_default=None, allow_none=True)


class ReturnVerdict(Strict):
    note = txt(10_000, required=True)


class PageArgs(Strict):
    cursor = txt(100, load_default=None, metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(validate=validate.Range(min=1, max=200), load_default=50)


class ArticleListArgs(PageArgs):
    status = txt(20, load_default=None)
    q = txt(200, load_default=None, metadata={"description": "Words of the title"})


class ClaimListArgs(PageArgs):
    status = one_of([s.value for s in ClaimStatus], load_default=None)
    article = an_id(strict=False, load_default=None)
    assignee = an_id(strict=False, load_default=None)
    verdict = txt(40, load_default=None)
    overdue = fields.Boolean(load_default=False)
    unassigned = fields.Boolean(load_default=False)


class AuditFilterArgs(Strict):
    action = txt(60, load_default=None)
    article = an_id(strict=False, load_default=None)
    actor = an_id(strict=False, load_default=None)
    no_actor = fields.Boolean(load_default=False, metadata={
        "description": "Only events nobody signed in made (the system, the command line, failed sign-ins)"})
    object_type = txt(40, load_default=None)
    object_id = an_id(strict=False, load_default=None, metadata={"description": "With object_type"})
    date_from = fields.Date(load_default=None, metadata={"description": "Inclusive, UTC"})
    date_to = fields.Date(load_default=None, metadata={"description": "Inclusive, UTC"})


class AuditArgs(PageArgs, AuditFilterArgs):
    pass


class ExportArgs(AuditFilterArgs):
    fmt = one_of(list(EXPORT_FORMATS), load_default="jsonl", data_key="format")


class NotificationArgs(PageArgs):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only the unread ones"})


class UserCreate(Strict):
    email = txt(254, required=True)
    display_name = txt(120, load_default=None, allow_none=True)
    password = txt(512, required=True, load_only=True)
    roles = fields.List(one_of([r.value for r in Role]), required=True, validate=validate.Length(min=1, max=4))


class Roles(Strict):
    roles = fields.List(one_of([r.value for r in Role]), required=True, validate=validate.Length(min=1, max=4))


class TokenCreate(Strict):
    user_id = an_id(required=True)
    name = txt(100, required=True)
    scopes = fields.List(one_of(SCOPES), required=True, validate=validate.Length(min=1, max=len(SCOPES)))
    days = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_DAYS), load_default=90)


class TokenArgs(Strict):
    user_id = an_id(strict=False, load_default=None, data_key="user", metadata={"description": "Only this user's tokens"})


# ---- responses --------------------------------------------------------------------------------------

class Links(ma.Schema):
    self = fields.String()
    article = fields.String()
    page = fields.String(metadata={"description": "The page for people"})
    gate = fields.String()


class FurnitureLine(ma.Schema):
    start = fields.Integer(metadata={"description": "Where the line starts in the text: it names the line"})
    end = fields.Integer()
    text = fields.String()
    reason = fields.String()


class FurnitureRestored(ma.Schema):
    article_id = fields.Integer()
    restored = fields.Nested(FurnitureLine)
    suggested = fields.Integer(metadata={"description": "Claims suggested in the line brought back"})
    article = fields.String(metadata={"description": "The article's address"})


class ArticleOut(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    outlet = fields.String()
    byline = fields.String()
    language = fields.String()
    source_url = fields.String()
    published_url = fields.String()
    status = fields.String()
    revision = fields.Integer(allow_none=True, metadata={"description": "The current revision's number"})
    text = fields.String(metadata={"description": "The current revision's text (single article only)"})
    furniture = fields.List(fields.Nested(FurnitureLine), metadata={
        "description": "Page furniture set aside from the current text (single article only)"})
    created_by_id = fields.Integer()
    approved_by_id = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    links = fields.Nested(Links)


class ArticlePage(ma.Schema):
    items = fields.List(fields.Nested(ArticleOut))
    next_cursor = fields.String(allow_none=True)


class EvidenceOut(ma.Schema):
    id = fields.Integer()
    claim_id = fields.Integer()
    url = fields.String()
    title = fields.String()
    publisher = fields.String()
    published_on = fields.Date(allow_none=True)
    excerpt = fields.String()
    source_type = fields.String()
    stance = fields.String()
    question = fields.String()
    credibility = fields.String(allow_none=True)
    added_by_id = fields.Integer()
    created_at = fields.DateTime()
    version = fields.String(metadata={"description": "Also the ETag; send it back in If-Match to edit or remove"})
    links = fields.Dict(keys=fields.String(), values=fields.String())


class NoteOut(ma.Schema):
    id = fields.Integer()
    claim_id = fields.Integer()
    author_id = fields.Integer()
    body = fields.String()
    created_at = fields.DateTime()


class ClaimOut(ma.Schema):
    id = fields.Integer()
    article_id = fields.Integer()
    revision_id = fields.Integer()
    version = fields.Integer(metadata={"description": "Also the ETag; send it back in If-Match to write"})
    status = fields.String()
    quote = fields.String()
    prefix = fields.String()
    suffix = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    statement = fields.String()
    claimant = fields.String(allow_none=True)
    via = fields.List(fields.String())
    kind = fields.String()
    score = fields.Float(allow_none=True)
    priority = fields.String()
    due_date = fields.Date(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    verdict = fields.String(allow_none=True)
    attribution_verdict = fields.String(allow_none=True)
    rationale = fields.String(allow_none=True)
    dismiss_reason = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    text_changed = fields.Boolean()
    proposed_by_id = fields.Integer(allow_none=True)
    reviewed_by_id = fields.Integer(allow_none=True)
    allowed_actions = fields.Dict(keys=fields.String(), values=fields.Boolean(),
                                  metadata={"description": "What the token's user may do next"})
    evidence = fields.List(fields.Nested(EvidenceOut), metadata={"description": "Single claim only"})
    notes = fields.List(fields.Nested(NoteOut), metadata={"description": "Single claim only"})
    links = fields.Nested(Links)


class ClaimPage(ma.Schema):
    items = fields.List(fields.Nested(ClaimOut))
    next_cursor = fields.String(allow_none=True)


class ClaimItems(ma.Schema):
    items = fields.List(fields.Nested(ClaimOut))


class ClaimRef(ma.Schema):
    id = fields.Integer()
    status = fields.String()
    url = fields.String()
    reason = fields.String()


class RevisionReportOut(ma.Schema):
    article_id = fields.Integer()
    revision = fields.Integer()
    sha256 = fields.String()
    status = fields.String(metadata={"description": "The article's status after the revision"})
    moved = fields.List(fields.Nested(ClaimRef), metadata={"description": "Carried over unchanged"})
    changed = fields.List(fields.Nested(ClaimRef), metadata={"description": "Re-anchored, back for checking"})
    orphaned = fields.List(fields.Nested(ClaimRef), metadata={"description": "Their text is gone"})
    suggested = fields.Integer(metadata={"description": "New claims suggested in the changed text"})


class GateOut(ma.Schema):
    article_id = fields.Integer()
    status = fields.String()
    gate_holds = fields.Boolean(metadata={"description": "Every claim is settled: the article may be approved"})
    may_be_published = fields.Boolean(metadata={"description": "Approved, so it may be published now"})
    blocking = fields.List(fields.Nested(ClaimRef))


class UserOut(ma.Schema):
    id = fields.Integer()
    email = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.String())
    active = fields.Boolean()


class UserPage(ma.Schema):
    items = fields.List(fields.Nested(UserOut))


class AuditEventOut(ma.Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_label = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.Integer(allow_none=True)
    article_id = fields.Integer(allow_none=True)
    changes = fields.Dict()
    request_id = fields.String(allow_none=True)
    ip_address = fields.String(allow_none=True)
    hash = fields.String()
    prev_hash = fields.String()


class AuditPage(ma.Schema):
    items = fields.List(fields.Nested(AuditEventOut))
    next_cursor = fields.String(allow_none=True)


class HeadOut(ma.Schema):
    id = fields.Integer()
    hash = fields.String()
    seq = fields.Integer()


class ChainReportOut(ma.Schema):
    intact = fields.Boolean()
    count = fields.Integer(metadata={"description": "Events verified (before the first broken one)"})
    first_broken_id = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)
    head = fields.Nested(HeadOut, allow_none=True, metadata={"description": "The newest event verified"})
    checkpoint = fields.Nested(HeadOut, allow_none=True, metadata={
        "description": "The highest head anchored outside the database"})
    event_id = fields.Integer(metadata={"description": "The audit.verified event recording this verification"})


class NotificationOut(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    actor_id = fields.Integer(allow_none=True)
    claim_id = fields.Integer(allow_none=True)
    article_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


class NotificationPage(ma.Schema):
    items = fields.List(fields.Nested(NotificationOut))
    next_cursor = fields.String(allow_none=True)
    unread = fields.Integer(metadata={"description": "How many of the user's notifications are unread"})


class MarkedRead(ma.Schema):
    marked = fields.Integer(metadata={"description": "How many notifications this marked read"})


class TokenOut(ma.Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The secret's first characters, to tell tokens apart"})
    scopes = fields.List(fields.String())
    created_at = fields.DateTime()
    created_by_id = fields.Integer(allow_none=True)
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)
    state = fields.String(metadata={"description": "active, expired or revoked"})
    secret = fields.String(metadata={"description": "Only in the answer to issuing: it is never shown again"})


class TokenPage(ma.Schema):
    items = fields.List(fields.Nested(TokenOut))


class ClaimReviewFeed(ma.Schema):
    context = fields.String(data_key="@context")
    graph = fields.List(fields.Dict(), data_key="@graph", metadata={"description": "schema.org ClaimReview objects"})
    next_cursor = fields.String(allow_none=True)


# ---- webhooks ---------------------------------------------------------------------------------------

class WebhookCreate(Strict):
    url = txt(2000, required=True)
    events = fields.List(txt(40), required=True, validate=validate.Length(min=1, max=10),
                         metadata={"description": f"Among: {', '.join(EVENTS)}"})
    active = fields.Boolean(load_default=True)


class WebhookOut(ma.Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    active = fields.Boolean()
    created_at = fields.DateTime()
    created_by_id = fields.Integer(allow_none=True)
    deliveries = fields.Dict(keys=fields.String(), values=fields.Integer(),
                             metadata={"description": "How many deliveries are pending, delivered, failed"})
    secret = fields.String(metadata={"description": "Only in the answer to registering: keep it to check signatures"})


class WebhookPage(ma.Schema):
    items = fields.List(fields.Nested(WebhookOut))


class DeliveryOut(ma.Schema):
    id = fields.Integer()
    event = fields.String()
    payload = fields.Dict()
    status = fields.String()
    attempts = fields.Integer()
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime()
    last_attempt_at = fields.DateTime(allow_none=True)
    response_status = fields.Integer(allow_none=True)
    response_body = fields.String(allow_none=True)
    error = fields.String(allow_none=True)


class DeliveryPage(ma.Schema):
    items = fields.List(fields.Nested(DeliveryOut))
    next_cursor = fields.String(allow_none=True)


class Resolve(Strict):
    resolution = one_of([r.value for r in Resolution], required=True)
    note = txt(10_000, load_default="")
    revision = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), load_default=None,
                              allow_none=True, metadata={"description": "The correcting revision's number"})
