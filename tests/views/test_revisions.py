"""Revising an article's text through the pages."""
from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article, Claim
from tests.support.factories import ARTICLE_TEXT, FIRST_CLAIM


def test_revise_and_read_the_changes(make, login_as):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    client = login_as(editor)
    form = client.get(f"/articles/{claim.article_id}/revise")
    assert form.status_code == 200 and "Tram line to the airport" not in form.get_data(as_text=True)
    revised = ARTICLE_TEXT.replace("27 to 4", "28 to 3") + "A <script>alert(1)</script> line.\n"
    response = client.submit(f"/articles/{claim.article_id}/revise", {"text": revised.replace("\n", "\r\n")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/articles/{claim.article_id}/revisions/2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<del>27</del>" in page or "<del>27 to 4</del>" in page.replace("\n", "")
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    db.session.expire_all()
    article = db.session.get(Article, claim.article_id)
    assert article.text == revised  # browsers' CRLF is stored as LF
    moved = db.session.get(Claim, claim.id)
    assert moved.text_changed and article.text[moved.start:moved.end] == moved.quote


def test_unchanged_or_empty_revision_is_a_form_error(make, login_as):
    article = make.article()
    client = login_as("editor")
    same = client.submit(f"/articles/{article.id}/revise", {"text": article.text})
    assert same.status_code == 422 and "nothing to save" in same.get_data(as_text=True)
    empty = client.submit(f"/articles/{article.id}/revise", {"text": ""})
    assert empty.status_code == 422 and "Paste the revised text." in empty.get_data(as_text=True)


def test_orphaned_claims_are_listed_but_not_marked_in_the_new_text(make, login_as):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    client = login_as(editor)
    client.submit(f"/articles/{claim.article_id}/revise", {"text": ARTICLE_TEXT.replace(FIRST_CLAIM, "Something else.")})
    page = client.get(f"/articles/{claim.article_id}").get_data(as_text=True)
    assert f'id="claim-{claim.id}"' in page and f'data-claim-id="{claim.id}"' not in page
    assert "orphaned" in page
    assert db.session.scalar(select(Claim.status).where(Claim.id == claim.id)) == "orphaned"
    assert client.get(f"/articles/{claim.article_id}/revisions/9").status_code == 404
