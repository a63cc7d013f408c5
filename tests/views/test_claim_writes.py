"""What a write on a claim runs, in SQL statements (issue 15): the claim's row (with its article when
the step checks the article is open) and the step's own work, whatever the claim's conversation,
evidence and history hold. The page's evidence, notes and people are loaded only to show it again."""
from __future__ import annotations

from collections.abc import Callable

from factcheck.extensions import db
from factcheck.models import Claim, Note, User
from factcheck.services import evidence, notes
from tests.support.context import ctx


def _grow(claim: Claim, checker: User, n: int) -> None:
    """A claim with ``n`` more notes, pieces of evidence and events in its history."""
    for i in range(n):
        notes.add_note(ctx(), actor=checker, claim=claim, body=f"Note {i}: @{checker.email} asked the council.")
        evidence.add_evidence(ctx(), actor=checker, claim=claim, url=f"https://example.org/{i}", title=f"Source {i}",
                              stance="supports")


def _reads(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s]


def _counted(count_queries: Callable, send: Callable[[], int]) -> list[str]:
    with count_queries() as statements:
        assert send() == 302
    return statements


def test_a_note_write_runs_five_statements_at_either_size(make, login_as, count_queries):
    """The signed-in user, the claim, the note (which takes the chain's lock), then the audit event (the
    chain's last link, the event with its id returned): five, with one note on the claim or fourteen, twelve pieces of evidence and their history."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    claim_id = claim.id  # read here: the test's own copy of the claim is expired by every commit

    def note() -> list[str]:
        return _counted(count_queries, lambda: client.submit(f"/claims/{claim_id}/notes",
                                                             {"body": "Checked against the 2019 report."}).status_code)

    small = note()
    _grow(claim, checker, 12)
    large = note()
    assert len(small) == len(large) == 5, large
    assert _reads(large, "notes") == [] and _reads(large, "evidence") == [], large
    assert len(_reads(large, "claims")) == 1 and "JOIN articles" not in _reads(large, "claims")[0]
    db.session.expire_all()
    assert db.session.query(Note).filter_by(claim_id=claim.id).count() == 14


def test_status_steps_and_evidence_run_as_many_statements_at_either_size(make, login_as, count_queries):
    """Assigning, adding evidence and proposing read the claim with its article in one statement, and
    their count does not grow with the claim's conversation and evidence."""
    checker, editor = make.user("checker"), make.user("editor")
    small_claim, large_claim = make.claim(editor=editor), make.claim(editor=editor)
    editing, checking = login_as(editor), login_as(checker)

    def steps(claim: Claim, size: int) -> list[list[str]]:
        # Read here: the test's own copies are expired by every commit.
        claim_id, version, checker_id = claim.id, claim.version, checker.id
        assign = _counted(count_queries, lambda: editing.submit(f"/claims/{claim_id}/assign", {
            "assignee_id": checker_id, "priority": "normal", "version": version}).status_code)
        _grow(claim, checker, size)  # the first piece of evidence starts the work: not counted here
        add = _counted(count_queries, lambda: checking.submit(f"/claims/{claim_id}/evidence", {
            "url": "https://example.org/minutes", "title": "Council minutes", "stance": "supports",
            "source_type": "other", "question": "substance"}).status_code)
        db.session.expire_all()
        version = db.session.get(Claim, claim_id).version
        propose = _counted(count_queries, lambda: checking.submit(f"/claims/{claim_id}/propose", {
            "verdict": "verified", "rationale": "The minutes say so.", "version": version}).status_code)
        return [assign, add, propose]

    small, large = steps(small_claim, 1), steps(large_claim, 12)
    assert [len(s) for s in small] == [len(s) for s in large], (small, large)
    for statements in large:
        claim_reads = _reads(statements, "claims")
        assert "JOIN articles" in claim_reads[0] and _reads(statements, "notes") == [], statements
    db.session.expire_all()
    assert db.session.get(Claim, large_claim.id).status == "proposed"


def test_a_refused_write_shows_the_whole_page_again(make, login_as):
    """The write loads only the claim; a refusal still shows the page with its conversation and evidence."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    _grow(claim, checker, 2)
    response = login_as("checker").submit(f"/claims/{claim.id}/evidence", {
        "url": "https://example.org/x", "title": "Another", "stance": "supports"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "This claim is now assigned to" in page and "Note 1: @" in page and "Source 1" in page
