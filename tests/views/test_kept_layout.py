"""The layout around a kept claim or article body, kept per template, title, mount point and session
(``views/layout.py``, ``page``): every page it writes is, byte for byte, what ``render_template`` writes
for the same request, whoever looks, after writes, with flashes waiting, after a change of roles or name,
under another mount point; a waiting flash is shown once."""
from __future__ import annotations

import pytest
from flask import render_template

from factcheck.extensions import db
from factcheck.models import User
from factcheck.services import evidence
from factcheck.services import users as user_service
from factcheck.views import layout
from tests.support.context import ctx


@pytest.fixture
def compared(app, monkeypatch):
    """Every page ``layout.page`` writes, checked against ``render_template``'s for the same request (the
    same tokens and keys: the body is the same). The reference is rendered first: it takes any waiting
    flashes, which ``page`` then sees as taken and renders whole."""
    written = {"kept": 0, "whole": 0}
    real = layout.page

    def checked(template, body, **values):
        reference = render_template(template, body=body, **values)
        before = layout._LAYOUTS.size(app)
        page = real(template, body, **values)
        assert page == reference
        written["kept" if layout._LAYOUTS.size(app) == before else "whole"] += 1
        return page

    monkeypatch.setattr(layout, "page", checked)
    return written


def test_claim_and_article_pages_are_those_render_template_writes(app, make, login_as, compared):
    editor, checker = make.user("editor"), make.user("checker")
    checker.display_name = "Cleo <Checker>"
    article = make.article(editor=editor, title="Tram & <line> \"approved\"")
    claim = make.assigned_claim(checker, editor=editor, article=article)
    claim_id, article_id = claim.id, article.id
    db.session.commit()
    clients = [login_as(editor), login_as(checker), login_as("manager"), login_as("admin"), login_as(editor)]
    for _ in range(3):
        for client in clients:
            for url in (f"/claims/{claim_id}", f"/articles/{article_id}"):
                assert client.get(url).status_code == 200
    assert compared["kept"] > compared["whole"] > 0
    # A write with its flash waiting: the next view shows it once, the one after does not.
    editor_client, checker_client = clients[0], clients[1]
    posted = checker_client.submit(f"/claims/{claim_id}/notes", {"body": "Called the press office."})
    assert posted.status_code == 302
    first = checker_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    second = checker_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert 'class="flash flash-success"' in first and "flash-success" not in second
    posted = editor_client.submit(f"/articles/{article_id}/claims", {"quote": "The line will cost 210 million euros"})
    assert posted.status_code == 302
    first = editor_client.get(f"/articles/{article_id}").get_data(as_text=True)
    second = editor_client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'class="flash flash-success"' in first and "flash-success" not in second
    # Writes by others, a renamed viewer, a change of roles: each view still render_template's page.
    evidence.add_evidence(ctx(), actor=checker, claim=db.session.get(type(claim), claim_id),
                          url="https://example.org/a", title="Minutes", stance="supports")
    db.session.get(User, checker.id).display_name = "Renamed <Checker>"
    db.session.commit()
    user_service.set_roles(ctx(), actor=make.user("admin"), user=db.session.get(User, editor.id),
                           roles=["editor", "checker"])
    db.session.commit()
    for client in clients:
        for url in (f"/claims/{claim_id}", f"/articles/{article_id}", f"/claims/{claim_id}"):
            page = client.get(url).get_data(as_text=True)
    assert "Renamed &lt;Checker&gt;" in checker_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Renamed &lt;Checker&gt;" in page
    # Another mount point: its own layout.
    for _ in range(2):
        mounted = editor_client.get(f"/claims/{claim_id}", environ_overrides={"SCRIPT_NAME": "/fc"})
        assert mounted.status_code == 200
        assert 'href="/fc/static/css/app.css' in mounted.get_data(as_text=True)


def test_a_flash_waiting_over_a_kept_layout_is_shown_once(app, make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    claim_id = claim.id
    db.session.commit()
    client = login_as(checker)
    for _ in range(3):
        page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "flash-success" not in page and layout._LAYOUTS.size(app) > 0
    with client.session_transaction() as session:
        session["_flashes"] = [("warning", "Mind <the> gap")]
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert '<p class="flash flash-warning" role="status">' in page and "Mind &lt;the&gt; gap" in page
    assert "Mind" not in client.get(f"/claims/{claim_id}").get_data(as_text=True)


def test_each_session_has_its_own_layout_token(make, login_as):
    user = make.user("editor")
    claim = make.claim(editor=user)
    claim_id = claim.id
    db.session.commit()
    first, second = login_as(user), login_as(user)
    pages = [client.get(f"/claims/{claim_id}").get_data(as_text=True) for client in (first, second, first, second)]
    meta = [page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0] for page in pages]
    assert meta[0] == meta[2] and meta[1] == meta[3] and meta[0] != meta[1]
    for page, token in zip(pages, meta, strict=True):  # the header's sign-out form: the same session's token
        assert f'name="csrf_token" value="{token}"' in page


def test_a_refused_write_shows_its_problem_in_the_layout(app, make, login_as, compared):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    claim_id = claim.id
    db.session.commit()
    client = login_as(editor)
    for _ in range(2):
        client.get(f"/claims/{claim_id}")
    refused = client.submit(f"/claims/{claim_id}/assign", {"assignee_id": checker.id, "priority": "high"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="problem"' in page
    assert page.count('<meta name="csrf-token"') == 1 and page.count('class="site-header"') == 1
