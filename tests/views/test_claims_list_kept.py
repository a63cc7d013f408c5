"""The claims list keeps its rows and its checkers between views (issue 15): what it shows must follow
every change of what it shows, including changes made behind the app's back."""
from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import Article, Claim, User
from factcheck.services import users
from tests.support.context import ctx


def _row(page: str, claim_id: int) -> str:
    start = page.rindex("<tr>", 0, page.index(f'href="/claims/{claim_id}"'))
    return page[start:page.index("</tr>", start)]


def _assignee_options(page: str) -> list[str]:
    select = page[page.index('id="f-assignee"'):]
    return re.findall(r"<option value=\"\d+\">([^<]*)</option>", select[:select.index("</select>")])


def test_kept_rows_follow_the_claim_its_assignee_and_its_article(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    client = login_as(editor)
    before = _row(client.get("/claims").get_data(as_text=True), claim.id)
    assert escape(checker.display_name) in before and "assigned" in before
    assert _row(client.get("/claims").get_data(as_text=True), claim.id) == before  # kept, the same

    # Behind the app's back, one at a time: each shows on the next view.
    changes = [
        (update(Claim).where(Claim.id == claim.id).values(status="in_progress"), "in progress"),
        (update(Claim).where(Claim.id == claim.id).values(quote="A <new> quote.", text_changed=True),
         "A &lt;new&gt; quote."),
        (update(User).where(User.id == checker.id).values(display_name="Renamed & checked"), "Renamed &amp; checked"),
        (update(Article).where(Article.id == claim.article_id).values(title="Retitled <story>"),
         "Retitled &lt;story&gt;"),
        (update(Claim).where(Claim.id == claim.id).values(verdict="false"), "False"),
    ]
    for change, shown in changes:
        db.session.execute(change)
        db.session.commit()
        row = _row(client.get("/claims").get_data(as_text=True), claim.id)
        assert shown in row and row != before
        before = row
    db.session.execute(update(Claim).where(Claim.id == claim.id).values(assignee_id=None))
    db.session.commit()
    assert "Renamed" not in _row(client.get("/claims").get_data(as_text=True), claim.id)


def test_kept_rows_are_kept_per_viewer_cell_and_mount_point(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    as_editor, as_checker = login_as(editor), login_as(checker)
    for _ in range(2):  # written, then kept: the same each time
        assert f'id="select-{claim.id}"' in _row(as_editor.get("/claims").get_data(as_text=True), claim.id)
        assert 'data-label="Select"' not in _row(as_checker.get("/claims").get_data(as_text=True), claim.id)
        mounted = _row(as_editor.get("/claims", base_url="http://localhost/desk").get_data(as_text=True)
                       .replace("/desk/claims/", "/claims/"), claim.id)
        assert f'href="/desk/articles/{claim.article_id}"' in mounted
    assert f'href="/articles/{claim.article_id}"' in _row(as_editor.get("/claims").get_data(as_text=True), claim.id)


def test_the_checkers_offered_follow_roles_names_and_accounts(make, login_as):
    """A role taken away does not touch the user's row: a list of checkers kept by a signature of the
    users table would miss it (the checkers are read on every view; keeping them saved 1 % of the page)."""
    admin, editor = make.user("admin"), make.user("editor")
    first, second = make.user("checker"), make.user("checker")
    make.claim(editor=editor)
    client = login_as(editor)

    def offered() -> list[str]:
        return _assignee_options(client.get("/claims").get_data(as_text=True))

    assert offered() == sorted([first.choice_label, second.choice_label])
    assert offered() == sorted([first.choice_label, second.choice_label])
    users.set_roles(ctx(), actor=admin, user=first, roles=["editor"])
    db.session.commit()
    assert offered() == [second.choice_label]
    users.set_roles(ctx(), actor=admin, user=first, roles=["editor", "checker"])
    db.session.commit()
    assert offered() == sorted([first.choice_label, second.choice_label])
    db.session.execute(update(User).where(User.id == second.id).values(display_name="Aaa <second>"))
    db.session.commit()
    assert offered() == [f"Aaa &lt;second&gt; ({second.email})", first.choice_label]
    users.set_active(ctx(), actor=admin, user=first, active=False)
    db.session.commit()
    assert offered() == [f"Aaa &lt;second&gt; ({second.email})"]
