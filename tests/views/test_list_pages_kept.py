"""The article list and the claims list keep what they made of the rows they read while the same rows
come back (issue 15: ``kept_reads``, ``list_rows.kept_page``): what they show must follow every change
of the rows, made behind the app's back too, and of who is looking."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import delete, insert, update

from factcheck.extensions import db
from factcheck.models import Article, Claim, UserRole


def _behind_the_apps_back(statement) -> None:
    db.session.execute(statement)
    db.session.commit()


def _article_row(page: str, article_id: int, root: str = "") -> str:
    start = page.rindex("<tr>", 0, page.index(f'href="{root}/articles/{article_id}"'))
    return page[start:page.index("</tr>", start)]


def test_article_rows_follow_the_article_and_its_claims(make, login_as):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    article_id = claim.article_id
    client = login_as(editor)

    def row() -> str:
        return _article_row(client.get("/articles").get_data(as_text=True), article_id)

    before = row()
    assert "Tram line approved" in before and "<td data-label=\"Claims\">1 (1 open)</td>" in before
    assert row() == before  # kept, the same
    changes = [
        (update(Article).where(Article.id == article_id).values(title="Retitled <story> & 'more'"),
         "Retitled &lt;story&gt; &amp; &#39;more&#39;"),
        (update(Article).where(Article.id == article_id).values(outlet='The "Wire"'), "The &#34;Wire&#34;"),
        (update(Article).where(Article.id == article_id).values(created_at=datetime(2031, 2, 3, 4, 5, tzinfo=UTC)),
         "2031-02-03 04:05 UTC"),
        (update(Claim).where(Claim.id == claim.id).values(status="dismissed"), '<td data-label="Claims">1</td>'),
    ]
    for change, shown in changes:
        _behind_the_apps_back(change)
        now = row()
        assert shown in now and now != before, (shown, now)
        before = now
    make.claim(article=db.session.get(Article, article_id), editor=editor)
    assert '<td data-label="Claims">2 (1 open)</td>' in row()
    _behind_the_apps_back(update(Article).where(Article.id == article_id).values(status="published"))
    assert "status-published" in row()


def test_article_rows_are_kept_per_mount_point(make, login_as):
    editor = make.user("editor")
    article = make.article(editor)
    client = login_as(editor)
    for _ in range(2):  # written, then kept
        assert f'href="/articles/{article.id}"' in _article_row(client.get("/articles").get_data(as_text=True), article.id)
        mounted = client.get("/articles", base_url="http://localhost/desk").get_data(as_text=True)
        assert f'href="/desk/articles/{article.id}"' in _article_row(mounted, article.id, "/desk")


def _boxes(page: str) -> list[str]:
    return re.findall(r'id="select-(\d+)"', page)


def test_claims_list_rows_kept_per_viewer_and_what_they_may_do(make, login_as):
    editor, other_editor, checker = make.user("editor"), make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    as_editor, as_other, as_checker = login_as(editor), login_as(other_editor), login_as(checker)
    for _ in range(2):  # written, then kept: each viewer their own rows
        assert _boxes(as_editor.get("/claims").get_data(as_text=True)) == [str(claim.id)]
        assert _boxes(as_checker.get("/claims").get_data(as_text=True)) == []
        assert _boxes(as_other.get("/claims").get_data(as_text=True)) == [str(claim.id)]
    # The same claims read, the viewer made a checker behind the app's back: no boxes, no bulk form.
    _behind_the_apps_back(delete(UserRole).where(UserRole.user_id == editor.id, UserRole.role == "editor"))
    _behind_the_apps_back(insert(UserRole).values(user_id=editor.id, role="checker"))
    page = as_editor.get("/claims").get_data(as_text=True)
    assert _boxes(page) == [] and 'id="bulk-assign"' not in page and f'href="/claims/{claim.id}"' in page
    assert _boxes(as_other.get("/claims").get_data(as_text=True)) == [str(claim.id)]
