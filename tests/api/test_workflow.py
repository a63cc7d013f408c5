"""From intake to a published article through the API alone: the CMS brings the article in, editors
triage and assign, a checker checks, another editor reviews, the gate opens, the article is approved
and published, and its ClaimReviews appear in the feed."""
from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import AuditEvent
from tests.support.factories import ARTICLE_TEXT

SPAN = "Critics said the money would be better spent on buses"


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_intake_to_published_through_the_api_alone(app, api_as):
    cms = api_as("editor")
    reviewer = api_as("editor")
    checker = api_as("checker")

    article = _ok(cms.post("/articles", json={"title": "Tram line approved", "text": ARTICLE_TEXT,
                                              "outlet": "Test Wire"}), 201)
    article_id = article["id"]
    assert article["text"] == ARTICLE_TEXT
    gate = _ok(cms.get(f"/articles/{article_id}/gate"))
    assert gate["gate_holds"] is False and gate["may_be_published"] is False

    # An editor marks a span as a claim; the desk's suggestions are triaged: one accepted, the rest dismissed.
    start = ARTICLE_TEXT.index(SPAN)
    marked = _ok(cms.post(f"/articles/{article_id}/claims",
                          json={"quote": SPAN, "start": start, "end": start + len(SPAN),
                                "statement": "Critics prefer buses."}), 201)
    assert marked["status"] == "open" and marked["quote"] == SPAN
    suggested = _ok(cms.get("/claims", query_string={"article": article_id, "status": "suggested"}))["items"]
    assert suggested, "the intake suggests claims in this text"
    accepted = _ok(cms.write(f"/claims/{suggested[0]['id']}/accept", {"statement": "The council voted 27-4."}))
    assert accepted["status"] == "open"
    for claim in suggested[1:]:
        assert _ok(cms.write(f"/claims/{claim['id']}/dismiss", {"reason": "Not worth checking."}))["status"] \
            == "dismissed"

    to_check = _ok(cms.get("/claims", query_string={"article": article_id, "status": "open"}))["items"]
    assert {c["id"] for c in to_check} == {marked["id"], accepted["id"]}
    gate = _ok(cms.get(f"/articles/{article_id}/gate"))
    assert {b["id"] for b in gate["blocking"]} == {marked["id"], accepted["id"]}
    assert all(b["url"] == f"/api/v1/claims/{b['id']}" and b["reason"] for b in gate["blocking"])
    refused = cms.post(f"/articles/{article_id}/approve")
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert {b["id"] for b in refused.get_json()["blocking"]} == {marked["id"], accepted["id"]}

    for claim in to_check:
        path = f"/claims/{claim['id']}"
        assigned = _ok(cms.write(f"{path}/assign", {"assignee_id": checker.user.id, "priority": "high",
                                                    "due_date": "2030-01-31"}))
        assert assigned["assignee_id"] == checker.user.id and assigned["due_date"] == "2030-01-31"
        questions = ["substance"] + (["attribution"] if claim["claimant"] else [])
        for question in questions:
            _ok(checker.post(f"{path}/evidence", json={"url": "https://example.org/minutes", "title": "Minutes",
                                                       "stance": "supports", "question": question}), 201)
        _ok(checker.post(f"{path}/notes", json={"body": "Checked against the minutes."}), 201)
        proposal = {"verdict": "verified", "rationale": "The minutes say so."}
        if claim["claimant"]:
            proposal["attribution_verdict"] = "confirmed"
        assert _ok(checker.write(f"{path}/verdict", proposal))["status"] == "proposed"
        final = _ok(reviewer.write(f"{path}/verdict/accept"))
        assert final["status"] == "final" and final["verdict"] == "verified"
        assert len(final["evidence"]) == len(questions) and final["notes"][0]["body"].startswith("Checked")

    gate = _ok(cms.get(f"/articles/{article_id}/gate"))
    assert gate == {"article_id": article_id, "status": "ready", "gate_holds": True, "may_be_published": False,
                    "blocking": []}
    assert _ok(cms.post(f"/articles/{article_id}/approve"))["status"] == "approved"
    assert _ok(cms.get(f"/articles/{article_id}/gate"))["may_be_published"] is True
    published = _ok(cms.post(f"/articles/{article_id}/publish",
                             json={"published_url": "https://news.example/tram"}))
    assert published["status"] == "published" and published["published_url"] == "https://news.example/tram"

    feed = checker.get("/claimreviews")
    assert feed.status_code == 200 and feed.mimetype == "application/ld+json"
    graph = feed.get_json()["@graph"]
    assert sorted(r["claimReviewed"] for r in graph) == ["Critics prefer buses.", "The council voted 27-4."]
    assert all(r["@type"] == "ClaimReview" and r["itemReviewed"]["appearance"]["url"] == "https://news.example/tram"
               for r in graph)

    # Every step was audited with the token's user as the actor.
    actors = dict(db.session.execute(db.select(AuditEvent.action, AuditEvent.actor_id)
                                     .where(AuditEvent.article_id == article_id)).all())
    assert actors["article.published"] == cms.user.id
    assert actors["verdict.proposed"] == checker.user.id
    assert actors["verdict.accepted"] == reviewer.user.id


def test_revising_the_text_answers_the_reanchoring_report(app, api_as, make):
    from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM

    cms = api_as("editor")
    first = make.final_claim(editor=cms.user)
    article_id = first.article_id
    second = make.claim(article=first.article, quote=SECOND_CLAIM, editor=cms.user)
    new_text = ARTICLE_TEXT.replace("27 to 4", "28 to 3").replace("Critics said", "Some critics said")
    report = _ok(cms.put(f"/articles/{article_id}/text", json={"text": new_text}))
    assert report["revision"] == 2 and report["article_id"] == article_id
    assert [c["id"] for c in report["changed"]] == [first.id]
    assert [c["id"] for c in report["moved"]] == [second.id]
    assert report["orphaned"] == []
    assert _ok(cms.get(f"/claims/{first.id}"))["status"] == "in_progress"
    assert FIRST_CLAIM not in _ok(cms.get(f"/articles/{article_id}"))["text"]
    same = cms.put(f"/articles/{article_id}/text", json={"text": new_text})
    assert same.status_code == 422 and "same" in same.get_json()["detail"]


def test_a_false_claim_holds_the_gate_until_resolved(app, api_as, make):
    editor = api_as("editor")
    claim = make.final_claim(verdict="false", editor=editor.user)
    gate = _ok(editor.get(f"/articles/{claim.article_id}/gate"))
    assert gate["gate_holds"] is False and "needs a resolution" in gate["blocking"][0]["reason"]
    refused = editor.write(f"/claims/{claim.id}/resolve", {"resolution": "kept_with_attribution"})
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    resolved = _ok(editor.write(f"/claims/{claim.id}/resolve", {"resolution": "kept_with_attribution",
                                                                "note": "The claimant's words, reported as such."}))
    assert resolved["resolution"] == "kept_with_attribution"
    assert _ok(editor.get(f"/articles/{claim.article_id}/gate"))["gate_holds"] is True


def test_a_checker_starts_work_and_takes_from_the_pool(app, api_as, make):
    from tests.support.context import configure

    checker = api_as("checker")
    assigned = make.assigned_claim(checker=checker.user)
    assert _ok(checker.write(f"/claims/{assigned.id}/start"))["status"] == "in_progress"
    open_claim = make.claim()
    assert checker.write(f"/claims/{open_claim.id}/take").status_code == 403
    configure(app, checker_pool=True)
    taken = _ok(checker.write(f"/claims/{open_claim.id}/take"))
    assert taken["assignee_id"] == checker.user.id
