"""The claim page's evidence, conversation and history (written by views/claim_items.py, not the
template): what people and sources supplied is escaped, each form carries its token and a key, and
each item offers what its viewer may do and nothing more."""
from __future__ import annotations

import json
import re

from markupsafe import escape

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services import claims as claim_service
from factcheck.services import evidence, notes, presence
from tests.support.context import ctx

EVIL = '<script>alert("x")</script> & \'q\''


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section [^>]*id="{section_id}".*?</section>', page, re.S)
    assert found, page
    return found.group(0)


def _forms(html: str) -> list[str]:
    return re.findall(r"<form .*?</form>", html, re.S)


def test_evidence_escapes_its_source_and_offers_changes_only_to_who_may_make_them(make, login_as):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    kept = evidence.add_evidence(ctx(), actor=checker, claim=claim, url=f"https://example.org/?a=1&b={EVIL}",
                                 title=EVIL, stance="supports", publisher=EVIL, excerpt=EVIL, credibility="credible")
    removed = evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/gone", title="Gone",
                                    stance="refutes")
    evidence.remove_evidence(ctx(), actor=checker, evidence=removed, reason=EVIL)

    other_page = login_as("checker").get(f"/claims/{claim.id}").get_data(as_text=True)  # not theirs
    panel = _section(other_page, "evidence-panel")
    assert "<script>" not in panel and str(escape(EVIL)) in panel
    assert f'href="{escape(kept.url)}"' in panel and f"<blockquote>{escape(EVIL)}</blockquote>" in panel
    assert " · credibility: credible · added by " in panel
    assert re.search(rf'<del><a href="https://example.org/gone"[^>]*>Gone</a></del>.*Removed by '
                     rf'{escape(checker.display_name)} on .*: {re.escape(str(escape(EVIL)))}</p>', panel, re.S)
    assert "Edit</a>" not in panel and not _forms(panel)

    own_page = login_as(checker).get(f"/claims/{claim.id}").get_data(as_text=True)
    panel = _section(own_page, "evidence-panel")
    removal = [form for form in _forms(panel) if "/remove" in form]
    kept_items = [e for e in claim.evidence if e.removed_at is None]
    assert len(removal) == len(kept_items) >= 2  # the factory's evidence and this one; not the removed
    assert all('name="csrf_token"' in form and 'name="idempotency_key"' in form for form in removal)
    assert f"Reason for removing “{escape(EVIL)}”" in panel
    assert f'<a href="/claims/{claim.id}/evidence/{kept.id}/edit">Edit</a>' in panel


def test_the_conversation_escapes_names_and_keeps_a_refused_reply_where_it_was_typed(make, login_as):
    checker = make.user("checker")
    checker.display_name = f"Ann {EVIL}"
    claim = make.claim()
    claim_service.assign(ctx(), actor=make.user("editor"), claim=claim, assignee=checker)
    note = notes.add_note(ctx(), actor=checker, claim=claim, body=f"**bold** {EVIL}")
    client = login_as(checker)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    panel = _section(page, "notes-panel")
    assert "<script>" not in panel and f"<strong>Ann {escape(EVIL)}</strong>" in panel
    assert "<strong>bold</strong>" in panel  # the note's markdown, sanitised
    keys = re.findall(r'name="idempotency_key" value="([^"]+)"', panel)
    assert len(_forms(panel)) == 2 and len(keys) == 2 and len(set(keys)) == 2  # a reply form and the note form

    refused = client.submit(f"/claims/{claim.id}/notes", {"body": f"  {EVIL}\x01", "reply_to": note.id})
    assert refused.status_code == 422
    panel = _section(refused.get_data(as_text=True), "notes-panel")
    reply = re.search(r'<details class="reply-box" open>.*?</details>', panel, re.S)
    assert reply and f"{escape(EVIL)}" in reply.group(0) and f'id="reply-{note.id}-error"' in reply.group(0)
    top = re.search(r'<form [^>]*id="note-form".*?</form>', panel, re.S)
    assert top and '<textarea id="body" name="body" rows="4"' in top.group(0) and "></textarea>" in top.group(0)
    assert 'aria-invalid' not in top.group(0)


def test_the_history_escapes_what_the_log_recorded(make, login_as):
    checker = make.user("checker")
    claim = make.claim()
    claim_service.assign(ctx(), actor=make.user("editor"), claim=claim, assignee=checker)
    notes.add_note(ctx(), actor=checker, claim=claim, body=EVIL)
    page = login_as("editor").get(f"/claims/{claim.id}").get_data(as_text=True)
    panel = _section(page, "history-panel")
    assert "<script>" not in panel and f"<li>body: {escape(EVIL)}</li>" in panel
    assert f"<strong>{escape(checker.display_name)}</strong> wrote a note" in panel
    assert re.search(r'<li><time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC</time> · ', panel)


def test_who_else_is_there_is_escaped_and_the_anchor_is_the_claims_own_json(make, login_as):
    """The presence region and the anchor are written by claim_items too: a person's name is escaped,
    the first line says nothing is locked, the page of a reader only asks; the anchor reads back as
    ``Claim.anchor()``, with nothing in it that could close the ``<pre>``."""
    checker, other = make.user("checker"), make.user("checker")
    checker.display_name, other.display_name = f"Ann {EVIL}", "Bo"
    claim = make.assigned_claim(checker)
    claim.prefix = "</pre><script>'&"  # as a revision's text might have it before the quote
    presence.heartbeat(ctx(), actor=checker, claim=claim)
    claim_service.assign(ctx(), actor=make.user("editor"), claim=claim, assignee=other)
    presence.heartbeat(ctx(), actor=other, claim=claim)
    reader = login_as("manager")
    page = reader.get(f"/claims/{claim.id}").get_data(as_text=True)
    region = re.search(r'<div id="presence".*?</div></div>', page, re.S)
    assert region and f'hx-get="/claims/{claim.id}/presence" hx-trigger="every 30s"' in region.group(0)
    lines = re.findall(r'<p class="presence-line">.*?</p>', region.group(0))
    assert len(lines) == 2 and f"<strong>Ann {escape(EVIL)}</strong> has this claim open since" in lines[0]
    assert "nothing is locked" in lines[0] and "nothing is locked" not in lines[1] and "<strong>Bo</strong>" in lines[1]
    assert "<script>" not in region.group(0)
    assert region.group(0).endswith(reader.get(f"/claims/{claim.id}/presence").get_data(as_text=True) + "</div>")
    shown = re.search(r"<pre>(.*?)</pre>", page, re.S)
    assert shown and "<" not in shown.group(1) and json.loads(shown.group(1)) == db.session.get(Claim, claim.id).anchor()


def test_the_anchor_is_written_as_the_tojson_filter_writes_it(app):
    """``claim_items._anchor_written`` (the C encoder's strings in a fixed layout) gives the bytes of
    ``claim.anchor()|tojson(indent=1)`` for anchors of every character JSON or HTML treats specially."""
    import random
    import string

    from jinja2.utils import htmlsafe_json_dumps

    from factcheck.views import claim_items

    env = app.jinja_env
    policies = env.policies
    assert claim_items._default_json(env)
    alphabet = string.printable + "<>&'\"\\\u00e9\u2014\U0001f600\x00\x1f\u2028\ud7ff"
    chosen = random.Random(15)

    def text(longest: int) -> str:
        return "".join(chosen.choice(alphabet) for _ in range(chosen.randint(0, longest)))

    for _ in range(3000):
        anchor = claim_items._Anchor(chosen.randint(1, 10**6), text(80), text(30), text(30), chosen.randint(0, 10**5),
                                     chosen.randint(0, 10**5))
        tojson = htmlsafe_json_dumps(Claim.anchor(anchor), dumps=policies["json.dumps_function"],  # type: ignore[arg-type]
                                     **{**policies["json.dumps_kwargs"], "indent": 1})
        assert claim_items._anchor_written(anchor) == tojson
    # A value of another kind is left to the general way.
    assert claim_items._anchor_written(claim_items._Anchor(1, "q", "p", "s", 1.5, 2)) is None  # type: ignore[arg-type]
