"""The claim page's history names the people its events mention: those the page has loaded (assignee,
proposer, evidence, notes, the viewer) without a statement of their own, anyone else by one."""
from __future__ import annotations

import re

from factcheck.extensions import db
from factcheck.services import claims
from factcheck.views import kept_claim_pages
from tests.support.context import ctx
from tests.support.statements import user_reads


def _history(page: str) -> str:
    found = re.search(r'<section [^>]*id="history-panel".*?</section>', page, re.S)
    assert found, page
    return found.group(0)


def _names_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if re.match(r"SELECT users\.id, users\.display_name\s+FROM users", s)]


def test_a_former_assignee_is_named_by_a_statement_of_its_own(make, login_as, count_queries):
    editor = make.user("editor")
    former, current = make.user("checker"), make.user("checker")
    former.display_name, current.display_name = "Ana <Former>", "Ben Current"
    claim = make.claim(editor=editor)
    claims.assign(ctx(), actor=editor, claim=claim, assignee=former)
    claims.assign(ctx(), actor=editor, claim=claim, assignee=current)
    claim_id = claim.id
    db.session.commit()
    client = login_as("manager")
    client.get(f"/claims/{claim_id}")
    with count_queries() as statements:
        page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    history = _history(page)
    assert "assigned to: Ana &lt;Former&gt; → Ben Current" in history
    assert len(_names_statements(statements)) == 1


def test_a_history_of_the_people_shown_needs_no_names_statement(app, make, login_as, count_queries, database_url):
    editor, checker = make.user("editor"), make.user("checker")
    checker.display_name = "Cleo Checker"
    claim = make.proposed_claim(checker, editor=editor)
    claim_id = claim.id
    db.session.commit()
    client = login_as("manager")
    client.get(f"/claims/{claim_id}")
    kept_claim_pages.forget(app)  # the page written anew, not the body kept by the view before
    with count_queries() as statements:
        page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "assigned to: Cleo Checker" in _history(page)
    assert _names_statements(statements) == []
    # The viewer (kept on SQLite: tests/support/statements.py); who else is there and unread; the claim; its
    # items; its history.
    assert len(statements) == user_reads(database_url) + 4
