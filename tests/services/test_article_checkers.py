"""The article page reads the active checkers with its claims as one aggregated row (issue 15): the same
checkers, in the order the database's own ``ORDER BY display_name, id`` gives (its collation on
PostgreSQL, bytes on SQLite), whatever their names hold, and the claims as ``claim_rows`` reads them."""
from __future__ import annotations

from sqlalchemy import select, update

from factcheck.extensions import db
from factcheck.models import Claim, User, UserRole
from factcheck.services import article_page
from factcheck.services.users import Checker

# Names whose order differs between byte order and a language's collation, a shared name (ordered by
# id), and text that JSON must carry exactly.
NAMES = ["adam Lower", "Bob Upper", "Émile Accent", "Zoë \"Quoted\" \\ Back", "Same Name", "Same Name",
         "<b>&amp;</b> 😀", "O'Brien"]


def _in_database_order() -> list[Checker]:
    rows = db.session.execute(select(User.id, User.display_name, User.email).join(UserRole)
                              .where(UserRole.role == "checker", User.is_active_account.is_(True))
                              .order_by(User.display_name, User.id))
    return [Checker(*row) for row in rows]


def test_the_checkers_are_every_active_one_in_the_databases_order(make, count_queries):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    for name in NAMES:
        make.user("checker").display_name = name
    make.user("checker", active=False).display_name = "aaa Inactive"
    make.user("editor").display_name = "aab Not a checker"
    db.session.execute(update(Claim).where(Claim.id == claim.id).values(via=["Reuters", "a \"wire\" ü"]))
    db.session.commit()
    shown = article_page.article(db.session, claim.article_id)
    with count_queries() as statements:
        rows, checkers = article_page.claims_and_checkers(db.session, shown)
    assert len(statements) == 1
    assert checkers == _in_database_order()
    assert sorted(c.display_name for c in checkers) == sorted(NAMES)
    assert [c.id for c in checkers if c.display_name == "Same Name"] == sorted(
        c.id for c in checkers if c.display_name == "Same Name")
    assert rows == article_page.claim_rows(db.session, shown)
    assert rows[0].via == ["Reuters", "a \"wire\" ü"]


def test_no_checkers_and_no_claims(make):
    editor = make.user("editor")
    article = make.article(editor)
    claim = make.claim(editor=editor)
    db.session.commit()
    # An article without claims: the checkers still come.
    make.user("checker")
    db.session.commit()
    rows, checkers = article_page.claims_and_checkers(db.session, article_page.article(db.session, article.id))
    assert rows == [] and checkers == _in_database_order() and len(checkers) >= 1
    # Nobody left to choose: the claims still come, with an empty list of checkers.
    db.session.execute(update(User).values(is_active_account=False).where(User.id.in_(
        select(UserRole.user_id).where(UserRole.role == "checker"))))
    db.session.commit()
    shown = article_page.article(db.session, claim.article_id)
    rows, checkers = article_page.claims_and_checkers(db.session, shown)
    assert checkers == [] and [row.id for row in rows] == [claim.id]
    assert rows == article_page.claim_rows(db.session, shown) and rows[0].via == []
