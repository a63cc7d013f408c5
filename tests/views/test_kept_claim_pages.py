"""The claim page's body kept per claim and viewer for the rows it was written from
(``views/kept_claim_pages.py``): a view of the same rows shows the same page with its own tokens and
presence; any change to what the page shows (the claim, its items, its history, the viewer, the
settings, the checkers offered) shows the change on the next view."""
from __future__ import annotations

import re

import sqlalchemy as sa

from factcheck.extensions import db
from factcheck.models import User
from factcheck.services import claims, evidence, notes, presence
from factcheck.services import users as user_service
from factcheck.views import kept_claim_pages
from tests.support.context import configure, ctx
from tests.support.statements import user_reads

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"')
_KEY = re.compile(r'name="idempotency_key" value="([^"]*)"')


def _masked(page: str) -> str:
    return _KEY.sub('name="idempotency_key" value="K"', _TOKEN.sub('name="csrf_token" type="hidden" value="T"', page))


def test_a_view_of_the_same_rows_is_the_same_page_with_new_keys(app, make, login_as, count_queries, database_url):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/a?b=1&c=2",
                          title="Minutes <draft>", stance="supports")
    notes.add_note(ctx(), actor=checker, claim=claim, body="Ask **the council** & the mayor")
    claim_id = claim.id
    db.session.commit()
    client = login_as(checker)
    client.get(f"/claims/{claim_id}")  # the sign-in's flash; the assignment's notification marked read
    first = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert kept_claim_pages.kept(app, claim_id, checker.id) is not None
    with count_queries() as statements:
        response = client.get(f"/claims/{claim_id}")
    second = response.get_data(as_text=True)
    assert response.status_code == 200
    # The signed-in user's (kept on SQLite: tests/support/statements.py) and the opening's (who else is
    # there, anything unread, and whether the database has changed since the page was written): the
    # claim's rows are not read again.
    assert len(statements) == user_reads(database_url) + 1
    assert _masked(second) == _masked(first)
    # Every form of the page has its own new idempotency key on every view.
    keys_first, keys_second = _KEY.findall(first), _KEY.findall(second)
    assert len(keys_second) == len(keys_first) >= 4
    assert len(set(keys_first + keys_second)) == 2 * len(keys_first)
    assert "Minutes &lt;draft&gt;" in second and "<strong>the council</strong> &amp; the mayor" in second
    # The kept page's forms still post: its token and key are this view's.
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', second).group(1)
    posted = client.post(f"/claims/{claim_id}/notes", data={"csrf_token": token, "body": "Second note",
                                                              "idempotency_key": keys_second[-1]})
    assert posted.status_code == 302
    assert "Second note" in client.get(f"/claims/{claim_id}").get_data(as_text=True)


def test_any_change_to_what_the_page_shows_is_shown_on_the_next_view(app, make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    claim_id = claim.id
    db.session.commit()
    client = login_as(editor)
    client.get(f"/claims/{claim_id}")
    client.get(f"/claims/{claim_id}")

    evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/new", title="New source",
                          stance="refutes")
    db.session.commit()
    assert "New source" in client.get(f"/claims/{claim_id}").get_data(as_text=True)

    db.session.get(User, checker.id).display_name = "Renamed <Checker>"
    db.session.commit()
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Renamed &lt;Checker&gt;" in page

    # The checkers offered by the assignment form are read on every view that offers it.
    newcomer = make.user("checker")
    newcomer.display_name = "Newcomer Checker"
    db.session.commit()
    assert "Newcomer Checker" in client.get(f"/claims/{claim_id}").get_data(as_text=True)

    # Settings: the verdict scale the proposal form offers to the checker.
    checker_client = login_as(checker)
    assert "wildly off" not in checker_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    configure(app, verdict_scale=("verified", "wildly off"))
    assert "wildly off" in checker_client.get(f"/claims/{claim_id}").get_data(as_text=True)


def test_each_viewer_sees_their_own_page_and_who_else_is_there(app, make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    checker.display_name = "Cleo Checker"
    claim = make.assigned_claim(checker, editor=editor)
    claim_id = claim.id
    db.session.commit()
    reader = login_as("manager")
    checker_client = login_as(checker)
    for _ in range(2):
        assert "Propose a verdict" in checker_client.get(f"/claims/{claim_id}").get_data(as_text=True)
        assert "Propose a verdict" not in reader.get(f"/claims/{claim_id}").get_data(as_text=True)
    # The editor's kept page shows who else has the claim open, read on every view.
    editor_client = login_as(editor)
    before = editor_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "has this claim open" not in before
    presence.heartbeat(ctx(), actor=db.session.get(User, checker.id), claim=claim)
    db.session.commit()
    after = editor_client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "<strong>Cleo Checker</strong> has this claim open" in after


def test_the_viewers_roles_are_part_of_what_the_page_was_written_for(make, login_as):
    claim = make.claim()
    claim_id = claim.id
    person = make.user("checker")
    db.session.commit()
    client = login_as(person)
    for _ in range(2):
        assert 'id="assign-heading"' not in client.get(f"/claims/{claim_id}").get_data(as_text=True)
    user_service.set_roles(ctx(), actor=make.user("admin"), user=db.session.get(User, person.id),
                           roles=["checker", "editor"])
    db.session.commit()
    assert 'id="assign-heading"' in client.get(f"/claims/{claim_id}").get_data(as_text=True)


def test_a_step_taken_shows_the_new_state(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    claim_id = claim.id
    db.session.commit()
    client = login_as(editor)
    assert "Review the proposed verdict" in client.get(f"/claims/{claim_id}").get_data(as_text=True)
    client.get(f"/claims/{claim_id}")
    claims.accept_verdict(ctx(), actor=editor, claim=claim)
    db.session.commit()
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Review the proposed verdict" not in page and "accepted the verdict" in page


def test_rows_are_read_again_only_once_the_database_has_changed(app, make, login_as, count_queries, database_url):
    editor, checker = make.user("editor"), make.user("checker")
    claim, elsewhere = make.assigned_claim(checker, editor=editor), make.claim(editor=editor)
    claim_id = claim.id
    db.session.commit()
    client = login_as(editor)
    client.get(f"/claims/{claim_id}")
    first = client.get(f"/claims/{claim_id}").get_data(as_text=True)

    def view() -> tuple[str, int]:
        with count_queries() as statements:
            page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
        return page, len(statements)

    # The editor's page offers the assignment form: its checkers are kept too while the people are
    # unchanged (``claim_page.checkers``), so a kept view reads no more than any other. The signed-in
    # user's statement is run after a commit, and on PostgreSQL on every view.
    user = user_reads(database_url)
    page, count = view()
    assert count == 1 + user and _masked(page) == _masked(first)
    # A write of the application anywhere (here a note on another claim): the rows are read again, found
    # the same, and the kept body shown; from then on they are not read again. On SQLite any commit also
    # has the checkers read again; on PostgreSQL the probe's versions of the people say they are the same.
    notes.add_note(ctx(), actor=editor, claim=elsewhere, body="Elsewhere")
    db.session.commit()
    sqlite = db.engine.dialect.name == "sqlite"
    for expected in (6 if sqlite else 5, 1 + user):
        page, count = view()
        assert count == expected and _masked(page) == _masked(first)
    # The page written anew reads as many statements whatever the claim holds.
    kept_claim_pages.forget(app)
    assert view()[1] == 4 + user
    for n in range(3):
        notes.add_note(ctx(), actor=editor, claim=claim, body=f"Round {n}")
        evidence.add_evidence(ctx(), actor=checker, claim=claim, url=f"https://example.org/{n}", title=f"Source {n}",
                              stance="supports")
    db.session.commit()
    client.get(f"/claims/{claim_id}")
    kept_claim_pages.forget(app)
    page, count = view()
    assert count == 4 + user and "Source 2" in page and "Round 2" in page


def test_a_person_renamed_outside_the_application_is_shown_on_the_next_view(app, make, login_as):
    """No event of the audit log says so (the application has no way to rename anyone): the page's
    people's rows are compared all the same."""
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    notes.add_note(ctx(), actor=checker, claim=claim, body="A note")
    claim_id, checker_id = claim.id, checker.id
    db.session.commit()
    client = login_as(editor)
    for _ in range(3):
        assert "Renamed &lt;Checker&gt;" not in client.get(f"/claims/{claim_id}").get_data(as_text=True)
    db.session.execute(sa.text("UPDATE users SET display_name = :name WHERE id = :id"),
                       {"name": "Renamed <Checker>", "id": checker_id})
    db.session.commit()
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert page.count("Renamed &lt;Checker&gt;") >= 2  # the assignee and the note's author


def test_the_checkers_offered_are_kept_and_follow_changes_made_outside_the_application(make, login_as,
                                                                                      count_queries, database_url):
    """The assignment form's checkers are read once and kept (``claim_page.checkers``): a first view of
    another claim reads no statement for them. A checker made or deactivated by raw SQL (no audit event)
    is offered, or no longer, on the next view."""
    editor, checker = make.user("editor"), make.user("checker")
    checker.display_name = "Kept Checker"
    future = make.user("editor")
    future.display_name = "Future <Checker>"
    claim_ids = [make.assigned_claim(checker, editor=editor).id for _ in range(4)]
    checker_id, future_id = checker.id, future.id
    db.session.commit()
    client = login_as(editor)
    assert "Kept Checker (" in client.get(f"/claims/{claim_ids[0]}").get_data(as_text=True)
    with count_queries() as statements:
        page = client.get(f"/claims/{claim_ids[1]}").get_data(as_text=True)
    # The signed-in user (kept on SQLite while nothing is committed), then the opening's four statements:
    # none for the checkers.
    assert len(statements) == user_reads(database_url) + 4
    assert "Kept Checker (" in page and "Future &lt;Checker&gt; (" not in page

    db.session.execute(sa.text("INSERT INTO user_roles (user_id, role) VALUES (:id, 'checker')"), {"id": future_id})
    db.session.commit()
    page = client.get(f"/claims/{claim_ids[2]}").get_data(as_text=True)
    assert "Future &lt;Checker&gt; (" in page

    db.session.execute(sa.text("UPDATE users SET is_active_account = false WHERE id = :id"), {"id": checker_id})
    db.session.commit()
    page = client.get(f"/claims/{claim_ids[3]}").get_data(as_text=True)
    assert "Kept Checker (" not in page and "Future &lt;Checker&gt; (" in page
