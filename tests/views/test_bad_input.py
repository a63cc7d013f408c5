"""Whatever a person types, the answer is a form error or a 4xx, never a 500, and nothing is lost."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article, Claim, Evidence
from tests.support.context import configure

LONG = "x" * 20_000


@pytest.mark.parametrize("data, message", [
    ({"title": "A title", "text": ""}, "Paste the article text or choose a file."),
    ({"title": "A title", "text": "   \n  "}, "Paste the article text or choose a file."),
    ({"title": "T" * 301, "text": "Some text."}, "Field cannot be longer than 300 characters."),
    ({"title": "A title", "text": "Some text.", "source_url": "not a url"}, "Invalid URL."),
])
def test_new_article_errors_keep_the_input(login_as, data, message):
    editor = login_as("editor")
    response = editor.submit("/articles/new", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if data.get("text", "").strip():
        assert data["text"] in page
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_title_defaults_to_the_first_line(login_as):
    response = login_as("editor").submit("/articles/new", {"title": "", "text": "\n  Ferry fares rise\nFares rose."})
    assert response.status_code == 302
    assert db.session.scalar(select(Article.title)) == "Ferry fares rise"


def test_article_over_the_size_limit_is_refused(app, login_as):
    configure(app, max_article_bytes=1000)
    response = login_as("editor").submit("/articles/new", {"title": "Big", "text": "word " * 400})
    assert response.status_code == 422
    assert "larger than" in response.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"quote": ""}, "Paste the passage to check."),
    ({"quote": "A sentence that is not there."}, "not found in the article text"),
    ({"quote": LONG}, "Field cannot be longer than 5000 characters."),
    ({"quote": "The line will cost", "start": "-4"}, "Number must be at least 0."),
    ({"quote": "The line will cost", "start": "abc"}, "Not a valid integer value."),
])
def test_claim_form_errors(make, login_as, data, message):
    article = make.article()
    response = login_as("editor").submit(f"/articles/{article.id}/claims", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Claim.id))) == 0


def test_same_passage_twice_is_refused(make, login_as):
    claim = make.claim()
    response = login_as("editor").submit(f"/articles/{claim.article_id}/claims", {"quote": claim.quote})
    assert response.status_code == 422
    assert "already a claim" in response.get_data(as_text=True)


def test_pasted_quote_matches_through_typography_and_spacing(make, login_as):
    article = make.article(text="He said the plan \u201cwill  work\u201d on Monday.\n")
    response = login_as("editor").submit(f"/articles/{article.id}/claims", {"quote": 'the plan "will work"'})
    assert response.status_code == 302
    claim = db.session.scalar(select(Claim))
    assert claim.quote == "the plan \u201cwill  work\u201d"
    assert article.text[claim.start:claim.end] == claim.quote


@pytest.mark.parametrize("data, message", [
    ({"url": "javascript:alert(1)", "title": "T", "stance": "supports"}, "Enter a full http:// or https:// address."),
    ({"url": "ftp://files.example/x", "title": "T", "stance": "supports"}, "Enter a full http:// or https:// address."),
    ({"url": "https://example.org", "title": "", "stance": "supports"}, "This field is required."),
    ({"url": "https://example.org", "title": "T", "stance": "maybe"}, "Not a valid choice."),
    ({"url": "https://example.org", "title": "T", "stance": "supports", "published_on": "31/31/2020"}, "Not a valid date value."),
    ({"url": "https://example.org", "title": "T", "stance": "supports", "excerpt": LONG}, "Field cannot be longer than 5000 characters."),
])
def test_evidence_form_errors_keep_the_input(make, login_as, data, message):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    response = login_as(checker).submit(f"/claims/{claim.id}/evidence", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if data["title"]:
        assert f'value="{data["title"]}"' in page
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


@pytest.mark.parametrize("data, message", [
    ({"verdict": "", "rationale": "Because."}, "Choose a verdict."),
    ({"verdict": "probably", "rationale": "Because."}, "Not a valid choice."),
    ({"verdict": "false", "rationale": ""}, "Explain the verdict."),
])
def test_verdict_form_errors(make, login_as, data, message):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    response = login_as(checker).submit(f"/claims/{claim.id}/propose", {**data, "version": claim.version})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_verdict_without_evidence_is_refused_and_rationale_kept(make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    response = login_as(checker).submit(f"/claims/{claim.id}/propose", {"verdict": "false", "rationale": "My careful reasoning.",
                                                                        "version": claim.version})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "at least one piece of evidence" in page
    assert "My careful reasoning." in page
    db.session.refresh(claim)
    assert claim.status == "assigned"


@pytest.mark.parametrize("data, message", [
    ({"assignee_id": "", "priority": "normal"}, "Choose a checker."),
    ({"assignee_id": "abc", "priority": "normal"}, "Choose a checker."),
    ({"assignee_id": "99999", "priority": "normal"}, "Not a valid choice."),
    ({"assignee_id": "{checker}", "priority": "whenever"}, "Not a valid choice."),
    ({"assignee_id": "{checker}", "priority": "normal", "due_date": "yesterday"}, "Not a valid date value."),
])
def test_assign_form_errors(make, login_as, data, message):
    checker = make.user("checker")
    claim = make.claim()
    data = {k: v.format(checker=checker.id) for k, v in data.items()}
    response = login_as("editor").submit(f"/claims/{claim.id}/assign", {**data, "version": claim.version})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_assigning_to_a_non_checker_is_refused(make, login_as):
    claim = make.claim()
    manager = make.user("manager")
    response = login_as("editor").submit(f"/claims/{claim.id}/assign", {"assignee_id": manager.id, "priority": "normal",
                                                                        "version": claim.version})
    assert response.status_code == 422


def test_wrong_state_gets_a_clear_conflict(make, login_as):
    claim = make.claim()
    response = login_as("editor").submit(f"/claims/{claim.id}/accept-verdict", {"version": claim.version})
    assert response.status_code == 409
    assert "needs it to be proposed" in response.get_data(as_text=True)


def test_return_needs_a_note(make, login_as):
    claim = make.proposed_claim()
    response = login_as("editor").submit(f"/claims/{claim.id}/return-verdict", {"note": "", "version": claim.version})
    assert response.status_code == 422
    assert "Write a note for the checker." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/articles/999999", "/claims/999999", "/nowhere"])
def test_missing_things_are_404_pages(login_as, path):
    response = login_as("editor").get(path)
    assert response.status_code == 404


def test_garbage_query_parameters_do_not_break_lists(login_as):
    manager = login_as("manager")
    assert manager.get("/audit?before=abc&article=--1&action=" + "x" * 500).status_code in (200, 400)
    assert login_as("editor").get("/articles?status=nonsense&q=%00%27").status_code == 200


def test_nul_characters_are_dropped_not_a_500(make, login_as):
    article = make.article()
    response = login_as("editor").submit(f"/articles/{article.id}/claims",
                                         {"quote": "The line will\x00 cost", "claimant": "transport\x00 office"})
    assert response.status_code == 302
    assert db.session.scalar(select(Claim.claimant)) == "transport office"


@pytest.mark.parametrize("path, page", [
    ("/articles/{a}/claims", "/articles/{a}"),
    ("/articles/{a}/approve", "/articles/{a}"),
    ("/claims/{c}/evidence", "/claims/{c}"),
    ("/claims/{c}/notes", "/claims/{c}"),
    ("/claims/{c}/assign", "/claims/{c}"),
    ("/claims/bulk-assign", "/claims"),
])
def test_reloading_a_form_address_goes_to_its_page_not_a_405(make, login_as, path, page):
    """A refused form leaves its POST address in the address bar; reloading or bookmarking it must not
    answer "Method not allowed"."""
    claim = make.claim()
    values = {"a": claim.article_id, "c": claim.id}
    response = login_as("editor").get(path.format(**values))
    assert response.status_code == 302
    assert response.headers["Location"] == page.format(**values)
