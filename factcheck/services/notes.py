"""Notes on a claim: Markdown, sanitised on display, with @mentions that notify."""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import false, func, or_, select

from factcheck.errors import ValidationFailed
from factcheck.models import Claim, Note, User
from factcheck.services import audit
from factcheck.services.claims import check_step
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.notifications import notify

MAX_NOTE_LENGTH = 10_000
# "@chen" (an email's local part) or "@chen@desk.example" (a whole email address).
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")

# Raw HTML in the source is escaped by the parser; the sanitiser is the second wall.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3",
                 "h4", "h5", "h6", "hr"}


def render_markdown(body: str) -> Markup:
    html = _markdown.render(body)
    clean = nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)


def _like_literal(text: str) -> str:
    """``text`` as a LIKE pattern that matches only itself (``%`` and ``_`` are wildcards in LIKE)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def mentioned_users(session: DbSession, body: str) -> list[User]:
    """The active users a note names: ``@chen`` is everyone whose e-mail's local part is exactly
    ``chen``, ``@chen@desk.example`` the one with that e-mail; letters' case does not matter.

    A handle is never a pattern: ``@%`` or ``@c_en`` name nobody (unless someone's e-mail really
    is ``%@…``). The database narrows the candidates with an escaped LIKE, and the exact comparison
    is made here, so the result does not depend on how a database treats the escape character."""
    handles = {handle.lower().rstrip(".") for handle in MENTION.findall(body)}
    handles.discard("")
    if not handles:
        return []
    emails = {handle for handle in handles if "@" in handle}
    local_parts = handles - emails
    candidates = session.scalars(select(User).where(or_(
        func.lower(User.email).in_(emails) if emails else false(),
        *(func.lower(User.email).like(f"{_like_literal(local)}@%", escape="\\") for local in sorted(local_parts)),
    ))).all()

    def named(user: User) -> bool:
        email = user.email.lower()
        return email in emails or email.partition("@")[0] in local_parts

    return [user for user in candidates if user.is_active and named(user)]


def add_note(ctx: Context, *, actor: User, claim: Claim, body: str) -> Note:
    check_step(ctx, actor, claim, "note")
    body = body.strip()
    if not body:
        raise ValidationFailed("The note is empty.")
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationFailed(f"A note can be at most {MAX_NOTE_LENGTH:,} characters long.")
    with transaction(ctx.session):
        note = Note(claim_id=claim.id, author_id=actor.id, body=body)
        ctx.session.add(note)
        ctx.session.flush()
        mentioned = mentioned_users(ctx.session, body)
        for user in mentioned:
            notify(ctx, recipient=user, kind="mention", actor=actor, claim=claim,
                   message=f"{actor.display_name} mentioned you on claim {claim.id}: “{claim.label}”")
        audit.record(ctx, actor=actor, action="note.added", object_type="note", object_id=note.id,
                     article_id=claim.article_id,
                     changes=audit.created({"claim_id": claim.id, "body": body,
                                            "mentions": [u.email for u in mentioned] or None}))
    return note
