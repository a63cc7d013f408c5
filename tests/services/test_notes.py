"""Notes: Markdown rendered safely; @mentions notify."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.errors import PermissionDenied, ValidationFailed
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
