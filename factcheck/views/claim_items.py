"""The claim page's repeated parts, written in Python rather than in its template: its evidence, its
conversation (threads, replies, the reply forms and the note form) and its history.

As Jinja, every piece of evidence and every note was a macro call, and each of their thirty-odd values
an attribute lookup and an escape through its runtime: with the history, these parts were about half of
rendering the page (issue 15). Here each item is one f-string over the objects the page loaded; the
markup is the template's, and every value a person, a source or the log supplies is escaped as
autoescaping would (``list_rows.html_text``). A note's body is the sanitised HTML of its markdown
(``render_markdown`` gives ``Markup``), written as it is.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple, cast

from flask.json.provider import DefaultJSONProvider
from jinja2 import Environment
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from factcheck.forms.claims import NoteForm
from factcheck.models import Claim
from factcheck.views.list_rows import date_text, datetime_text, html_text, shown

Link = Callable[[int], str]

# The note form's label and help, as its field renders them (the form is built only when it was posted).
_NOTE_LABEL = html_text(NoteForm.body.args[0])
_NOTE_HELP = html_text(NoteForm.body.kwargs["description"])


def evidence_items(items: Iterable[Any], *, changes: tuple[Link, Link] | None,
                   token_and_key: Callable[[], Markup]) -> Markup:
    """The ``<li>`` of each piece of evidence: removed ones struck through with who removed it and why;
    the others with their edit link and removal form when ``changes`` gives those links (for a viewer
    who may change the evidence)."""
    return Markup("".join(_evidence_item(e, changes, token_and_key) for e in items))


def _evidence_item(e: Any, changes: tuple[Link, Link] | None, token_and_key: Callable[[], Markup]) -> str:
    evidence_id = e.id
    stance = html_text(e.stance)
    title = html_text(e.title)
    link = f'<a href="{html_text(e.url)}" rel="nofollow noopener noreferrer" target="_blank">{title}</a>'
    published = f", {date_text(e.published_on)}" if e.published_on else ""
    credibility = f" · credibility: {html_text(e.credibility)}" if e.credibility else ""
    excerpt = f"<blockquote>{html_text(e.excerpt)}</blockquote>" if e.excerpt else ""
    tail = ""
    if e.removed_at:
        link = f"<del>{link}</del>"
        who = html_text(e.removed_by.display_name) if e.removed_by else ""
        tail = f'<p class="meta">Removed by {who} on {datetime_text(e.removed_at)}: {shown(e.removal_reason)}</p>'
    elif changes is not None:
        edit_url, remove_url = changes
        tail = f"""<div class="evidence-actions">
          <a href="{html_text(edit_url(evidence_id))}">Edit</a>
          <form method="post" action="{html_text(remove_url(evidence_id))}" class="inline" data-confirm="Remove this evidence? It stays in the history.">
            {token_and_key()}
            <label for="remove-reason-{evidence_id}" class="visually-hidden">Reason for removing “{title}”</label>
            <input name="reason" id="remove-reason-{evidence_id}" placeholder="Reason for removing" required maxlength="500">
            <button type="submit" class="small">Remove</button>
          </form>
        </div>"""
    return f"""
    <li class="evidence-item stance-{stance}{" removed" if e.removed_at else ""}" id="evidence-{evidence_id}">
      <span class="badge stance-{stance}">{stance}</span>
      {link}
      <span class="meta">{shown(e.publisher)}{published} · {html_text(e.source_type)}
        {credibility} · added by {html_text(e.added_by.display_name)}</span>
      {excerpt}
      {tail}
    </li>
  """


class NoteInput(NamedTuple):
    """What the person sent with the note form when the page shows it again (a refusal, a problem):
    the note they answered, their text and what was wrong with it. Empty on a plain view."""

    replying_to: int | None = None
    body: str = ""
    errors: Sequence[str] = ()
    form_errors: Sequence[str] = ()

    @classmethod
    def of(cls, form: NoteForm | None) -> NoteInput:
        if form is None:
            return cls()
        return cls(form.reply_to.data or None, form.body.data or "", list(form.body.errors), list(form.form_errors))


def conversation(threads: Sequence[Any], *, may_note: bool, note_url: str, mentions_url: str, oob: str,
                 sent: NoteInput, render_markdown: Callable[[str], Markup],
                 token_and_key: Callable[[], Markup]) -> Markup:
    """The notes panel below its heading: the threads with their replies (and a reply form each for a
    viewer who may write), then the form for a new thread. ``sent`` keeps what was typed where it was
    typed: in the reply form of the note it answered, or in the new thread's form."""
    def item(n: Any) -> str:
        created = n.created_at
        return f"""
    <p class="meta"><strong>{html_text(n.author.display_name)}</strong> · <time datetime="{created.isoformat()}">{datetime_text(created)}</time></p>
    <div class="note-body">{render_markdown(n.body)}</div>
  """

    def errors_text(errors: Sequence[str]) -> str:
        return " ".join(html_text(e) for e in errors)

    def thread(t: Any) -> str:
        n = t.note
        note_id = n.id
        author = html_text(n.author.display_name)
        replies = ""
        if t.replies:
            shown = "".join(f"""
        <li id="note-{r.id}" class="reply">{item(r)}</li>
      """ for r in t.replies)
            replies = f'<ol class="replies" aria-label="Replies to {author}">{shown}</ol>'
        form = ""
        if may_note:
            mine = sent.replying_to == note_id
            wrong = mine and bool(sent.errors)
            error = (f'<p class="error" id="reply-{note_id}-error" role="alert">{errors_text(sent.errors)}</p>'
                     if wrong else "")
            invalid = f' aria-invalid="true" aria-describedby="reply-{note_id}-error"' if wrong else ""
            form = f"""<details class="reply-box"{" open" if mine else ""}>
        <summary>Reply<span class="visually-hidden"> to {author}</span>{" in this thread" if t.replies else ""}</summary>
        <form method="post" action="{note_url}" novalidate class="stacked reply-form"
              hx-post="{note_url}" hx-select="#notes-panel" hx-target="#notes-panel" hx-swap="outerHTML" hx-select-oob="{oob}">
          {token_and_key()}
          <input type="hidden" name="reply_to" value="{note_id}">
          <div class="field{" has-error" if wrong else ""}">
            <label for="reply-{note_id}-body">Your reply</label>
            <textarea id="reply-{note_id}-body" name="body" rows="3" maxlength="10000" data-mentions="{mentions_url}"{invalid}>{html_text(sent.body) if mine else ""}</textarea>
            {error}
          </div>
          <button type="submit">Post reply</button>
        </form>
      </details>"""
        return f"""
    <li id="note-{note_id}" class="thread">{item(n)}
      {replies}
      {form}
    </li>
  """

    parts = [f'<ol class="notes">{"".join(thread(t) for t in threads)}</ol>' if threads
             else '<p class="empty">No notes yet.</p>']
    if may_note:
        top_errors = sent.errors if not sent.replying_to else ()
        form_errors = ("".join(f"<p>{html_text(e)}</p>" for e in sent.form_errors))
        boxed = f'<div class="error-box" role="alert">{form_errors}</div>' if form_errors else ""
        error = f'<p class="error" id="body-error" role="alert">{errors_text(top_errors)}</p>' if top_errors else ""
        parts.append(f"""
  <form method="post" action="{note_url}" novalidate class="stacked" id="note-form"
        hx-post="{note_url}" hx-select="#notes-panel" hx-target="#notes-panel" hx-swap="outerHTML" hx-select-oob="{oob}">
    {token_and_key()}
    {boxed}
    <div class="field{" has-error" if top_errors else ""}">
      <label for="body">{_NOTE_LABEL}</label>
      <small id="body-help" class="help">{_NOTE_HELP}</small>
      <textarea id="body" name="body" rows="4" maxlength="10000" data-mentions="{mentions_url}" aria-describedby="body-help{" body-error" if top_errors else ""}"{' aria-invalid="true"' if top_errors else ""}>{html_text(sent.body) if not sent.replying_to else ""}</textarea>
      {error}
    </div>
    <button type="submit">Post note</button>
  </form>
  """)
    return Markup("\n  ".join(parts))


def history(items: Iterable[Any]) -> Markup:
    """The timeline's ``<li>`` of each described event (``views.history.describe``), oldest first."""
    return Markup("".join(_event(item) for item in items))


def _event(item: Any) -> str:
    event = item.event
    created = event.created_at
    who = event.actor_name if event.actor_name is not None else event.actor_label
    details = ("<ul class=\"changes\">" + "".join(f"<li>{html_text(line)}</li>" for line in item.details) + "</ul>"
               if item.details else "")
    return f"""
    <li><time datetime="{created.isoformat()}">{datetime_text(created)}</time> · <strong>{shown(who)}</strong> {html_text(item.says)}
      <span class="meta">({html_text(event.action)})</span>
      {details}
    </li>
    """


class _Anchor(NamedTuple):
    """The columns a claim's anchor is made of: the key of its JSON, kept once per process."""

    revision_id: int
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


def anchor_json(claim: Claim, env: Environment) -> Markup:
    """What ``claim.anchor()|tojson(indent=1)`` writes. With an indent, ``json`` encodes in pure Python
    (about 25 µs, a tenth of the claim page's template); the JSON depends on nothing but six columns,
    so each anchor is encoded once per process."""
    return _anchor_json(_Anchor(claim.revision_id, claim.quote, claim.prefix, claim.suffix, claim.start, claim.end), env)


@functools.lru_cache(maxsize=512)
def _anchor_json(anchor: _Anchor, env: Environment) -> Markup:
    if _default_json(env):
        written = _anchor_written(anchor)
        if written is not None:
            return written
    # As Jinja's ``tojson`` filter does it, with the dumps function and options the app gave it.
    policies = env.policies
    # The model's own selectors (read from these columns), so the page cannot say other than the claim does.
    return htmlsafe_json_dumps(Claim.anchor(cast(Claim, anchor)), dumps=policies["json.dumps_function"],
                               **{**policies["json.dumps_kwargs"], "indent": 1})


def _default_json(env: Environment) -> bool:
    """Whether the app's ``tojson`` is Flask's default: ASCII only, keys sorted (what ``_anchor_written`` writes)."""
    policies = env.policies
    dumps = policies["json.dumps_function"]
    provider = getattr(dumps, "__self__", None)
    return (type(provider) is DefaultJSONProvider and getattr(dumps, "__func__", None) is DefaultJSONProvider.dumps
            and provider.ensure_ascii is True and provider.sort_keys is True
            and policies["json.dumps_kwargs"] == {"sort_keys": True})


def _json_value(value: Any) -> str | None:
    """A string or an integer as ``json.dumps`` writes it (ASCII only), else None; the JSON text is then made
    safe in HTML as ``htmlsafe_json_dumps`` makes it."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return None


def _anchor_written(anchor: _Anchor) -> Markup | None:
    """``Claim.anchor`` as ``htmlsafe_json_dumps`` writes it with Flask's defaults and an indent of one,
    each value by the C encoder: the ``json`` module encodes in pure Python when indenting (about a tenth
    of a first view's template, for a claim seen for the first time). None when a value is not a string,
    an integer or None (the general way then writes it)."""
    values = [_json_value(value) for value in
              (anchor.quote, anchor.prefix, anchor.suffix, anchor.end, anchor.start, f"revision:{anchor.revision_id}")]
    if None in values:
        return None
    exact, prefix, suffix, end, start, source = values
    return Markup(f"""{{
 "selector": [
  {{
   "exact": {exact},
   "prefix": {prefix},
   "suffix": {suffix},
   "type": "TextQuoteSelector"
  }},
  {{
   "end": {end},
   "start": {start},
   "type": "TextPositionSelector"
  }}
 ],
 "source": {source}
}}""".replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027"))


_LOCKED_NOTE = ' <span class="meta">(nothing is locked: if you both save, the second save is told what changed)</span>'


def presence_now(present: Sequence[Any]) -> Markup:
    """Who else has the claim open to change it (``presence.Present``, longest there first): what the
    page's heartbeat swaps in."""
    lines = "".join(f"""
  <p class="presence-line"><span class="presence-dot" aria-hidden="true"></span><strong>{html_text(p.user.display_name)}</strong> has this claim open since <time datetime="{p.since.isoformat()}">{p.since.strftime('%H:%M')}</time> UTC{_LOCKED_NOTE if n == 0 else ""}</p>
""" for n, p in enumerate(present))
    return Markup(f"""
<div id="presence-now">
{lines}
</div>""")


def presence_region(present: Sequence[Any], *, heartbeat: bool, url: str) -> Markup:
    """"Chen Li has this claim open since 14:02": the page of a person who may change the claim sends a
    heartbeat (every 30 s, CSRF header from app.js) to ``url`` and shows the answer; a reader's page only
    asks."""
    asks = (f'hx-post="{html_text(url)}" hx-trigger="load, every 30s"\n  ' if heartbeat
            else f'hx-get="{html_text(url)}" hx-trigger="every 30s"')
    return Markup(f"""
<div id="presence" class="presence" role="status"
  {asks}
  hx-select="#presence-now" hx-swap="innerHTML">{presence_now(present)}</div>""")
