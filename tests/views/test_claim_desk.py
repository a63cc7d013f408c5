"""The claim desk through the pages: assignment, queues, the claims list, notes, notifications,
and two people editing the same claim."""
from __future__ import annotations

import re
from datetime import date, timedelta

from markupsafe import escape
from sqlalchemy import select, update

from factcheck.extensions import db
from factcheck.models import Article, Claim, Notification
from factcheck.services import articles, claims, evidence
from tests.support.context import configure, ctx
from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM


def _two_claims(make, editor):
    article = make.article(editor)
    first = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
    second = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    return article, first, second


def test_bulk_assign_from_the_article_page_notifies_once(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    article, first, second = _two_claims(make, editor)
    client = login_as(editor)
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert 'form="bulk-assign"' in page
    response = client.submit("/claims/bulk-assign", {
        "claim_ids": [first.id, second.id], "assignee_id": checker.id, "priority": "urgent",
        "due_date": "2031-05-01", "return_to": f"/articles/{article.id}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/articles/{article.id}"
    db.session.expire_all()
    for claim in (db.session.get(Claim, first.id), db.session.get(Claim, second.id)):
        assert (claim.status, claim.assignee_id, claim.priority, claim.due_date) == (
            "assigned", checker.id, "urgent", date(2031, 5, 1))
    sent = list(db.session.scalars(select(Notification).where(Notification.user_id == checker.id)))
    assert len(sent) == 1 and "2 claim(s)" in sent[0].message


def test_bulk_assign_is_all_or_nothing(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    _article, first, second = _two_claims(make, editor)
    claims.dismiss(ctx(), actor=editor, claim=second, reason="Not checkable.")
    response = login_as(editor).submit("/claims/bulk-assign", {
        "claim_ids": [first.id, second.id], "assignee_id": checker.id, "priority": "normal"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Claim, first.id).status == "open"
    assert db.session.get(Claim, second.id).status == "dismissed"


def test_bulk_assign_without_selection_says_so(make, login_as):
    checker = make.user("checker")
    client = login_as("editor")
    response = client.submit("/claims/bulk-assign", {"assignee_id": checker.id, "priority": "normal"},
                             follow_redirects=True)
    assert "Select at least one claim" in response.get_data(as_text=True)


def test_my_queue_puts_the_most_urgent_first_and_marks_due_dates(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    article, first, second = _two_claims(make, editor)
    third = claims.add_claim(ctx(), actor=editor, article=article, quote="Critics said the money")
    today = date.today()
    claims.assign(ctx(), actor=editor, claim=first, assignee=checker, due_date=today + timedelta(days=5))
    claims.assign(ctx(), actor=editor, claim=second, assignee=checker, due_date=today - timedelta(days=1))
    claims.assign(ctx(), actor=editor, claim=third, assignee=checker, due_date=today, priority="urgent")
    page = login_as(checker).get("/queue").get_data(as_text=True)
    positions = [page.index(f"/claims/{c.id}\"") for c in (second, third, first)]
    assert positions == sorted(positions)
    assert "overdue" in page and "due today" in page


def test_review_queue_is_oldest_first(make, login_as):
    older = make.proposed_claim()
    newer = make.proposed_claim()
    page = login_as("editor").get("/review").get_data(as_text=True)
    assert page.index(f"/claims/{older.id}\"") < page.index(f"/claims/{newer.id}\"")


def test_claims_list_filters(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    article, first, second = _two_claims(make, editor)
    claims.assign(ctx(), actor=editor, claim=first, assignee=checker, due_date=date.today() - timedelta(days=2))
    client = login_as(editor)

    def listed(query: str) -> set[int]:
        page = client.get("/claims?" + query).get_data(as_text=True)
        return {c.id for c in (first, second) if f"/claims/{c.id}\"" in page}

    assert listed("") == {first.id, second.id}
    assert listed("status=assigned") == {first.id}
    assert listed(f"assignee={checker.id}") == {first.id}
    assert listed("overdue=1") == {first.id}
    assert listed("unassigned=1") == {second.id}
    assert listed(f"article={article.id + 1}") == set()
    assert listed("status=bogus&verdict=nope&before=x") == {first.id, second.id}


def test_claims_list_pages_with_a_keyset(app, make, login_as):
    configure(app, page_size=2)
    editor = make.user("editor")
    article = make.article(editor, text="One. Two. Three. Four. Five.\n")
    made = [claims.add_claim(ctx(), actor=editor, article=article, quote=q) for q in
            ("One.", "Two.", "Three.", "Four.", "Five.")]
    client = login_as(editor)
    seen, url = [], "/claims"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += sorted((c.id for c in made if f"/claims/{c.id}\"" in page), key=lambda i: page.index(f"/claims/{i}\""))
        marker = 'href="/claims?before='
        url = page[page.index(marker) + 6:page.index('"', page.index(marker) + 6)].replace("&amp;", "&") \
            if marker in page else None
    assert seen == sorted((c.id for c in made), reverse=True)


def test_claims_list_older_link_keeps_filters_and_mount_point(app, make, login_as):
    """Without filters the older link is written from the list's kept address (``_older_url``): it must be
    what ``url_for`` builds, under a mount point too, and a filtered list keeps its filters."""
    configure(app, page_size=2)
    editor = make.user("editor")
    article = make.article(editor, text="One. Two. Three. Four. Five.\n")
    made = [claims.add_claim(ctx(), actor=editor, article=article, quote=q) for q in ("One.", "Two.", "Three.")]
    client = login_as(editor)

    def older(url: str, **kwargs) -> str:
        page = client.get(url, **kwargs).get_data(as_text=True)
        return re.search(r'<a href="([^"]*)">Older claims', page).group(1).replace("&amp;", "&")

    assert older("/claims") == f"/claims?before={made[1].id}"
    assert older("/claims", base_url="http://localhost/desk") == f"/desk/claims?before={made[1].id}"
    assert older(f"/claims?before={made[2].id + 1}") == f"/claims?before={made[1].id}"
    assert older("/claims?status=open&article=" + str(article.id)) == (
        f"/claims?before={made[1].id}&status=open&article={article.id}")


def test_pages_run_the_same_number_of_queries_however_much_data(make, login_as, count_queries):
    """The claims list, queue, review queue, article and claim pages must not query per row."""
    editor, checker = make.user("editor"), make.user("checker")
    client = login_as(editor)
    checker_client = login_as(checker)

    def grow(n: int):
        article = make.article(editor, text=" ".join(f"Sentence {i} says {i} things." for i in range(n)) + "\n")
        made = []
        for i in range(n):
            claim = claims.add_claim(ctx(), actor=editor, article=article, quote=f"Sentence {i} says {i} things.")
            claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)
            made.append(claim)
        return article, made

    def counts(article, made):
        # Another claim's page first: the assignment form's checkers are read once and then kept while the
        # people are unchanged (``claim_page.checkers``), so what is counted is a first view with them kept.
        assert client.get(f"/claims/{made[1].id}").status_code == 200
        result = {}
        for name, who, url in (("list", client, "/claims"), ("queue", checker_client, "/queue"),
                               ("review", client, "/review"), ("article", client, f"/articles/{article.id}"),
                               ("claim", client, f"/claims/{made[0].id}")):
            with count_queries() as statements:
                assert who.get(url).status_code == 200
            result[name] = len(statements)
        return result

    small = counts(*grow(2))
    large = counts(*grow(12))
    assert large == small


def test_pool_lets_checkers_take_claims_when_open(app, make, login_as):
    claim = make.claim()
    checker = make.user("checker")
    client = login_as(checker)
    assert client.submit(f"/claims/{claim.id}/take").status_code == 403
    configure(app, checker_pool=True)
    assert "Take this claim" in client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert client.submit(f"/claims/{claim.id}/take").status_code == 302
    db.session.expire_all()
    taken = db.session.get(Claim, claim.id)
    assert (taken.status, taken.assignee_id) == ("assigned", checker.id)
    assert login_as("checker").submit(f"/claims/{claim.id}/take").status_code == 409


def test_notes_post_render_and_notify(make, login_as):
    checker = make.user("checker", email="chen@desk.example")
    editor = make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)
    client = login_as(editor)
    response = client.submit(f"/claims/{claim.id}/notes", {"body": "Check **the 2019 figure**, @chen <script>x()</script>"})
    assert response.status_code == 302
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "<strong>the 2019 figure</strong>" in page and "<script>x()" not in page
    checker_client = login_as(checker)
    header = checker_client.get("/queue").get_data(as_text=True)
    assert "unread" in header
    inbox = checker_client.get("/notifications").get_data(as_text=True)
    assert "mentioned you on claim" in inbox and "assigned you claim" in inbox
    assert checker_client.submit("/notifications/read").status_code == 302
    assert db.session.scalar(select(Notification).where(Notification.read_at.is_(None),
                                                       Notification.user_id == checker.id)) is None
    empty = login_as(editor).submit(f"/claims/{claim.id}/notes", {"body": ""})
    assert empty.status_code == 422 and "Write the note." in empty.get_data(as_text=True)


def test_evidence_edit_and_remove_through_the_page(make, login_as):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    item = claim.evidence[0]
    client = login_as(checker)
    form = client.get(f"/claims/{claim.id}/evidence/{item.id}/edit")
    assert form.status_code == 200 and item.title in form.get_data(as_text=True)
    response = client.submit(f"/claims/{claim.id}/evidence/{item.id}/edit", {
        "url": item.url, "title": "Council minutes, 12 March", "stance": "supports", "source_type": "primary document",
        "question": "substance", "credibility": "credible", "version": evidence.version_of(item)})
    assert response.status_code == 302
    bad = client.submit(f"/claims/{claim.id}/evidence/{item.id}/edit", {"url": "nope", "title": "", "stance": "x",
                                                                            "version": evidence.version_of(item)})
    assert bad.status_code == 422
    assert client.submit(f"/claims/{claim.id}/evidence/{item.id}/remove", {"reason": ""}).status_code == 422
    assert client.submit(f"/claims/{claim.id}/evidence/{item.id}/remove", {"reason": "Superseded"}).status_code == 302
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "<del>" in page and "Superseded" in page and "evidence.removed" in page
    assert client.get(f"/claims/{claim.id}/evidence/{item.id}/edit").status_code == 404


def test_two_editors_at_once_get_a_conflict_not_a_silent_overwrite(make, login_as):
    """Both open the claim page (version N); the first save wins, the second is told what changed
    and keeps their input."""
    claim = make.claim()
    first_checker, second_checker = make.user("checker"), make.user("checker")
    alice, bob = login_as("editor"), login_as("editor")
    version = claim.version
    for client in (alice, bob):
        assert f'name="version" type="hidden" value="{version}"' in client.get(f"/claims/{claim.id}").get_data(as_text=True)
    first = alice.submit(f"/claims/{claim.id}/assign", {"assignee_id": first_checker.id, "priority": "high",
                                                       "version": version})
    assert first.status_code == 302
    second = bob.submit(f"/claims/{claim.id}/assign", {"assignee_id": second_checker.id, "priority": "low",
                                                      "due_date": "2031-01-02", "version": version})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Edit conflict" in page and "Someone else changed this claim" in page
    assert f'data-label="Saved by the other person">{first_checker.display_name}</td>' in page
    assert f'data-label="Your input">{second_checker.display_name}</td>' in page
    assert 'value="2031-01-02"' in page  # Bob's input is still in his form
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).assignee_id == first_checker.id
    retry = bob.submit(f"/claims/{claim.id}/assign", {"assignee_id": second_checker.id, "priority": "low",
                                                     "version": db.session.get(Claim, claim.id).version})
    assert retry.status_code == 302


def test_approved_article_locks_its_claims(make, login_as):
    editor = make.user("editor")
    claim = make.final_claim(editor=editor)
    articles.approve(ctx(), actor=editor, article=claim.article)
    response = login_as(editor).submit(f"/claims/{claim.id}/notes", {"body": "late note"})
    assert response.status_code in (302, 409, 422)


def test_pages_link_to_audit_timelines_for_those_who_may_read_them(make, login_as):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    own = login_as(editor)
    assert f"/audit/timeline/article/{claim.article_id}" in own.get(f"/articles/{claim.article_id}").get_data(as_text=True)
    assert f"/audit/timeline/claim/{claim.id}" in own.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert own.get(f"/audit/timeline/claim/{claim.id}").status_code == 200
    other = login_as("editor")
    assert "/audit/timeline/" not in other.get(f"/articles/{claim.article_id}").get_data(as_text=True)
    assert "/audit/timeline/" in login_as("manager").get(f"/claims/{claim.id}").get_data(as_text=True)


def test_long_queues_show_their_most_urgent_part(app, make, login_as):
    configure(app, page_size=2)
    editor, checker = make.user("editor"), make.user("checker")
    article, first, second = _two_claims(make, editor)
    third = claims.add_claim(ctx(), actor=editor, article=article, quote="Critics said the money")
    for claim, days in ((first, 3), (second, 1), (third, 2)):
        claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date.today() + timedelta(days=days))
    page = login_as(checker).get("/queue").get_data(as_text=True)
    assert "Showing the 2 most urgent of your 3 open claims" in page
    assert f"/claims/{second.id}\"" in page and f"/claims/{third.id}\"" in page and f"/claims/{first.id}\"" not in page


def test_article_list_counts_claims_in_the_database(make, login_as, count_queries):
    editor = make.user("editor")
    client = login_as(editor)
    _two_claims(make, editor)
    with count_queries() as few:
        page = client.get("/articles?q=tram").get_data(as_text=True)
    assert "2 (2 open)" in page
    for _ in range(3):
        _two_claims(make, editor)
    with count_queries() as many:
        client.get("/articles?q=tram")
    assert len(many) == len(few)
    assert "Tram line approved" not in client.get("/articles?q=100%25").get_data(as_text=True)


def test_claim_page_shows_its_web_annotation_anchor(make, login_as):
    claim = make.claim()
    page = login_as("checker").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "TextQuoteSelector" in page and "TextPositionSelector" in page
    assert f"&#34;start&#34;: {claim.start}" in page or f'"start": {claim.start}' in page


def test_the_propose_form_says_what_is_missing_before_it_is_sent(make, login_as):
    checker = make.user("checker")
    editor = make.user("editor")
    article = make.article(editor)
    claim = claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM, claimant="its chair")
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)
    client = login_as(checker)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    checklist = page.split('id="proposal-checklist"', 1)[1].split("</div>", 2)[0]
    assert "whether its chair really said it" in checklist and "whether what was said is accurate" in checklist
    # The evidence form of an attributed claim asks which question first, with no answer chosen for them.
    form = page.split('id="evidence-form"', 1)[1]
    assert form.index('name="question"') < form.index('name="url"')
    assert '<option selected value="">Choose…</option>' in form
    response = client.submit(f"/claims/{claim.id}/evidence", {
        "url": "https://example.org/tape", "title": "Tape of the meeting", "stance": "supports", "question": ""})
    assert response.status_code == 422 and "Say which question the evidence answers" in response.get_data(as_text=True)
    assert client.submit(f"/claims/{claim.id}/evidence", {
        "url": "https://example.org/tape", "title": "Tape of the meeting", "stance": "supports",
        "question": "attribution"}).status_code == 302
    checklist = client.get(f"/claims/{claim.id}").get_data(as_text=True).split('id="proposal-checklist"', 1)[1]
    checklist = checklist.split("</form>", 1)[0]
    assert "really said it</li>" not in checklist and "whether what was said is accurate" in checklist


def test_every_checker_and_editor_can_join_a_claims_conversation(make, login_as):
    """A mentioned colleague can answer: the note form is not only for the assignee."""
    claim = make.assigned_claim()
    colleague = make.user("checker")
    client = login_as(colleague)
    assert 'id="note-form"' in client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert client.submit(f"/claims/{claim.id}/notes", {"body": "I have the minutes, see p. 4."}).status_code == 302
    # Evidence stays the assignee's (and editors') work.
    response = client.submit(f"/claims/{claim.id}/evidence", {"url": "https://example.org/m", "title": "Minutes",
                                                             "stance": "supports"})
    assert response.status_code == 403
    manager = login_as("manager")
    assert 'id="note-form"' not in manager.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert manager.submit(f"/claims/{claim.id}/notes", {"body": "Reading along."}).status_code == 403


def test_a_checker_whose_claim_was_reassigned_is_told_why_and_keeps_what_they_typed(make, login_as):
    editor, first, second = make.user("editor"), make.user("checker"), make.user("checker")
    claim = make.assigned_claim(first, editor=editor)
    client = login_as(first)
    assert 'id="evidence-form"' in client.get(f"/claims/{claim.id}").get_data(as_text=True)
    claims.assign(ctx(), actor=editor, claim=db.session.get(Claim, claim.id), assignee=second)
    response = client.submit(f"/claims/{claim.id}/evidence", {
        "url": "https://example.org/budget", "title": "Budget line 14", "stance": "supports",
        "excerpt": "The line costs 210 million."})
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    flashes = page.split('id="flashes"', 1)[1].split("</main>", 1)[0]
    assert f"now assigned to {second.display_name}" in flashes  # where a partial update shows it too
    assert "Budget line 14" in flashes and "The line costs 210 million." in flashes
    assert 'id="evidence-form"' not in page and "Propose a verdict" not in page


def test_claims_list_rows_say_who_has_each_claim_and_offer_only_assignable_ones(make, login_as):
    """The list reads its rows as columns and asks the assignment step once per kind of claim: each row
    must still show its own article, assignee and verdict, and be offered for assignment exactly when
    the claim itself would let this viewer assign it."""
    editor, checker = make.user("editor"), make.user("checker")
    open_claim = make.claim(editor=editor)
    assigned = make.assigned_claim(checker, editor=editor)
    final = make.final_claim(verdict="false", checker=checker)
    approved_article = make.article(editor, title="Signed off story")
    locked = claims.add_claim(ctx(), actor=editor, article=approved_article, quote=FIRST_CLAIM)
    db.session.execute(update(Article).where(Article.id == approved_article.id).values(status="approved"))
    db.session.commit()

    page = login_as(editor).get("/claims").get_data(as_text=True)
    offered = {c.id for c in (open_claim, assigned, final, locked) if f'id="select-{c.id}"' in page}
    assert offered == {open_claim.id, assigned.id}
    for claim in (open_claim, assigned, final, locked):
        db.session.refresh(claim)
        assert claims.allowed_actions(ctx().settings, editor, claim).assign == (claim.id in offered)
        assert f'href="/articles/{claim.article_id}">{escape(claim.article.title)}</a>' in page
    row = page[page.index(f'href="/claims/{assigned.id}"'):]
    assert escape(checker.display_name) in row[:row.index("</tr>")]
    row = page[page.index(f'href="/claims/{final.id}"'):]
    assert "False" in row[:row.index("</tr>")]  # its verdict, as the claim page words it
    assert 'id="select-' not in login_as(checker).get("/claims").get_data(as_text=True)
