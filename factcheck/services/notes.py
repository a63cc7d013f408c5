"""The conversation on a claim: notes in Markdown (sanitised on display), replies in threads, and
@mentions that name exactly one person each and notify them.

Threads are one level deep, as in a newsroom chat: a note opens a thread, its replies sit under it,
and a reply to a reply joins the same thread. Deeper nesting would push answers ever further right
(on a phone, off the screen) and split one exchange into branches nobody follows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import Table, bindparam, false, func, insert, or_, select
from sqlalchemy.orm import make_transient_to_detached

from factcheck.errors import NotFound, ValidationFailed
from factcheck.models import Claim, Note, User
from factcheck.models.base import utcnow
from factcheck.security.mentions import Handle, handles, normal_name
from factcheck.services import audit, driver_sql, idempotency
from factcheck.services.claims import check_step, step_refusal
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.services.notifications import notify

MAX_NOTE_LENGTH = 10_000
SUGGESTIONS = 8

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


def _named_by(handle: Handle, user: User) -> bool:
    email = user.email.lower()
    if handle.kind == "email":
        return email == handle.key
    if handle.kind == "local":
        return email.partition("@")[0] == handle.key
    return normal_name(user.display_name) == handle.key


def _who(users: list[User]) -> str:
    labels = [u.choice_label for u in sorted(users, key=lambda u: (u.display_name.lower(), u.email))]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def mentioned_users(session: DbSession, body: str) -> list[User]:
    """The active people a note names, one per mention, or ValidationFailed saying which mention is
    unclear: a name or local part that fits several people (listing them), or a ``@[Full Name]``
    that fits nobody. A plain ``@handle`` that is nobody's stays text (it may be a social-media
    handle quoted in the note).

    A handle is never a pattern: ``@c`` names nobody unless someone's e-mail is ``c@…``, and ``@%``
    or ``@c_en`` name nobody (unless someone's e-mail really is ``%@…``). The database narrows the
    candidates with an escaped LIKE (and exact comparisons), and the exact match is made here, so the
    result does not depend on how a database treats the escape character."""
    wanted = handles(body)
    if not wanted:
        return []
    emails = {h.key for h in wanted if h.kind == "email"}
    local_parts = sorted(h.key for h in wanted if h.kind == "local")
    full_names = {h.key for h in wanted if h.kind == "name"}
    candidates = [user for user in session.scalars(select(User).where(or_(
        func.lower(User.email).in_(emails) if emails else false(),
        func.lower(User.display_name).in_(full_names) if full_names else false(),
        *(func.lower(User.email).like(f"{_like_literal(local)}@%", escape="\\") for local in local_parts),
    ))).all() if user.is_active]
    people: dict[int, User] = {}
    for handle in wanted:
        matches = [user for user in candidates if _named_by(handle, user)]
        if len(matches) > 1:
            raise ValidationFailed(
                f"“{handle.written}” could mean {_who(matches)}. Choose one of them from the list "
                f"as you type, or write their whole e-mail (e.g. @{matches[0].email}). The note was not posted.")
        if not matches and handle.kind == "name":
            near = mention_suggestions(session, handle.key.split(" ")[0]) if handle.key else []
            hint = f" Did you mean {_who(near)}?" if near else ""
            raise ValidationFailed(f"Nobody on the desk is called “{handle.written[2:-1]}”.{hint} "
                                   "The note was not posted.")
        if matches:
            people.setdefault(matches[0].id, matches[0])
    return list(people.values())


def mention_suggestions(session: DbSession, typed: str, limit: int = SUGGESTIONS,
                        exclude: User | None = None) -> list[User]:
    """Active people a half-typed mention may mean, for the note box's autocomplete: a word of their
    name, or their e-mail, begins with ``typed``. Only a suggestion: the note names whom the person
    chose, exactly."""
    typed = normal_name(typed.lstrip("@["))[:60]
    if not typed:
        return []
    pattern = _like_literal(typed)
    name = func.lower(User.display_name)
    rows = session.scalars(
        select(User).where(
            User.is_active_account.is_(True), User.id != (exclude.id if exclude else 0),
            or_(name.like(f"{pattern}%", escape="\\"), name.like(f"% {pattern}%", escape="\\"),
                name.like(f"%-{pattern}%", escape="\\"), func.lower(User.email).like(f"{pattern}%", escape="\\")),
        ).order_by(User.display_name, User.email).limit(limit)
    ).all()
    return list(rows)


def mention_choices(session: DbSession, typed: str, viewer: User | None = None) -> list[tuple[User, str]]:
    """The suggestions for a half-typed mention (not the viewer: mentioning oneself tells nobody),
    each with what choosing it writes: the person's name when nobody else active has it, else their
    whole e-mail; either names them and only them."""
    people = mention_suggestions(session, typed, exclude=viewer)
    if not people:
        return []
    names = {u.display_name.lower() for u in people}
    counts: dict[str, int] = {name: count for name, count in session.execute(
        select(func.lower(User.display_name), func.count(User.id))
        .where(func.lower(User.display_name).in_(names), User.is_active_account.is_(True))
        .group_by(func.lower(User.display_name))
    ).all()}
    return [(u, f"@[{u.display_name}]" if counts.get(u.display_name.lower(), 0) <= 1
             and not {"[", "]"} & set(u.display_name) else f"@{u.email}") for u in people]


@dataclass
class Thread:
    """A note that opened a thread and its replies, oldest first."""

    note: Note
    replies: list[Note] = field(default_factory=list)


def threads(notes: list[Note]) -> list[Thread]:
    """The conversation as threads, in the order they were opened (from the claim's loaded notes)."""
    replies: dict[int, list[Note]] = defaultdict(list)
    for note in notes:
        if note.parent_id is not None:
            replies[note.parent_id].append(note)
    return [Thread(note, sorted(replies.get(note.id, []), key=lambda n: n.id))
            for note in sorted(notes, key=lambda n: n.id) if note.parent_id is None]


def _thread_root(ctx: Context, claim: Claim, reply_to: int) -> Note:
    parent = ctx.session.get(Note, reply_to)
    if parent is None or parent.claim_id != claim.id:
        raise NotFound("There is no such note on this claim; it may have been removed.")
    if parent.parent_id is not None:  # a reply to a reply joins the thread
        root = ctx.session.get(Note, parent.parent_id)
        if root is not None:
            return root
    return parent


# A note is inserted by one statement built once, its id returned by it (RETURNING), rather than added
# to the session and flushed: the unit of work's flush was a fifth of a note post's time (issue 15). It
# runs on the driver (``driver_sql.run_lean``): SQLAlchemy's execution of it through the session was a
# tenth of a post. The same statement takes the audit chain's lock that the note's event needs at
# commit (``audit.chain_lock_source``): one round trip fewer on PostgreSQL. The times are the columns'
# defaults, as the flush would have written them.
_NOTES = cast(Table, Note.__table__)
_NOTE_COLUMNS = ("claim_id", "author_id", "body", "parent_id", "created_at", "updated_at")
_INSERTS: dict[str, Any] = {}


def _insert_statement(dialect_name: str) -> Any:
    statement = _INSERTS.get(dialect_name)
    if statement is None:
        values = [bindparam(name, type_=_NOTES.c[name].type) for name in _NOTE_COLUMNS]
        lock = audit.chain_lock_source(dialect_name)
        insert_note = insert(_NOTES)
        if lock is None:
            insert_note = insert_note.values(dict(zip(_NOTE_COLUMNS, values, strict=True)))
        else:
            insert_note = insert_note.from_select(list(_NOTE_COLUMNS), select(*values).select_from(lock))
        statement = _INSERTS[dialect_name] = insert_note.returning(_NOTES.c.id)
    return statement


def _insert_note(ctx: Context, *, claim_id: int, author_id: int, body: str, parent_id: int | None) -> Note:
    """Insert the note, taking the audit chain's lock, and return it as the session's: persistent,
    its id known, the rest loaded if read."""
    session = ctx.session
    session.flush()  # what the session's execution would have flushed first
    connection = session.connection()
    now = utcnow()
    values = {"claim_id": claim_id, "author_id": author_id, "body": body, "parent_id": parent_id}
    note_id = driver_sql.run_lean(connection, _insert_statement(connection.dialect.name),
                                  {**values, "created_at": now, "updated_at": now})[0][0]
    audit.chain_locked(session)
    idempotency.wrote(session)  # the key of a form sent with one is used up by this commit
    note = Note(id=note_id, **values)
    make_transient_to_detached(note)  # its row exists: what was not given (the times) is read when asked
    session.add(note)
    return note


def add_note(ctx: Context, *, actor: User, claim: Claim, body: str, reply_to: int | None = None) -> Note:
    """Post a note, or with ``reply_to`` a reply in that note's thread. Mentioned people are
    notified; so are the thread's earlier writers of a reply (told once, as a mention if named)."""
    step_refusal(ctx.settings, actor, claim, "note")  # reads the conversation only when it decides
    check_step(ctx, actor, claim, "note")
    body = body.strip()
    if not body:
        raise ValidationFailed("The note is empty.")
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationFailed(f"A note can be at most {MAX_NOTE_LENGTH:,} characters long.")
    root = _thread_root(ctx, claim, reply_to) if reply_to is not None else None
    mentioned = mentioned_users(ctx.session, body)
    with transaction(ctx.session):
        note = _insert_note(ctx, claim_id=claim.id, author_id=actor.id, body=body,
                            parent_id=root.id if root else None)
        for user in mentioned:
            notify(ctx, recipient=user, kind="mention", actor=actor, claim=claim,
                   message=f"{actor.display_name} mentioned you on claim {claim.id}: “{claim.label}”")
        if root is not None:
            told = {u.id for u in mentioned}
            writers = ctx.session.scalars(select(Note.author_id).where(
                or_(Note.id == root.id, Note.parent_id == root.id)).distinct()).all()
            for writer in sorted(set(writers) - told):
                notify(ctx, recipient=writer, kind="reply", actor=actor, claim=claim,
                       message=f"{actor.display_name} replied in a thread you wrote in on claim {claim.id}: "
                               f"“{claim.label}”")
        # The same event as ``audit.record`` writes, without the AuditEvent object it returns (nobody
        # reads it here): building that object and setting its id and link at commit was a tenth of the
        # audit's share of a note post.
        audit.record_many(ctx, actor=actor, action="note.added", object_type="note", article_id=claim.article_id,
                          objects=[(note.id, audit.created({"claim_id": claim.id, "body": body,
                                                            "reply_to": root.id if root else None,
                                                            "mentions": [u.email for u in mentioned] or None}))])
    return note
