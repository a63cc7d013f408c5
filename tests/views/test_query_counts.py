"""Every main page runs the same number of SQL statements whatever the data: counted at two sizes of
the newsroom (issue 15). A page whose count grows has a query in a loop (N+1) or a count that only
runs past a threshold."""
from __future__ import annotations

import pytest

from factcheck.services import claims, notes
from tests.support.context import ctx
from tests.support.factories import SECOND_CLAIM

PAGES = {
    "articles": lambda w: "/articles",
    "article page": lambda w: f"/articles/{w['article']}",
    "claim page": lambda w: f"/claims/{w['claim']}",
    "claims list": lambda w: "/claims",
    "my queue": lambda w: "/queue",
    "review queue": lambda w: "/review",
    "audit log": lambda w: "/audit",
    "dashboard": lambda w: "/dashboard",
    "notifications": lambda w: "/notifications",
    "report": lambda w: f"/articles/{w['article']}/report",
}
VIEWER = {"my queue": "checker", "audit log": "manager", "dashboard": "manager"}


def _grow(make, world, editor, checker, rounds: int) -> None:
    """More of everything the pages show: articles, claims in every state, evidence, notes."""
    for n in range(rounds):
        article = make.article(editor, title=f"Story {n}")
        proposed = make.proposed_claim(checker, article=article, editor=editor)
        notes.add_note(ctx(), actor=editor, claim=proposed, body=f"@{checker.email} round {n}")
        claims.assign(ctx(), actor=editor, claim=make.claim(article=article, quote=SECOND_CLAIM, editor=editor),
                      assignee=checker)
        # The claim the claim page shows gets a longer history too.
        notes.add_note(ctx(), actor=editor, claim=world["claim_obj"], body=f"Another look, round {n}.")


@pytest.mark.parametrize("page", sorted(PAGES))
def test_statements_per_page_do_not_grow_with_the_data(make, login_as, count_queries, page):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    world = {"article": claim.article_id, "claim": claim.id, "claim_obj": claim}
    clients = {"editor": login_as(editor), "checker": login_as(checker), "manager": login_as("manager")}
    client = clients[VIEWER.get(page, "editor")]
    url = PAGES[page](world)

    def statements() -> list[str]:
        # Twice first: the claim page's first view after a change may mark notifications read, the
        # next writes the page anew, and only then is it the view of a page kept (2 statements).
        for _ in range(2):
            assert client.get(url).status_code == 200
        with count_queries() as seen:
            assert client.get(url).status_code == 200
        return list(seen)

    small = statements()
    _grow(make, world, editor, checker, rounds=3)
    large = statements()
    assert len(large) == len(small), (page, [q[:90] for q in small], [q[:90] for q in large])


def test_a_fragment_without_the_header_reads_no_badges(make, login_as, count_queries):
    """The navigation's counts are read when a page shows them, not for a fragment that has no header:
    the claim page's presence heartbeat (every 30 s for each open page) reads none."""
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    client = login_as(editor)
    with count_queries() as page:
        assert client.get(f"/claims/{claim.id}").status_code == 200
    with count_queries() as heartbeat:
        assert client.get(f"/claims/{claim.id}/presence").status_code == 200
    assert any("notifications.read_at IS NULL" in statement for statement in page)
    assert not any("notifications.read_at IS NULL" in statement for statement in heartbeat), heartbeat
