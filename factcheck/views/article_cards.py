"""The article page's claim cards and the gate's list of what blocks approval, written in Python
rather than in its template.

An article shows twenty claims or more, and a card reads about thirty of its row's fields: done by Jinja,
each one an attribute lookup and an escape call through its runtime, the cards were a quarter of the
page (issue 15). Here each card is one f-string over the row; the markup is the template's, byte for
byte, and every value a person or the text supplies is escaped as autoescaping would (``list_rows.html_text``:
the same entities as ``markupsafe.escape``, without making a ``Markup`` of each of some two hundred values).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from typing import Any

from markupsafe import Markup

from factcheck.services.article_page import ArticleClaim
from factcheck.views.kept import Kept
from factcheck.views.list_rows import html_text, status_label

# What the triage forms send back: the claims list and what changes with it, swapped in by htmx.
_SWAP = ('hx-select="#claims-list" hx-target="#claims-list" hx-swap="outerHTML" '
         'hx-select-oob="#flashes,#article-text:innerHTML,#gate,#article-status"')
_DISMISS_REASONS = ("""            <select name="reason" id="dismiss-reason-{id}">
              <option>Not check-worthy</option><option>Opinion, not a factual claim</option>
              <option>Duplicate of another claim</option><option>Part of the headline</option>
            </select>
""")


def cards(claims: list[ArticleClaim], *, triage: Collection[int], assignable: Collection[int],
          claim_url: Callable[[int], str], accept_url: Callable[[int], str], dismiss_url: Callable[[int], str],
          token_and_key: Callable[[], Markup]) -> Markup:
    """Every claim's card, in order: with the triage forms for the claims in ``triage`` and a tick box for
    those in ``assignable``. ``token_and_key`` renders a triage form's CSRF token with a new
    idempotency key (one per form, as ``form.csrf_token()`` in a template gives).

    The cards around the tokens are kept per process (``_kept``) under everything they show: each
    claim's row (every column, its version included), what the viewer may do with it, and the three
    addresses' form (each a function of the claim's id alone, as ``links.by_id`` makes them). A view of
    the same claims by the same kind of viewer writes only the tokens."""
    may = tuple((claim.id in triage, claim.id in assignable) for claim in claims)
    # The claims as read (``article_page.ArticleClaims.key``: the rows they were made of) stand for every
    # value of every card: hashing them is cheaper than a key made of each claim's columns again.
    rows = getattr(claims, "key", None)
    # The addresses are the same function of a claim's id for every claim: asked once, of a stand-in.
    key = (claim_url(0), accept_url(0), dismiss_url(0), rows if rows is not None else tuple(map(_key, claims)), may)
    parts = _kept.get(key, lambda: [
        _card(claim, may_triage, may_tick, claim_url(claim.id), accept_url(claim.id) if may_triage else "",
              dismiss_url(claim.id) if may_triage else "")
        for claim, (may_triage, may_tick) in zip(claims, may, strict=True)])
    pieces: list[str] = []
    for card in parts:
        if len(card) == 1:
            pieces.append(card[0])
        else:  # the two triage forms' tokens go between its three parts
            pieces += (card[0], token_and_key(), card[1], token_and_key(), card[2])
    return Markup("".join(pieces))


# The cards of an article's claims for one kind of viewer, each as the text around its forms' tokens.
# Keys hold every value a card shows, so a changed claim is a new key, never a stale card (``Kept``).
_kept: Kept[list[tuple[str, ...]]] = Kept(at_most=512)
_VIA = ArticleClaim._fields.index("via")


def _key(claim: ArticleClaim) -> tuple[Any, ...]:
    """The row as a key: every column (the relays, a list, as a tuple)."""
    return (*claim[:_VIA], tuple(claim.via) if claim.via else None, *claim[_VIA + 1:])


# A claim's status, kind, priority, verdict and assignee each come from a short list: escaped once per
# word, not once per card (the escapes were a third of writing the cards of a first view).
_word = functools.lru_cache(maxsize=256)(html_text)


@functools.lru_cache(maxsize=64)
def _status(status: str) -> tuple[str, str]:
    """The status escaped, and as people read it (the ``status_label`` filter), escaped."""
    return html_text(status), status_label(status)


def _card(claim: ArticleClaim, may_triage: bool, may_tick: bool, claim_url: str, accept_url: str,
          dismiss_url: str) -> tuple[str, ...]:
    """The card's markup: one piece, or (for a claim the viewer may triage) three around its two tokens."""
    claim_id = claim.id
    status, status_shown = _status(claim.status)
    link = html_text(claim_url)
    tick = (f'<input type="checkbox" name="claim_ids" value="{claim_id}" form="bulk-assign" id="select-{claim_id}" '
            f'aria-label="Select claim {claim_id} for assignment"> ') if may_tick else ""
    claimant = ""
    if claim.claimant:
        via = f' <span class="via">(via {", ".join(html_text(v) for v in claim.via)})</span>' if claim.via else ""
        claimant = f'<span class="claimant">— {html_text(claim.claimant)}{via}</span>'
    # Jinja's ``round`` filter is Python's round to no decimals (a float), then ``int``.
    score = (f' <span class="score" title="check-worthiness">{int(round(claim.score * 100, 0))}%</span>'
             if claim.score is not None else "")
    triage = _triage(claim, link, accept_url, dismiss_url) if may_triage else ("",)
    assigned = ""
    if claim.assignee_id:
        due = f", due {claim.due_date.isoformat()}" if claim.due_date else ""
        assigned = f"Assigned to {_word(str(claim.assignee_name))}{due} · {_word(claim.priority)} priority"
    verdict = f" · verdict: <strong>{_word(claim.verdict)}</strong>" if claim.verdict else ""
    label = html_text(claim.label)  # type: ignore[misc]  # Claim.label, borrowed by the row class
    before = f"""
      <li id="claim-{claim_id}" class="claim-card status-{status}">
        <p>{tick}<span class="badge status-{status}">{status_shown}</span> <a href="{link}">Claim {claim_id}</a>
          {claimant}
          <span class="kind">{_word(claim.kind)}</span>{score}</p>
        <blockquote>{label}</blockquote>
        """
    after = f"""
        <p class="meta">
          {assigned}
          {verdict}
        </p>
      </li>
      """
    if len(triage) == 1:
        return (f"{before}{after}",)
    return (before + triage[0], triage[1], triage[2] + after)


def _triage(claim: ArticleClaim, link: str, accept_url: str, dismiss_url: str) -> tuple[str, str, str]:
    """The triage forms, as the text before, between and after their two tokens."""
    claim_id = claim.id
    accept = html_text(accept_url)
    dismiss = html_text(dismiss_url)
    kept = (f'<input type="hidden" name="version" value="{int(claim.version)}">'
            '<input type="hidden" name="return_to" value="article">')
    return (f"""
        <div class="triage">

          <form method="post" action="{accept}" class="inline"
                hx-post="{accept}" {_SWAP}>
            """, f"""
            {kept}
            <button type="submit" class="primary">Accept</button>
          </form>
          <a href="{link}">Edit, then accept</a>

          <form method="post" action="{dismiss}" class="inline dismiss-form" data-confirm="Dismiss claim {claim_id}?"
                hx-post="{dismiss}" {_SWAP}>
            """, f"""
            {kept}
            <label for="dismiss-reason-{claim_id}">Reason</label>
{_DISMISS_REASONS.format(id=claim_id)}            <button type="submit">Dismiss</button>
          </form>
        </div>
        """)


def blockers(blocking: Iterable[Any], *, claim_url: Callable[[int], str]) -> Markup:
    """The gate's ``<li>`` of each claim holding the article back (``articles.Blocker``, or the page's
    own of a row): a link to it, its words and the reason."""
    return Markup("".join(
        f'<li><a href="{html_text(claim_url(b.claim.id))}">Claim {b.claim.id}</a>: “{html_text(b.claim.label)}” '
        f'{html_text(b.reason)}</li>' for b in blocking))
