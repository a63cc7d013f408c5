"""The article page's claim cards (written by views/article_cards.py, not the template): what a person
typed is escaped, and each card offers what its viewer may do with that claim and nothing more."""
from __future__ import annotations

import re

from markupsafe import escape

from factcheck.services import claims
from tests.support.context import ctx
from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM


def _card(page: str, claim_id: int) -> str:
    found = re.search(rf'<li id="claim-{claim_id}" class="claim-card.*?</li>', page, re.S)
    assert found, page
    return found.group(0)


def test_a_card_escapes_what_people_typed(make, login_as):
    editor = make.user("editor")
    article = make.article(editor)
    claim = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM,
                             statement='The <b>council</b> voted "27-4" & left',
                             claimant="Mayor <script>alert(1)</script>", via=["<i>Wire</i> & Co"])
    page = login_as(editor).get(f"/articles/{article.id}").get_data(as_text=True)
    card = _card(page, claim.id)
    assert "<script>alert(1)" not in card and "<i>Wire" not in card and "<b>council" not in card
    assert f'<span class="claimant">— {escape(claim.claimant)} <span class="via">(via {escape("<i>Wire</i> & Co")})</span></span>' in card
    assert f"<blockquote>{escape(claim.label)}</blockquote>" in card
    assert f'<a href="/claims/{claim.id}">Claim {claim.id}</a>' in card


def test_cards_offer_ticking_to_an_editor_and_nothing_to_a_checker(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    article = make.article(editor)
    open_claim = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    dismissed = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    claims.dismiss(ctx(), actor=editor, claim=dismissed, reason="Not checkable.")
    as_editor = login_as(editor).get(f"/articles/{article.id}").get_data(as_text=True)
    assert f'name="claim_ids" value="{open_claim.id}"' in _card(as_editor, open_claim.id)
    assert 'name="claim_ids"' not in _card(as_editor, dismissed.id)  # a dismissed claim cannot be assigned
    as_checker = login_as(checker).get(f"/articles/{article.id}").get_data(as_text=True)
    assert 'name="claim_ids"' not in as_checker and 'class="triage"' not in as_checker
    assert "dismissed" in _card(as_checker, dismissed.id)
