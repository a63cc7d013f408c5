"""The article page's body is kept per article and viewer for the rows it was written from
(``views/kept_article_pages.py``, issue 15): a repeated view is the same page with new idempotency keys
and reads no more statements; any change to the article, a claim, a checker or the viewer shows on the
next view, the same page a fresh render writes."""
from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import Article, Claim, User
from factcheck.services import claims, evidence, revisions, users
from factcheck.views import kept_article_pages
from tests.support.context import ctx
from tests.support.factories import ARTICLE_TEXT, FIRST_CLAIM, SECOND_CLAIM
from tests.support.statements import user_reads

_VALUES = re.compile(r'(name="(?:csrf_token|idempotency_key)" (?:type="hidden" )?value=")[^"]+"|'
                     r'(<meta name="csrf-token" content=")[^"]+"')


def _masked(page: str) -> str:
    return _VALUES.sub(lambda m: (m.group(1) or m.group(2)) + 'X"', page)


def _keys(page: str) -> list[str]:
    return re.findall(r'name="idempotency_key" value="([^"]+)"', page)


def _kept_and_fresh(app: Flask, client, url: str) -> tuple[str, str]:
    """The page as a view of the kept body writes it, and as a fresh render does (the store emptied)."""
    kept = client.get(url)
    assert kept.status_code == 200
    app.extensions.pop("factcheck.kept_article_pages", None)
    fresh = client.get(url)
    assert fresh.status_code == 200
    return kept.get_data(as_text=True), fresh.get_data(as_text=True)


def _same(app: Flask, client, url: str) -> str:
    client.get(url)  # kept (again) for what the database holds now
    kept, fresh = _kept_and_fresh(app, client, url)
    assert _masked(kept) == _masked(fresh)
    return kept


def _world(make):
    editor, checker = make.user("editor"), make.user("checker")
    article = make.article(editor)
    first = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    second = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    db.session.commit()
    return editor, checker, article, first, second


def test_a_repeated_view_is_the_kept_body_with_new_keys(app, make, login_as, count_queries, database_url):
    editor, _checker, article, _first, _second = _world(make)
    client = login_as(editor)
    url = f"/articles/{article.id}"
    client.get("/articles")  # the sign-in's flash shown
    first = client.get(url).get_data(as_text=True)
    assert kept_article_pages.kept(app, article.id, editor.id) is not None
    with count_queries() as seen:
        again = client.get(url).get_data(as_text=True)
    # The signed-in user (kept on SQLite: tests/support/statements.py); the article with its claims and checkers.
    assert len(seen) == user_reads(database_url) + 1
    assert _masked(again) == _masked(first)
    keys = _keys(first) + _keys(again)
    assert len(keys) >= 6 and len(keys) == len(set(keys))
    assert "\ue000" not in again and "\ue001" not in again
    # The kept body's token and key still post: a claim added through its form.
    token = re.search(r'id="add-claim-form">.*?name="csrf_token" type="hidden" value="([^"]+)">'
                      r'<input type="hidden" name="idempotency_key" value="([^"]+)"', again, re.S)
    assert token
    answer = client.post(f"/articles/{article.id}/claims", data={
        "csrf_token": token.group(1), "idempotency_key": token.group(2),
        "quote": "Critics said the money would be better spent on buses", "statement": "", "claimant": ""})
    assert answer.status_code == 302
    assert "Critics said the money would be better spent on buses" in _same(app, client, url)


def test_each_change_shows_on_the_next_view(app, make, login_as):
    editor, checker, article, first, second = _world(make)
    other_checker = make.user("checker")
    manager = make.user("manager")
    db.session.commit()
    clients = {"editor": login_as(editor), "checker": login_as(checker), "manager": login_as(manager)}
    url = f"/articles/{article.id}"

    def every_viewer() -> dict[str, str]:
        return {name: _same(app, client, url) for name, client in clients.items()}

    every_viewer()
    db.session.execute(update(Claim).where(Claim.id == first.id).values(
        statement="The vote was 27 to 4", version=Claim.version + 1))
    db.session.execute(update(Claim).where(Claim.id == second.id).values(
        claimant="The chair", via=["A <wire> & co"], version=Claim.version + 1))
    db.session.commit()
    db.session.expire_all()
    assert all("The vote was 27 to 4" in page and "(via A &lt;wire&gt; &amp; co)" in page
               for page in every_viewer().values())

    claims.assign(ctx(), actor=editor, claim=db.session.get(Claim, first.id), assignee=checker)
    db.session.commit()
    assert f"Assigned to {checker.display_name}" in every_viewer()["editor"]

    evidence.add_evidence(ctx(), actor=checker, claim=db.session.get(Claim, first.id), url="https://example.org/minutes",
                          title="Council minutes", stance="supports")
    claims.propose_verdict(ctx(), actor=checker, claim=db.session.get(Claim, first.id), verdict="verified", rationale="The minutes say so.")
    db.session.commit()
    assert "verdict: <strong>verified</strong>" in every_viewer()["manager"]

    db.session.execute(update(User).where(User.id == checker.id).values(display_name="Renamed <C> & Co"))
    db.session.commit()
    assert "Assigned to Renamed &lt;C&gt; &amp; Co" in every_viewer()["editor"]

    db.session.execute(update(User).where(User.id == other_checker.id).values(display_name="Another Name"))
    db.session.commit()
    assert ">Another Name (" in every_viewer()["editor"]  # the bulk form's choices

    revised = ARTICLE_TEXT + "The mayor said the work starts in May.\n"
    revisions.revise(ctx(), actor=editor, article=db.session.get(Article, article.id), text=revised)
    db.session.commit()
    assert "The mayor said the work starts in May." in every_viewer()["checker"]

    db.session.execute(update(Article).where(Article.id == article.id).values(title="New <title> & more"))
    db.session.commit()
    page = every_viewer()["manager"]
    assert "<h1>New &lt;title&gt; &amp; more</h1>" in page and "<title>New &lt;title&gt; &amp; more · factcheck</title>" in page

    claims.dismiss(ctx(), actor=editor, claim=db.session.get(Claim, second.id), reason="Opinion, not a factual claim")
    db.session.commit()
    assert f'data-claim-id="{second.id}" data-status="dismissed"' in every_viewer()["editor"]


def test_a_viewer_given_another_role_sees_its_page(app, make, login_as):
    _editor, checker, article, _first, _second = _world(make)
    client = login_as(checker)
    url = f"/articles/{article.id}"
    before = _same(app, client, url)
    assert 'id="add-claim-form"' not in before
    users.set_roles(ctx(), actor=make.user("admin"), user=db.session.get(User, checker.id), roles=["checker", "editor"])
    db.session.commit()
    after = _same(app, client, url)
    assert 'id="add-claim-form"' in after and 'id="bulk-assign"' in after


def test_viewers_have_their_own_bodies_and_refusals_are_not_kept(app, make, login_as):
    editor, checker, article, _first, _second = _world(make)
    url = f"/articles/{article.id}"
    editor_page = _same(app, login_as(editor), url)
    checker_page = _same(app, login_as(checker), url)
    assert 'id="add-claim-form"' in editor_page and 'id="add-claim-form"' not in checker_page
    client = login_as(editor)
    client.get("/articles")
    client.get(url)
    kept = kept_article_pages.kept(app, article.id, editor.id)
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    refused = client.post(f"/articles/{article.id}/claims", data={
        "csrf_token": token.group(1), "quote": "words that are not in the text", "statement": "", "claimant": ""})
    assert refused.status_code == 422
    assert kept_article_pages.kept(app, article.id, editor.id) is kept
    assert _masked(client.get(url).get_data(as_text=True)) == _masked(page)
