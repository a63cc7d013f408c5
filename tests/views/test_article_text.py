"""The article page's marked text and claim cards, written once and kept per process
(views/article_text.py, views/article_cards.py): the same markup as the ``highlight`` filter and as a
card written anew, never a stale one after a claim changes, and every form with its own key."""
from __future__ import annotations

import random
import re
from types import SimpleNamespace

from factcheck.services import claims
from factcheck.views import article_text
from factcheck.views.filters import _highlight
from tests.support.context import ctx
from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM

_STATUSES = ["suggested", "open", "in_progress", "needs_review", "final", "dismissed", 'odd"<&>\'']


def test_the_marked_text_is_the_highlight_filter_s():
    rng = random.Random(15)
    alphabet = "ab <>&\"'é\n—"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        spans = []
        for claim_id in range(1, rng.randint(1, 7)):
            start, end = rng.randint(-2, len(text) + 2), rng.randint(-2, len(text) + 2)
            spans.append(SimpleNamespace(id=claim_id, start=min(start, end), end=max(start, end),
                                         status=rng.choice(_STATUSES)))
        if spans and rng.random() < 0.3:  # two claims on the same span
            first = spans[0]
            spans.append(SimpleNamespace(id=99, start=first.start, end=first.end, status="open"))
        expected = _highlight(text, spans)
        assert article_text.write(text, [(s.id, s.start, s.end, s.status) for s in spans]) == expected
        assert article_text.marked(text, spans) == expected
        assert article_text.marked(text, spans) == expected  # kept


def _tokens(page: str) -> list[str]:
    return re.findall(r'name="idempotency_key" value="([^"]+)"', page)


def test_a_page_seen_again_shows_what_changed_and_new_keys(make, login_as):
    editor = make.user("editor")
    article = make.article(editor)
    first = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    second = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    client = login_as(editor)
    client.get(f"/articles/{article.id}")  # the sign-in's flash shown
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    again = client.get(f"/articles/{article.id}").get_data(as_text=True)
    # The same markup but for the keys, and every form's key new on each view.
    keys, keys_again = _tokens(page), _tokens(again)
    assert len(keys) == len(set(keys)) and len(keys_again) == len(set(keys_again)) and not set(keys) & set(keys_again)
    assert len(keys) >= 2
    assert re.sub(r'value="[^"]+"', "", page) == re.sub(r'value="[^"]+"', "", again)
    assert f'<li id="claim-{first.id}" class="claim-card' in again

    # A claim dismissed: its mark and its card show it at once (new keys, not the kept markup).
    claims.dismiss(ctx(), actor=editor, claim=second, reason="Not checkable.")
    after = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert re.search(rf'<mark class="claim status-dismissed" id="claim-mark-{second.id}" data-claim-id="{second.id}"', after)
    assert not re.search(rf'<mark class="claim status-dismissed" id="claim-mark-{second.id}"', page)
    card = re.search(rf'<li id="claim-{second.id}" class="claim-card status-dismissed">.*?</li>', after, re.S)
    assert card and 'class="triage"' not in card.group(0)
    assert f'<li id="claim-{second.id}" class="claim-card status-dismissed">' not in page
