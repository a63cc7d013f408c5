"""The whole newsroom workflow once, through the real pages, as the people who do it."""
from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article, AuditEvent, Claim
from factcheck.services import audit
from tests.support.context import ctx

TEXT = (
    "Harbour bridge reopens after repairs\n"
    "The harbour bridge reopened on Friday after eight months of repairs, the city said.\n"
    "The repairs cost 14 million euros, city engineer Lena Holm told reporters.\n"
    "Traffic is expected to return to normal within a week.\n"
)
QUOTES = [
    "The harbour bridge reopened on Friday after eight months of repairs",
    "The repairs cost 14 million euros",
]


def _claim_ids(article_id: int) -> list[int]:
    return list(db.session.scalars(select(Claim.id).where(Claim.article_id == article_id).order_by(Claim.start)))


def test_article_goes_from_paste_to_approval(login_as, make):
    checker = make.user("checker")
    editor = login_as("editor")
    reviewer = login_as("editor")
    checker_client = login_as(checker)
    manager = login_as("manager")

    # The editor pastes the article.
    response = editor.submit("/articles/new", {"title": "Harbour bridge reopens", "outlet": "Test Wire", "text": TEXT})
    assert response.status_code == 302
    article_id = int(re.search(r"/articles/(\d+)", response.headers["Location"]).group(1))

    # factcheck suggested claims with their claimants; the editor marks the two to check (marking a
    # suggested passage accepts it) and dismisses the rest. A sentence not in the text is refused.
    suggested = {c.quote: c for c in db.session.scalars(select(Claim).where(Claim.article_id == article_id))}
    assert suggested[QUOTES[1]].claimant == "Lena Holm" and suggested[QUOTES[1]].status == "suggested"
    for quote in QUOTES:
        assert editor.submit(f"/articles/{article_id}/claims", {"quote": quote}).status_code == 302
    refused = editor.submit(f"/articles/{article_id}/claims", {"quote": "The bridge was closed for ten years."})
    assert refused.status_code == 422
    assert "not found in the article text" in refused.get_data(as_text=True)
    for quote, claim in suggested.items():
        if quote not in QUOTES:
            response = editor.submit(f"/claims/{claim.id}/dismiss", {"reason": "Not check-worthy", "return_to": "article",
                                                                     "version": _version(claim.id)})
            assert response.headers["Location"].endswith(f"/articles/{article_id}#claim-{claim.id}")
    claim_ids = [c for c in _claim_ids(article_id) if db.session.get(Claim, c).status != "dismissed"]
    assert len(claim_ids) == 2

    # Approval before anything is checked is refused, naming the blocking claims.
    gate = editor.submit(f"/articles/{article_id}/approve")
    assert gate.status_code == 409
    page = gate.get_data(as_text=True)
    assert "cannot be approved" in page
    for claim_id in claim_ids:
        assert f"/claims/{claim_id}" in page

    # Each claim is assigned to the checker, who finds them in "My queue".
    for claim_id in claim_ids:
        response = editor.submit(f"/claims/{claim_id}/assign", {"assignee_id": checker.id, "priority": "high",
                                                               "due_date": "2030-01-31", "version": _version(claim_id)})
        assert response.status_code == 302, response.get_data(as_text=True)
    queue = checker_client.get("/queue").get_data(as_text=True)
    for claim_id in claim_ids:
        assert f"/claims/{claim_id}" in queue

    # The checker answers both questions of each attributed claim, with evidence for each, and
    # proposes a verdict.
    for claim_id in claim_ids:
        assert checker_client.get(f"/claims/{claim_id}").status_code == 200
        for question, title in (("attribution", "Recording of the city briefing"), ("substance", "Bridge authority log")):
            response = checker_client.submit(f"/claims/{claim_id}/evidence", {
                "url": "https://city.example/press/bridge", "title": title, "stance": "supports",
                "excerpt": "The bridge reopens on Friday.", "source_type": "official statement", "question": question,
                "credibility": "credible"})
            assert response.status_code == 302, response.get_data(as_text=True)
        response = checker_client.submit(f"/claims/{claim_id}/propose", {
            "attribution_verdict": "confirmed", "verdict": "verified", "rationale": "The city's release confirms it.",
            "version": _version(claim_id)})
        assert response.status_code == 302, response.get_data(as_text=True)
    page = checker_client.get(f"/claims/{claim_ids[1]}").get_data(as_text=True)
    assert "Attribution confirmed; substance verified" in page

    # The first claim is final; the article is still held back by the second.
    assert reviewer.submit(f"/claims/{claim_ids[0]}/accept-verdict", {"version": _version(claim_ids[0])}).status_code == 302
    assert editor.submit(f"/articles/{article_id}/approve").status_code == 409

    assert reviewer.submit(f"/claims/{claim_ids[1]}/accept-verdict", {"version": _version(claim_ids[1])}).status_code == 302
    response = editor.submit(f"/articles/{article_id}/approve")
    assert response.status_code == 302
    article = db.session.get(Article, article_id)
    db.session.refresh(article)
    assert article.status == "approved"

    # Every step was audited, and the manager sees the events newest first.
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.article_id == article_id)
                                      .order_by(AuditEvent.id)))
    for expected in ("article.created", "revision.created", "claim.suggested", "claim.accepted", "claim.dismissed",
                     "claim.assigned", "evidence.added",
                     "claim.started", "verdict.proposed", "verdict.accepted", "article.approved"):
        assert expected in actions
    assert actions[-1] == "article.approved"
    log = manager.get("/audit").get_data(as_text=True)
    rows = log[log.index("<tbody"):]
    assert rows.index("article.approved") < rows.index("verdict.accepted") < rows.index("article.created")
    assert audit.verify(ctx()).intact


def _version(claim_id: int) -> int:
    """The version the editor's page shows (read fresh, as the page would be)."""
    db.session.expire_all()
    return db.session.get(Claim, claim_id).version
