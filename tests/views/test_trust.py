"""Issue 10, played as the hurried editor and the attacker would: a verdict rests on its evidence, the
gate checks the text, claims follow their text, the last admin survives a race, ClaimReview is right.

Each test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import itertools
import threading

import pytest
from pyld import jsonld
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article, Claim, ClaimStatus, Resolution, Role, User, UserRole
from factcheck.services import articles, claims, revisions
from tests.support.context import configure, ctx
from tests.support.factories import FIRST_CLAIM


def _fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


# ---- every verdict rests on its evidence -------------------------------------------------------------

def test_removing_the_evidence_after_proposing_sends_the_verdict_back(make, login_as):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    editor = login_as("editor")
    seen = claim.version  # the editor opens the review
    item = claim.current_evidence[0]
    assert login_as(checker).submit(f"/claims/{claim.id}/evidence/{item.id}/remove",
                                    {"reason": "Wrong document"}).status_code == 302
    assert _fresh(Claim, claim.id).status == ClaimStatus.IN_PROGRESS
    response = editor.submit(f"/claims/{claim.id}/accept-verdict", {"version": seen})
    assert response.status_code == 409
    assert _fresh(Claim, claim.id).status == ClaimStatus.IN_PROGRESS
    assert not _fresh(Claim, claim.id).current_evidence


def test_accepting_without_a_version_is_a_400_and_changes_nothing(make, login_as):
    claim = make.proposed_claim()
    response = login_as("editor").submit(f"/claims/{claim.id}/accept-verdict")
    assert response.status_code == 400
    assert "which version of the claim" in response.get_data(as_text=True)
    assert _fresh(Claim, claim.id).status == ClaimStatus.PROPOSED


def test_accepting_a_verdict_that_changed_since_it_was_read_is_a_conflict(make, login_as):
    """Editor A reads "verified"; B returns it; the checker proposes "false"; A's accept must not make
    "false" final."""
    checker = make.user("checker")
    claim = make.proposed_claim(checker, verdict="verified")
    alice, bob = login_as("editor"), login_as("editor")
    seen = claim.version
    assert bob.submit(f"/claims/{claim.id}/return-verdict", {"note": "Look again.", "version": seen}).status_code == 302
    claim = _fresh(Claim, claim.id)
    claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="false", rationale="On second look.")
    response = alice.submit(f"/claims/{claim.id}/accept-verdict", {"version": seen})
    assert response.status_code == 409
    assert "Edit conflict" in response.get_data(as_text=True)
    claim = _fresh(Claim, claim.id)
    assert (claim.status, claim.verdict) == (ClaimStatus.PROPOSED, "false")


def test_resolving_needs_the_version_too(make, login_as):
    claim = make.final_claim(verdict="misleading")
    response = login_as("editor").submit(f"/claims/{claim.id}/resolve",
                                         {"resolution": "kept_with_attribution", "note": "Attributed."})
    assert response.status_code == 400
    assert _fresh(Claim, claim.id).resolution is None


def _at_once(app, *calls) -> list[int]:
    """Run each (client, url, data) submission in its own thread, released together; their statuses."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(client, url, data):
        try:
            with app.app_context():
                token = client.csrf_token()
                barrier.wait(timeout=10)
                statuses.append(client.post(url, data={"csrf_token": token, **data}).status_code)
        except BaseException as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(statuses)


def test_two_editors_saving_the_same_version_at_once_get_a_conflict_never_a_500(app, make, login_as):
    rounds = 6
    outcomes = []
    for _ in range(rounds):
        claim = make.proposed_claim()
        first, second = login_as("editor"), login_as("editor")
        version = claim.version
        outcomes.append(_at_once(app, (first, f"/claims/{claim.id}/accept-verdict", {"version": version}),
                                 (second, f"/claims/{claim.id}/return-verdict", {"version": version, "note": "No."})))
    assert all(500 not in statuses for statuses in outcomes), outcomes
    assert all(statuses == [302, 409] for statuses in outcomes), outcomes


# ---- the gate checks the text -------------------------------------------------------------------------

def test_corrected_is_refused_while_the_text_still_holds_the_rated_passage(make, login_as):
    editor = make.user("editor")
    claim = make.final_claim(verdict="misleading", editor=editor)
    client = login_as(editor)
    response = client.submit(f"/claims/{claim.id}/resolve", {"resolution": "corrected", "note": "Fixed.",
                                                             "version": claim.version})
    assert response.status_code == 422
    assert "Correct or remove it in a new revision first" in response.get_data(as_text=True)
    response = client.submit(f"/articles/{claim.article_id}/approve")
    assert response.status_code == 409
    assert _fresh(Article, claim.article_id).status != "approved"


def test_a_correction_names_the_revision_that_took_the_passage_out(make, login_as):
    editor = make.user("editor")
    claim = make.final_claim(verdict="false", editor=editor)
    article = claim.article
    text = "".join(line for line in article.text.splitlines(keepends=True) if FIRST_CLAIM not in line)
    report = revisions.revise(ctx(), actor=editor, article=article, text=text)
    assert _fresh(Claim, claim.id).status == ClaimStatus.ORPHANED
    client = login_as(editor)
    claim = _fresh(Claim, claim.id)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Resolve before approval" in page
    response = client.submit(f"/claims/{claim.id}/resolve", {"resolution": "kept_with_attribution", "note": "x",
                                                             "version": claim.version})
    assert response.status_code == 422 and "cannot be kept" in response.get_data(as_text=True)
    response = client.submit(f"/claims/{claim.id}/resolve", {"resolution": "corrected", "note": "Cut in rev 2.",
                                                             "version": claim.version})
    assert response.status_code == 302
    claim = _fresh(Claim, claim.id)
    assert (claim.status, claim.resolution, claim.resolution_revision_id) == (
        ClaimStatus.FINAL, Resolution.CORRECTED, report.revision.id)
    for other in _fresh(Article, article.id).claims:  # whatever the revision suggested is settled too
        if other.id != claim.id and other.status == ClaimStatus.SUGGESTED:
            claims.dismiss(ctx(), actor=editor, claim=other, reason="Not check-worthy.")
    assert client.submit(f"/articles/{article.id}/approve").status_code == 302
    article = _fresh(Article, article.id)
    assert article.status == "approved" and FIRST_CLAIM not in article.text


def test_one_definition_of_unsettled_in_python_and_sql(make):
    """The gate, the article page and the report (Python) and the article list and the dashboard (SQL)
    agree on what holds an article back, for every state, verdict and resolution."""
    settings = ctx().settings
    editor = make.user("editor")
    article = make.article(editor)
    claim = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    for status, verdict, resolution in itertools.product(
            ClaimStatus, (None, "verified", "misleading", "unverifiable"), (None, "removed")):
        db.session.execute(Claim.__table__.update().where(Claim.id == claim.id)
                           .values(status=status.value, verdict=verdict, resolution=resolution))
        db.session.commit()
        row = _fresh(Claim, claim.id)
        in_sql = db.session.scalar(select(articles.blocking_condition(settings)).where(Claim.id == claim.id))
        assert bool(in_sql) == (articles.blocking_reason(settings, row) is not None), (status, verdict, resolution)


def test_the_dashboard_counts_a_claim_waiting_for_resolution_as_unsettled(make, login_as):
    editor = make.user("editor")
    claim = make.final_claim(verdict="misleading", editor=editor)
    page = login_as("manager").get("/dashboard").get_data(as_text=True)
    article_page = login_as(editor).get(f"/articles/{claim.article_id}").get_data(as_text=True)
    assert "needs a resolution" in article_page
    blocked = articles.list_articles(db.session, ctx().settings)[0]
    assert blocked.open_claims == 1
    assert f">{claim.article.title}</a>" in page
    board_row = page.split(f">{claim.article.title}</a>", 1)[1].split("</tr>", 1)[0]
    assert ">1<" in board_row.replace(" ", "")


# ---- claims follow their text ---------------------------------------------------------------------------

def test_a_changed_passage_shows_its_new_words_and_what_it_was(make, login_as):
    editor = make.user("editor")
    claim = make.final_claim(verdict="verified", editor=editor)
    old = claim.quote
    new_text = claim.article.text.replace("27 to 4", "25 to 6")
    revisions.revise(ctx(), actor=editor, article=claim.article, text=new_text)
    claim = _fresh(Claim, claim.id)
    assert claim.status == ClaimStatus.IN_PROGRESS and claim.text_changed
    assert "25 to 6" in claim.quote and claim.statement == claim.quote and claim.changed_from == old
    client = login_as(editor)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Text changed since the verdict" in page and "27 to 4" in page and "25 to 6" in page
    article_page = client.get(f"/articles/{claim.article_id}").get_data(as_text=True)
    card = article_page.split(f'id="claim-{claim.id}"', 1)[1].split("</li>", 1)[0]
    assert "25 to 6" in card and "27 to 4" not in card
    gate = article_page.split('id="gate"', 1)[1].split("</section>", 1)[0]
    assert "25 to 6" in gate and "was “" in gate


def test_an_orphan_is_anchored_again_to_the_passage_that_replaced_it(make, login_as):
    editor = make.user("editor")
    checker = make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    replacement = "Councillors backed the airport tram by a wide margin"
    text = claim.article.text.replace(claim.quote + ", its chair said.", replacement + ".")
    revisions.revise(ctx(), actor=editor, article=claim.article, text=text)
    claim = _fresh(Claim, claim.id)
    assert claim.status == ClaimStatus.ORPHANED
    client = login_as(editor)
    assert "Anchor to a passage" in client.get(f"/claims/{claim.id}").get_data(as_text=True)
    response = client.submit(f"/claims/{claim.id}/reanchor", {"quote": "not in the text", "version": claim.version})
    assert response.status_code == 422 and "not found in the article text" in response.get_data(as_text=True)
    response = client.submit(f"/claims/{claim.id}/reanchor", {"quote": replacement, "version": claim.version})
    assert response.status_code == 302
    claim = _fresh(Claim, claim.id)
    assert (claim.status, claim.quote, claim.assignee_id) == (ClaimStatus.IN_PROGRESS, replacement, checker.id)
    assert claim.revision_id == claim.article.current_revision_id and claim.text_changed


# ---- the last admin ---------------------------------------------------------------------------------------

def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, make, login_as):
    first, second = make.user("admin"), make.user("admin")
    statuses = _at_once(app, (login_as(first), f"/users/{second.id}/roles", {f"u{second.id}-roles": ["editor"]}),
                        (login_as(second), f"/users/{first.id}/roles", {f"u{first.id}-roles": ["editor"]}))
    db.session.expire_all()
    admins = db.session.scalars(select(User).join(UserRole).where(UserRole.role == Role.ADMIN.value,
                                                                  User.is_active_account.is_(True))).all()
    assert len(admins) == 1, statuses
    # The other is refused: as the last admin (422), or, when the first change committed before its
    # request was even read, because its author is no longer an admin (403).
    assert statuses[0] == 302 and statuses[1] in (403, 422), statuses


# ---- ClaimReview ---------------------------------------------------------------------------------------

def _reviews(page: str) -> list[dict]:
    import json
    import re

    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def _schema_org_loader(url, options=None):
    """The schema.org context, offline: every term is in the schema.org vocabulary."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/", "url": {"@type": "@id"}}}}


def test_claim_review_ratings_urls_and_appearance(app, make, login_as):
    configure(app, public_url="https://checks.example.org")
    editor = make.user("editor")
    article = make.article(editor)
    worst = make.final_claim(verdict="false", article=article, editor=editor)
    unknown = make.final_claim(verdict="unverifiable", article=article, editor=editor,
                               quote="The line will cost 210 million euros")
    best = make.final_claim(verdict="verified", article=article, editor=editor,
                            quote="Critics said the money would be better spent on buses")
    claims.resolve(ctx(), actor=editor, claim=_fresh(Claim, worst.id), resolution="kept_with_attribution",
                   note="Attributed.")
    assert login_as(editor).submit(f"/articles/{article.id}/approve").status_code == 302
    assert login_as(editor).submit(f"/articles/{article.id}/publish",
                                   {"published_url": "https://news.example.org/tram"}).status_code == 302
    page = login_as("manager").get(f"/articles/{article.id}/report").get_data(as_text=True)
    reviews = {review["url"].rsplit("-", 1)[1]: review for review in _reviews(page)}
    rating = {int(key): review["reviewRating"] for key, review in reviews.items()}
    assert rating[worst.id]["ratingValue"] == 1 and rating[best.id]["ratingValue"] == 5
    assert all(r.get("worstRating", 1) == 1 and r.get("bestRating", 5) == 5 for r in rating.values())
    assert "ratingValue" not in rating[unknown.id] and rating[unknown.id]["alternateName"] == "Unverifiable"
    for claim_id, review in reviews.items():
        assert review["url"] == f"https://checks.example.org/articles/{article.id}/report#claim-{claim_id}"
        assert review["itemReviewed"]["appearance"]["url"] == "https://news.example.org/tram"
    expanded = jsonld.expand(_reviews(page), {"documentLoader": _schema_org_loader})
    types = {t for node in expanded for t in node["@type"]}
    assert types == {"https://schema.org/ClaimReview"}
    for node in expanded:
        rating_node = node["https://schema.org/reviewRating"][0]
        assert "https://schema.org/alternateName" in rating_node
        assert node["https://schema.org/itemReviewed"][0]["https://schema.org/appearance"][0][
            "https://schema.org/url"][0]["@id"] == "https://news.example.org/tram"


def test_publishing_refuses_a_url_that_is_not_http(make):
    editor = make.user("editor")
    claim = make.final_claim(editor=editor)
    articles.approve(ctx(), actor=editor, article=claim.article)
    from factcheck.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        articles.publish(ctx(), actor=editor, article=claim.article, published_url="javascript:alert(1)")
    assert _fresh(Article, claim.article_id).status == "approved"
