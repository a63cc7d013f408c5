"""Notes: Markdown rendered safely; @mentions notify."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.errors import NotFound, PermissionDenied, ValidationFailed
from factcheck.extensions import db
from factcheck.models import AuditEvent, Notification
from factcheck.services import notes
from tests.support.context import ctx


@pytest.mark.parametrize("source, present, absent", [
    ("**bold** and _em_", ["<strong>bold</strong>", "<em>em</em>"], []),
    ("<script>alert(1)</script>", ["&lt;script&gt;"], ["<script>"]),
    ("<img src=x onerror=alert(1)>", ["&lt;img"], ["<img", "onerror"]),
    ("[x](javascript:alert(1))", [], ["javascript:"]),
    ("<a href='https://x.example'>raw html link</a>", ["&lt;a href"], ["href='https"]),
    ("[report](https://stats.example/r)", ['href="https://stats.example/r"', 'rel="nofollow noopener noreferrer"'], []),
    ("[x](https://x.example \"t\" onclick=steal)", [], ["onclick"]),
])
def test_markdown_is_sanitised(source, present, absent):
    """``absent`` fragments must not appear inside any tag (escaped text is harmless)."""
    html = str(notes.render_markdown(source))
    tags = re.findall(r"<[^>]*>", html)
    for fragment in present:
        assert fragment in html
    for fragment in absent:
        assert not any(fragment in tag for tag in tags), html


def test_mentions_notify_the_people_named(make):
    checker = make.user("checker", email="chen@desk.example")
    other = make.user("checker", email="carla@desk.example")
    editor = make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)
    notes.add_note(ctx(), actor=editor, claim=claim,
                   body="@chen please look at the 2019 figure; cc @carla@desk.example and @nobody. Mail x@y.example")
    recipients = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "mention")))
    assert recipients == {checker.id, other.id}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "note.added"))
    assert set(event.changes["mentions"]["after"]) == {"chen@desk.example", "carla@desk.example"}


def test_note_rules(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    with pytest.raises(ValidationFailed, match="empty"):
        notes.add_note(ctx(), actor=checker, claim=claim, body="   ")
    with pytest.raises(ValidationFailed, match="at most"):
        notes.add_note(ctx(), actor=checker, claim=claim, body="x" * 10_001)
    with pytest.raises(PermissionDenied):
        notes.add_note(ctx(), actor=make.user("manager"), claim=claim, body="hello")


# ---- threads -------------------------------------------------------------------------------------

def _named(make, role: str, name: str, email: str):
    """A colleague with a real name (the factory numbers them: "Checker 3")."""
    user = make.user(role, email=email)
    user.display_name = name
    db.session.commit()
    return user


def test_a_reply_sits_under_its_note_and_a_reply_to_a_reply_joins_the_thread(make):
    checker, editor = make.user("checker"), make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)
    first = notes.add_note(ctx(), actor=checker, claim=claim, body="Which year is the figure from?")
    second = notes.add_note(ctx(), actor=editor, claim=claim, body="A separate question.")
    reply = notes.add_note(ctx(), actor=editor, claim=claim, body="2019, from the minutes.", reply_to=first.id)
    answer = notes.add_note(ctx(), actor=checker, claim=claim, body="Thanks, found it.", reply_to=reply.id)
    assert (reply.parent_id, answer.parent_id) == (first.id, first.id)  # one level deep
    db.session.expire_all()
    threads = notes.threads(claim.notes)
    assert [(t.note.id, [r.id for r in t.replies]) for t in threads] == [(first.id, [reply.id, answer.id]),
                                                                        (second.id, [])]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "note.added",
                                                       AuditEvent.object_id == reply.id))
    assert event.changes["reply_to"] == {"before": None, "after": first.id}


def test_a_reply_tells_the_threads_earlier_writers_once(make):
    checker, editor, other = make.user("checker"), make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    first = notes.add_note(ctx(), actor=checker, claim=claim, body="Who has the minutes?")
    notes.add_note(ctx(), actor=other, claim=claim, body="Not me.", reply_to=first.id)
    notes.add_note(ctx(), actor=editor, claim=claim, body=f"I do, @{other.email}.", reply_to=first.id)
    sent = [(n.user_id, n.kind) for n in db.session.scalars(
        select(Notification).where(Notification.kind.in_(["reply", "mention"])).order_by(Notification.id))]
    # the other checker's reply told the opener; the editor's told the opener, and named the other
    assert sent == [(checker.id, "reply"), (other.id, "mention"), (checker.id, "reply")]


def test_a_reply_to_a_note_of_another_claim_is_refused(make):
    checker = make.user("checker")
    claim, elsewhere = make.assigned_claim(checker), make.assigned_claim(checker)
    note = notes.add_note(ctx(), actor=checker, claim=elsewhere, body="On the other claim.")
    with pytest.raises(NotFound):
        notes.add_note(ctx(), actor=checker, claim=claim, body="Reply", reply_to=note.id)


def test_a_manager_reads_and_may_answer_once_mentioned(make):
    checker, manager = make.user("checker"), _named(make, "manager", "Mona Manager", "mona@desk.example")
    claim = make.assigned_claim(checker)
    with pytest.raises(PermissionDenied, match="once someone mentions you"):
        notes.add_note(ctx(), actor=manager, claim=claim, body="May I?")
    question = notes.add_note(ctx(), actor=checker, claim=claim, body="@[Mona Manager] can we publish this today?")
    db.session.expire_all()
    answer = notes.add_note(ctx(), actor=manager, claim=claim, body="Yes, after legal.", reply_to=question.id)
    assert answer.parent_id == question.id
    with pytest.raises(PermissionDenied):  # mentioned on one claim, not on another
        notes.add_note(ctx(), actor=manager, claim=make.assigned_claim(checker), body="And here?")


# ---- mentions ------------------------------------------------------------------------------------

@pytest.fixture
def newsroom(make):
    return {"chen": _named(make, "checker", "Chen Li", "chen@desk.example"),
            "carla": _named(make, "checker", "Carla Checker", "carla@desk.example"),
            "cc": _named(make, "editor", "Chen Li", "chen.li@other.example"),
            "mona": _named(make, "manager", "Mona Manager", "mona@desk.example")}


def _mentions(make, body: str) -> set[int]:
    author = make.user("editor")
    claim = make.assigned_claim(make.user("checker"), editor=author)
    notes.add_note(ctx(), actor=author, claim=claim, body=body)
    return set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "mention",
                                                                     Notification.claim_id == claim.id)))


def test_a_full_name_or_an_email_names_exactly_one_person(make, newsroom):
    assert _mentions(make, "@[Carla Checker] please look") == {newsroom["carla"].id}
    assert _mentions(make, "@[carla  checker], and @chen.li@other.example") == {newsroom["carla"].id,
                                                                              newsroom["cc"].id}
    assert _mentions(make, "@chen@desk.example and @mona") == {newsroom["chen"].id, newsroom["mona"].id}


def test_a_few_letters_mention_nobody(make, newsroom):
    """No wildcard: ``@c`` is not everyone whose name or e-mail begins with c."""
    assert _mentions(make, "@c and @ch and @Che can you check?") == set()


def test_an_ambiguous_name_is_refused_listing_the_candidates(make, newsroom):
    author = make.user("editor")
    claim = make.assigned_claim(make.user("checker"), editor=author)
    with pytest.raises(ValidationFailed) as refused:
        notes.add_note(ctx(), actor=author, claim=claim, body="@[Chen Li] please")
    assert "Chen Li (chen.li@other.example) or Chen Li (chen@desk.example)" in refused.value.message
    assert db.session.scalars(select(Notification).where(Notification.kind == "mention")).all() == []


def test_an_unknown_name_is_refused_with_the_nearest_people(make, newsroom):
    author = make.user("editor")
    claim = make.assigned_claim(make.user("checker"), editor=author)
    with pytest.raises(ValidationFailed, match=r"Nobody on the desk is called “Carla”\. Did you mean Carla Checker"):
        notes.add_note(ctx(), actor=author, claim=claim, body="@[Carla] please")


def test_suggestions_match_the_beginning_of_a_word_and_choosing_writes_an_exact_token(make, newsroom):
    found = notes.mention_choices(db.session, "ch")
    assert [(u.email, token) for u, token in found] == [
        ("carla@desk.example", "@[Carla Checker]"),  # "Checker" begins with ch
        ("chen.li@other.example", "@chen.li@other.example"),  # two people are called Chen Li: the e-mail
        ("chen@desk.example", "@chen@desk.example"),
    ]
    assert [u.email for u in notes.mention_suggestions(db.session, "li")] == ["chen.li@other.example",
                                                                              "chen@desk.example"]
    assert notes.mention_suggestions(db.session, "%") == [] and notes.mention_suggestions(db.session, "") == []
    assert [u.email for u, _ in notes.mention_choices(db.session, "mona@")] == ["mona@desk.example"]
