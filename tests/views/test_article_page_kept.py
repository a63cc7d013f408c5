"""The article page keeps its claims, cards, gate and marked text per process under the rows it read
(issue 15), and writes the session's token once for all its forms: a view after any change shows the
change, and every form still carries the session's token with a key of its own."""
from __future__ import annotations

import re

from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import User
from factcheck.services import claims
from tests.support.context import ctx
from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM

_GATE = re.compile(r'<ul class="blockers">(.*?)</ul>', re.S)


def test_a_view_after_a_change_shows_it(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    article = make.article(editor)
    first = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    second = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    claims.assign(ctx(), actor=editor, claim=first, assignee=checker)
    db.session.commit()
    client = login_as(editor)
    for _ in range(2):  # the second view is the kept one
        page = client.get(f"/articles/{article.id}").get_data(as_text=True)
        assert f"Assigned to {checker.display_name}" in page
        gate = _GATE.search(page)
        assert gate and f'href="/claims/{first.id}"' in gate.group(1) and f'href="/claims/{second.id}"' in gate.group(1)
        assert f'data-claim-id="{second.id}" data-status="open"' in page
    db.session.execute(update(User).where(User.id == checker.id).values(display_name="Renamed <Checker> & Co"))
    claims.dismiss(ctx(), actor=editor, claim=second, reason="Opinion, not a factual claim")
    db.session.commit()
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Assigned to Renamed &lt;Checker&gt; &amp; Co" in page and f"Assigned to {checker.display_name}" not in page
    gate = _GATE.search(page)
    assert gate and f'href="/claims/{second.id}"' not in gate.group(1) and f'href="/claims/{first.id}"' in gate.group(1)
    assert f'data-claim-id="{second.id}" data-status="dismissed"' in page
    assert 'value="' + str(checker.id) + '">Renamed &lt;Checker&gt; &amp; Co (' in page  # the bulk form's choice


def test_every_form_carries_the_sessions_token_and_its_own_key(make, login_as):
    editor = make.user("editor")
    make.user("checker")  # someone to assign to: the bulk form is shown
    article = make.article(editor)
    for quote in (FIRST_CLAIM, SECOND_CLAIM):
        claims.add_claim(ctx(), actor=editor, article=article, quote=quote)
    db.session.commit()
    client = login_as(editor)
    pages = [client.get(f"/articles/{article.id}").get_data(as_text=True) for _ in range(2)]
    keys: list[str] = []
    for page in pages:
        session_token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
        assert session_token
        forms = [form for form in re.findall(r"<form method=\"post\".*?</form>", page, re.S)
                 if 'action="/logout"' not in form]  # the layout's own
        assert any('id="bulk-assign"' in form for form in forms) and 'id="add-claim-form"' in forms[-1]
        assert any('id="csrf_token" name="csrf_token"' in form for form in forms)  # with its id, and without
        for form in forms:
            tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
            assert tokens == [session_token.group(1)], form
            keys += re.findall(r'name="idempotency_key" value="([^"]+)"', form)
    assert len(keys) == len(set(keys)) and len(keys) >= 6
