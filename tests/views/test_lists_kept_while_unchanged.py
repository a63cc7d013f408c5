"""The claims list and the two queues on SQLite read their rows again only once the database has changed
(``unchanged.kept_while_unchanged``, as the dashboard does: issue 15); on PostgreSQL the claims list's
statement has its LIMIT written into it (a prepared statement with a generic plan). What they show must
follow every write: through the app, committed by another connection, or not committed yet."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import Claim
from factcheck.services import claims
from tests.support.context import ctx

# What only the lists' own statements say: the claims newest first, a queue's total, the checkers by name.
LISTS = {"claims list": "ORDER BY claims.id DESC", "queues": "queue_total", "checkers": "ORDER BY users.display_name"}


def _sqlite_only() -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reads the lists' statements at every view")


def _list_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if any(marker in s for marker in LISTS.values())]


def _elsewhere(sql: str, **params: object) -> None:
    """A write committed by a connection the app knows nothing of (another worker, the command line)."""
    other = sa.create_engine(f"sqlite:///{db.engine.url.database}")
    with other.begin() as connection:
        connection.execute(sa.text(sql), params)
    other.dispose()


def test_the_claims_list_is_read_again_only_after_a_write(make, login_as, count_queries):
    _sqlite_only()
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    client = login_as(editor)
    client.get("/claims")  # the sign-in's message shown
    first = client.get("/claims").get_data(as_text=True)
    with count_queries() as seen:
        again = client.get("/claims").get_data(as_text=True)
    # Nothing: the signed-in user's row is kept too while nothing is committed (users.session_user).
    assert not _list_statements(seen) and len(seen) == 0, seen
    assert _masked(again) == _masked(first)

    # Through the app: the bulk form assigns, the list shows it at once.
    page = client.get("/claims").get_data(as_text=True)
    response = client.post("/claims/bulk-assign", data={
        "csrf_token": _value(page, "csrf_token"), "idempotency_key": _value(page, "idempotency_key"),
        "claim_ids": str(claim.id), "assignee_id": str(checker.id), "priority": "normal", "return_to": "/claims"})
    assert response.status_code == 302
    with count_queries() as seen:
        row = _row(client.get("/claims").get_data(as_text=True), claim.id)
    assert _list_statements(seen) and "assigned" in row

    # Committed elsewhere: the claim's words, then the checker's name in the row and both forms' options.
    _elsewhere("UPDATE claims SET quote = 'Changed <elsewhere>', text_changed = 1 WHERE id = :id", id=claim.id)
    assert "Changed &lt;elsewhere&gt;" in _row(client.get("/claims").get_data(as_text=True), claim.id)
    _elsewhere("UPDATE users SET display_name = 'Renamed & away' WHERE id = :id", id=checker.id)
    page = client.get("/claims").get_data(as_text=True)
    assert "Renamed &amp; away" in _row(page, claim.id)
    assert page.count(f'<option value="{checker.id}">Renamed &amp; away') == 2  # the filter and the bulk form
    # Not committed yet, on the app's session: read afresh, and not kept past the rollback.
    db.session.execute(sa.update(Claim).where(Claim.id == claim.id).values(status="in_progress"))
    db.session.rollback()
    assert "in progress" not in _row(client.get("/claims").get_data(as_text=True), claim.id)


def test_the_queues_are_read_again_only_after_a_write(make, login_as, count_queries):
    _sqlite_only()
    editor, checker = make.user("editor"), make.user("checker")
    assigned = make.assigned_claim(checker, editor=editor)
    proposed = make.proposed_claim(checker, editor=editor)
    as_checker, as_editor = login_as(checker), login_as(editor)
    for client, url, claim in ((as_checker, "/queue", assigned), (as_editor, "/review", proposed)):
        client.get(url)  # the sign-in's message shown
        first = client.get(url).get_data(as_text=True)
        assert f'href="/claims/{claim.id}"' in first
        with count_queries() as seen:
            assert _masked(client.get(url).get_data(as_text=True)) == _masked(first)
        assert not _list_statements(seen) and len(seen) == 0, (url, seen)  # the user's row kept too
        _elsewhere("UPDATE claims SET quote = 'Queued <words>', text_changed = 1 WHERE id = :id", id=claim.id)
        assert "Queued &lt;words&gt;" in client.get(url).get_data(as_text=True)
    # A write through the app takes the claim out of the review queue.
    claims.accept_verdict(ctx(), actor=editor, claim=db.session.get(Claim, proposed.id))
    assert f'href="/claims/{proposed.id}"' not in as_editor.get("/review").get_data(as_text=True)
    # Each checker's queue is their own.
    other = make.user("checker")
    assert f'href="/claims/{assigned.id}"' not in login_as(other).get("/queue").get_data(as_text=True)


def test_on_postgresql_the_claims_list_writes_its_limit_into_its_statement(make, login_as, count_queries):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans no statement ahead")
    editor = make.user("editor")
    make.claim(editor=editor)
    client = login_as(editor)
    for url in ("/claims", "/claims?status=suggested&before=1000000"):
        with count_queries() as seen:
            assert client.get(url).status_code == 200
        [listed] = [s for s in seen if "UNION ALL" in s]
        assert re.search(r"LIMIT 51\b", listed) and "'checker'" in listed, listed


def _value(page: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)  # type: ignore[union-attr]


def _masked(page: str) -> str:
    return re.sub(r'(name="(?:csrf_token|idempotency_key)"[^>]*value=")[^"]*', r"\1", page)


def _row(page: str, claim_id: int) -> str:
    start = page.rindex("<tr>", 0, page.index(f'href="/claims/{claim_id}"'))
    return page[start:page.index("</tr>", start)]
