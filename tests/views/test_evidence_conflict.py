"""Two people editing the same evidence through its edit page: the form carries the version it was
filled in on, the first save wins, the second is told what changed and keeps what they typed
(issue 16: the pages, like the API, edit evidence from a version)."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Evidence
from factcheck.services import evidence, idempotency
from tests.support.html_forms import form_posting_to


def _edit_form(client: Any, url: str) -> Any:
    page = client.get(url)
    assert page.status_code == 200
    return form_posting_to(page.get_data(as_text=True), url, page=url)


def _edits() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "evidence.edited")) or 0


def _stored(evidence_id: int) -> tuple[str, str, str]:
    db.session.expire_all()
    item = db.session.get(Evidence, evidence_id)
    return item.title, item.excerpt, item.stance


def test_the_second_of_two_editors_gets_a_conflict_with_their_input_kept(make, login_as):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    item = claim.evidence[0]
    url = f"/claims/{claim.id}/evidence/{item.id}/edit"
    version = evidence.version_of(item)
    chen, edith = login_as(checker), login_as("editor")
    chen_form, edith_form = _edit_form(chen, url), _edit_form(edith, url)
    for form in (chen_form, edith_form):
        assert form.values("version") == [version]
        assert len(form.values(idempotency.FIELD)) == 1  # the key still comes with the CSRF token
    assert chen_form.values(idempotency.FIELD) != edith_form.values(idempotency.FIELD)

    first = chen.submit(url, chen_form.data(title="Council minutes, 12 March"))
    assert first.status_code == 302
    saved = _stored(item.id)
    assert saved[0] == "Council minutes, 12 March" and _edits() == 1

    second = edith.submit(url, edith_form.data(title="Minutes of the council, final", stance="refutes",
                                                 excerpt="Item 4: the vote was 31 to 9."))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Edit conflict" in page and "Someone else changed this evidence since you read it." in page
    # What each saved or typed, field by field, named as on the form.
    assert re.search(r'<th scope="row" class="card-title">Title</th><td data-label="Saved by the other person">'
                     r'Council minutes, 12 March</td><td data-label="Your input">Minutes of the council, final</td>',
                     page)
    assert '<td data-label="Saved by the other person">Supports</td><td data-label="Your input">Refutes</td>' in page
    # Her input is still in her form, which now starts from the version she was shown.
    kept = form_posting_to(page, url, page=url)
    assert kept.values("title") == ["Minutes of the council, final"]
    assert [text.strip() for text in kept.values("excerpt")] == ["Item 4: the vote was 31 to 9."]
    assert kept.values("stance") == ["refutes"]
    assert kept.values("version") == [evidence.version_of(db.session.get(Evidence, item.id))] != [version]
    assert kept.values(idempotency.FIELD) and kept.values(idempotency.FIELD) != edith_form.values(idempotency.FIELD)
    # Nothing of hers was saved, and nothing recorded.
    assert _stored(item.id) == saved and _edits() == 1

    # Having seen Chen's change, she saves hers over it, knowingly.
    again = edith.submit(url, kept.data())
    assert again.status_code == 302
    assert _stored(item.id) == ("Minutes of the council, final", "Item 4: the vote was 31 to 9.", "refutes")
    assert _edits() == 2


def test_an_edit_that_does_not_say_its_version_is_refused_and_changes_nothing(make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    item = evidence.add_evidence(make.ctx, actor=checker, claim=claim, url="https://example.org/minutes",
                                 title="Council minutes", stance="supports")
    url = f"/claims/{claim.id}/evidence/{item.id}/edit"
    client = login_as(checker)
    form = _edit_form(client, url)
    for version in ("", "not-a-version"):
        response = client.submit(url, form.data(title="Changed", version=version))
        assert response.status_code == 400
        assert "did not say which version of the evidence" in response.get_data(as_text=True)
        assert form_posting_to(response.get_data(as_text=True), url, page=url).values("title") == ["Changed"]
    assert _stored(item.id)[0] == "Council minutes" and _edits() == 0
