"""A form sent twice is carried out once (issue 12, point 5: "one note was saved while its author was
told it failed, so a retry made a duplicate").

Every POST form of the pages carries a fresh idempotency key; the key is used up in the transaction
of the change it made, so a copy of the submission (a double click, a retry after a lost or failed
answer, two copies at once) changes nothing more and is told so, while a submission whose change
failed can be sent again."""
from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent, IdempotencyKey, Note
from factcheck.services import idempotency, notes
from factcheck.services.context import Context
from factcheck.views.idempotency import ALREADY_SAVED
from tests.security.test_hostile_input import POSTS, World, _body, _evidence_data, _row_counts
from tests.support.context import ctx
from tests.support.html_forms import form_posting_to, forms_of

# The two forms that end the person's session: once signed out there is no one to check a key for,
# and doing either again changes nothing (factcheck/views/idempotency.py).
SIGNING_OUT = {"/logout", "/account/sign-out-everywhere"}
KEY = "k" * 24


def _page(client: Any, url: str) -> str:
    response = client.get(url, follow_redirects=True)  # "/" sends each person to their start page
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _events(action: str) -> int:
    return _count(AuditEvent, AuditEvent.action == action)


def _told_already_saved(client: Any, response: Any) -> bool:
    if response.status_code != 302:
        return False
    return ALREADY_SAVED in _page(client, response.headers["Location"])


# ---- (a) every form of every page carries a key --------------------------------------------------

def _pages(world: World, make: Any, login_as: Any) -> list[tuple[Any, str]]:
    """(client, url) for the pages with forms, seen by each role, with objects in every state that
    offers a form: claims open, assigned, with evidence, proposed, final (true and false), suggested,
    orphaned by a revision; articles with those claims, and approved."""
    admin, checker = world.clients["admin"], world.clients["checker"]
    editor, manager = login_as("editor"), login_as("manager")
    assigned, (with_evidence, item) = world.assigned(), world.with_evidence()
    suggested, final = world.suggested(), world.make.final_claim(reviewer=world.admin, editor=world.admin)
    proposed, open_claim = world.proposed(), world.claim()
    false, orphaned = world.make.final_claim(verdict="false", reviewer=world.admin), world.orphaned()
    from factcheck.services import tokens

    tokens.issue_token(ctx(), actor=world.admin, user=world.checker, name="Bot", scopes=["read"], days=30)
    from factcheck.services import notes

    # A note starts a thread: the claim page then shows its reply form too.
    notes.add_note(ctx(), actor=world.checker, claim=assigned, body="Started on the council minutes.")
    approved = world.approved()
    everyone = [admin, checker, editor, manager]
    pages = [(client, url) for client in everyone
             for url in ("/claims", "/articles", "/queue", "/review", "/notifications", "/account/password")]
    pages += [(client, f"/claims/{claim.id}") for client in everyone
              for claim in (assigned, with_evidence, suggested, final, proposed, open_claim, false, orphaned)]
    pages += [(client, f"/articles/{article_id}") for client in everyone
              for article_id in (suggested.article_id, final.article_id, approved.id, open_claim.article_id)]
    pages += [(checker, f"/claims/{with_evidence.id}/evidence/{item.id}/edit"),
              (admin, "/articles/new"), (editor, "/articles/new"), (admin, f"/articles/{open_claim.article_id}/revise"),
              (admin, "/users"), (admin, "/audit"), (manager, "/audit"), (world.anonymous, "/login"),
              (admin, "/webhooks"), (admin, f"/webhooks/{world.webhook().id}"), (admin, f"/jobs/{world.failed_job().id}")]
    return pages


def test_every_post_form_of_every_page_carries_a_key_of_its_own(app, make, login_as):
    world = World(app, make, login_as)
    make.assigned_claim(world.checker)  # an unread notification: the "mark all as read" form
    pages = _pages(world, make, login_as)
    db.session.commit()
    seen: set[str] = set()
    checked = 0
    adapter = app.url_map.bind("localhost")
    for client, url in pages:
        html = _page(client, url)
        keys = []
        for form in forms_of(html):
            if form.method != "post":
                assert idempotency.FIELD not in {name for name, _v, _t in form.fields}, (url, form.action)
                continue
            action = form.action or url
            if action in SIGNING_OUT:
                continue
            found = form.values(idempotency.FIELD)
            assert len(found) == 1, f"the form posting to {action} on {url} has {len(found)} keys"
            keys.append(found[0])
            seen.add(adapter.match(action.split("#")[0], method="POST")[0])
            checked += 1
        assert len(set(keys)) == len(keys), f"{url}: two forms share a key"
    # The walk reached the forms of every page route that changes something (the sign-outs aside).
    assert seen == set(POSTS) - {"auth.logout", "auth.sign_out_everywhere", *HEARTBEATS}, set(POSTS) - seen
    assert checked > 100


def test_a_page_loaded_again_gives_its_forms_new_keys(make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    first, second = (form_posting_to(_page(client, f"/claims/{claim.id}"), f"/claims/{claim.id}/notes")
                     for _ in range(2))
    assert first.values(idempotency.FIELD) != second.values(idempotency.FIELD)


# ---- (b) every write, sent twice with one key, is carried out once --------------------------------

# A claim page's "I have this open" heartbeat is posted by htmx, not a form a person sends: it changes
# nothing of the record, and a repeated one only says the same thing again.
HEARTBEATS = {"conversation.presence_now"}


@pytest.mark.parametrize("endpoint", sorted(set(POSTS) - {"auth.login", "auth.logout", "auth.sign_out_everywhere",
                                                          *HEARTBEATS}))
def test_every_form_sent_twice_with_one_key_is_carried_out_once(app, make, login_as, endpoint):
    spec = POSTS[endpoint]
    world = World(app, make, login_as)
    make.assigned_claim(world.checker)  # something for "mark all as read" to do
    client = world.clients[spec.role]
    url, pairs = spec.build(world)
    db.session.commit()
    body = _body([("csrf_token", client.csrf_token()), *pairs, (idempotency.FIELD, KEY)])

    events = _count(AuditEvent)
    first = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert first.status_code < 400, (endpoint, first.status_code, first.get_data(as_text=True)[:1000])
    assert _count(AuditEvent) > events, f"{endpoint} wrote nothing: the test would prove nothing"
    assert _count(IdempotencyKey) == 1
    after_first = _row_counts(set())

    again = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert _row_counts(set()) == after_first, endpoint  # nothing more, in any table
    assert again.status_code == 302, (endpoint, again.status_code)
    if first.status_code == 302:  # sent where the first answer sent the person
        assert again.headers["Location"] == first.headers["Location"]
    assert _told_already_saved(client, again), endpoint


def test_the_same_key_with_other_content_is_another_submission(make, login_as):
    """A stale page (the back button) still holds a key that was used: what is typed into it now is
    new, and is saved."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    for body in ("First thought.", "Second thought."):
        response = client.submit(f"/claims/{claim.id}/notes", {"body": body, idempotency.FIELD: KEY})
        assert response.status_code == 302
        assert ALREADY_SAVED not in _page(client, response.headers["Location"])
    assert _count(Note, Note.claim_id == claim.id) == 2


def test_posts_without_a_key_run_as_before(make, login_as):
    """A page opened before the deploy sends no key (or a mangled one): the post is accepted as always."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    for extra in ({}, {}, {idempotency.FIELD: "short"}, {idempotency.FIELD: "x" * 65}, {idempotency.FIELD: "a b" * 9}):
        assert client.submit(f"/claims/{claim.id}/notes", {"body": "No key.", **extra}).status_code == 302
    assert _count(Note, Note.claim_id == claim.id) == 5
    assert _count(IdempotencyKey) == 0


def test_one_person_s_key_does_not_stop_another_s_submission(make, login_as):
    claim = make.assigned_claim(make.user("checker"))
    for client in (login_as("editor"), login_as("editor")):
        response = client.submit(f"/claims/{claim.id}/notes", {"body": "Same words.", idempotency.FIELD: KEY})
        assert ALREADY_SAVED not in _page(client, response.headers["Location"])
    assert _count(Note, Note.claim_id == claim.id) == 2


# ---- (c) the outage story -------------------------------------------------------------------------

def test_a_note_saved_whose_answer_failed_is_not_saved_again_by_the_retry(app: Flask, make, login_as):
    """The story of the issue: the note is committed, then the database goes away before the answer
    is made. The author is told the truth (503, "was saved"); should they send it again anyway, it
    is there once, and they are told it was saved."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    page_url = f"/claims/{claim.id}"
    form = form_posting_to(_page(client, page_url), f"{page_url}/notes")
    data = form.data(body="The minutes of 4 March give 210 million.")

    broken = {"once": True}

    def database_gone(response: Any) -> Any:
        if broken.pop("once", False):
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        return response

    # Registered after the app served requests, as Flask allows only through its internals; and the
    # error answered as in production (a test app passes it on to the test instead).
    app.after_request_funcs.setdefault(None, []).append(database_gone)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    referrer = {"Referer": f"http://localhost{page_url}"}
    failed = client.post(f"{page_url}/notes", data=data, headers=referrer)
    assert failed.status_code == 503
    assert "was saved" in failed.get_data(as_text=True) and "not saved" not in failed.get_data(as_text=True)
    assert _count(Note, Note.claim_id == claim.id) == 1

    retried = client.post(f"{page_url}/notes", data=data, headers=referrer)
    assert retried.status_code == 302 and retried.headers["Location"] == page_url
    assert ALREADY_SAVED in _page(client, page_url)
    assert _count(Note, Note.claim_id == claim.id) == 1
    assert _events("note.added") == 1


def test_a_retry_after_a_lost_answer_goes_where_the_first_answer_went(make, login_as):
    editor = login_as("editor")
    page = _page(editor, "/articles/new")
    form = form_posting_to(page, "/articles/new", page="/articles/new")
    data = form.data(title="Harbour traffic", text="The harbour handled 12 ships on Monday, the port office said.\n")
    first = editor.post("/articles/new", data=data)  # ... and the answer never arrives
    assert first.status_code == 302 and first.headers["Location"].startswith("/articles/")
    again = editor.post("/articles/new", data=data)
    assert again.headers["Location"] == first.headers["Location"]  # the new article, not an empty form
    assert _events("article.created") == 1


# ---- (d) a failed write does not use the key up ---------------------------------------------------

def test_a_refused_submission_can_be_sent_again_with_the_same_key(make, login_as):
    """Sent before the claim was the checker's: refused, nothing saved, key unused. Once it is
    theirs, the same submission (same key, same content) goes through."""
    checker = make.user("checker")
    claim = make.claim()
    client = login_as(checker)
    data = {**dict(_evidence_data()), idempotency.FIELD: KEY}
    refused = client.submit(f"/claims/{claim.id}/evidence", data)
    assert refused.status_code == 403
    assert _count(IdempotencyKey) == 0
    _assign(make, claim, checker)
    accepted = client.submit(f"/claims/{claim.id}/evidence", data)
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[:800]
    assert ALREADY_SAVED not in _page(client, accepted.headers["Location"])
    assert _events("evidence.added") == 1 and _count(IdempotencyKey) == 1


def _assign(make: Any, claim: Any, checker: Any) -> None:
    from factcheck.services import claims

    claims.assign(ctx(), actor=make.user("editor"), claim=claim, assignee=checker, due_date=None, priority="normal")


def test_a_commit_that_fails_leaves_the_key_unused(app: Flask, make, login_as):
    """The database fails at the commit of the note (an outage): 503, nothing saved, and the same
    submission sent again once the database is back is saved, once."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    data = {"body": "Sent during the outage.", idempotency.FIELD: KEY}
    failing = {"once": True}

    @sa.event.listens_for(db.engine, "commit")
    def database_gone(connection: Any) -> None:
        if failing.pop("once", False):
            raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    try:
        failed = client.submit(f"/claims/{claim.id}/notes", data)
    finally:
        sa.event.remove(db.engine, "commit", database_gone)
    assert failed.status_code == 503 and "not saved" in failed.get_data(as_text=True)
    assert _count(Note, Note.claim_id == claim.id) == 0 and _count(IdempotencyKey) == 0
    retried = client.submit(f"/claims/{claim.id}/notes", data)
    assert retried.status_code == 302 and ALREADY_SAVED not in _page(client, retried.headers["Location"])
    assert _count(Note, Note.claim_id == claim.id) == 1 and _count(IdempotencyKey) == 1


def test_a_form_refused_for_its_content_comes_back_with_a_new_key_and_uses_none(make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    refused = client.submit(f"/claims/{claim.id}/notes", {"body": "   ", idempotency.FIELD: KEY})
    assert refused.status_code == 422
    assert _count(IdempotencyKey) == 0
    shown_again = form_posting_to(refused.get_data(as_text=True), f"/claims/{claim.id}/notes")
    assert shown_again.values(idempotency.FIELD) != [KEY] and len(shown_again.values(idempotency.FIELD)) == 1
    assert client.submit(f"/claims/{claim.id}/notes", shown_again.data(body="Now with words.")).status_code == 302
    assert _count(Note, Note.claim_id == claim.id) == 1 and _count(IdempotencyKey) == 1


# ---- (e) two copies at the same moment ------------------------------------------------------------

def test_two_copies_committing_at_once_make_one_note(app: Flask, make):
    """Both copies passed the look-up before either committed. Whichever commits first wins; the
    other meets its key as it commits (the key is taken at commit, like the audit chain's link) and
    is rolled back whole: one note, one key, one unbroken chain."""
    from factcheck.models import Claim, User
    from factcheck.services import audit

    checker = make.user("checker")
    claim_id, checker_id = make.assigned_claim(checker).id, checker.id
    db.session.commit()
    runtime = app.extensions["factcheck"]
    key = "c" * 64
    first, second = sa.orm.Session(db.engine), sa.orm.Session(db.engine)
    outcome: dict[str, str] = {}

    def second_copy() -> None:
        try:
            idempotency.expect(second, checker_id, key, runtime.now())
            notes.add_note(Context.of(second, runtime), actor=second.get(User, checker_id),
                           claim=second.get(Claim, claim_id), body="Two copies of one note.")
            outcome["second"] = "committed"
        except idempotency.AlreadySaved:
            outcome["second"] = "already saved"
        except Exception as error:
            outcome["second"] = repr(error)

    try:
        # The first copy has written its note and recorded its event, but not committed.
        context = Context.of(first, runtime)
        idempotency.expect(first, checker_id, key, runtime.now())
        note = Note(claim_id=claim_id, author_id=checker_id, body="Two copies of one note.")
        first.add(note)
        first.flush()
        audit.record(context, actor=first.get(User, checker_id), action="note.added", object_type="note",
                     object_id=note.id)
        thread = threading.Thread(target=second_copy)
        thread.start()
        thread.join(timeout=5.0)  # SQLite: the first holds the one writer lock, so the second waits
        try:
            first.commit()
            outcome["first"] = "committed"
        except idempotency.AlreadySaved:
            first.rollback()
            outcome["first"] = "already saved"
        thread.join(timeout=30)
        assert sorted(outcome.values()) == ["already saved", "committed"], outcome
    finally:
        first.close()
        second.close()
    assert _count(Note, Note.claim_id == claim_id) == 1
    assert _count(IdempotencyKey) == 1
    assert audit.verify(ctx()).intact


def test_two_copies_sent_at_once_through_the_pages_make_one_note_and_no_error(app: Flask, make, login_as):
    checker = make.user("checker")
    claim_id = make.assigned_claim(checker).id
    clients = [login_as(checker) for _ in range(4)]
    db.session.commit()
    data = {"body": "Posted with a double click.", idempotency.FIELD: KEY}
    tokens = [client.csrf_token() for client in clients]
    start = threading.Barrier(len(clients))
    answers: list[Any] = [None] * len(clients)

    def send(n: int) -> None:
        with app.app_context():
            start.wait()
            answers[n] = clients[n].post(f"/claims/{claim_id}/notes", data={**data, "csrf_token": tokens[n]})

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [answer.status_code for answer in answers] == [302] * len(clients)
    assert _count(Note, Note.claim_id == claim_id) == 1
    assert _count(IdempotencyKey) == 1


# ---- keeping the table small --------------------------------------------------------------------------

def test_a_person_s_week_old_keys_go_when_they_next_use_one(app: Flask, make, login_as, clock):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    other = login_as("editor")
    assert client.submit(f"/claims/{claim.id}/notes", {"body": "Old.", idempotency.FIELD: "a" * 24}).status_code == 302
    assert other.submit(f"/claims/{claim.id}/notes", {"body": "Old.", idempotency.FIELD: "a" * 24}).status_code == 302
    clock.set(clock.now + idempotency.KEEP_FOR + timedelta(minutes=1))
    assert client.submit(f"/claims/{claim.id}/notes", {"body": "New.", idempotency.FIELD: "b" * 24}).status_code == 302
    kept = db.session.execute(select(IdempotencyKey.user_id, IdempotencyKey.created_at)).all()
    assert sorted(user_id for user_id, _ in kept) == sorted([checker.id, other.user.id])  # the editor's stays
