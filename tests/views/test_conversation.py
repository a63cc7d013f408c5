"""The conversation and the live parts of a claim's page, through HTTP: replies from a plain form,
refused mentions kept where they were typed, the @-suggestions, the presence heartbeat, and the
notifications page grouped by claim."""
from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Note
from factcheck.services import notes
from tests.support.context import ctx


def _named(make, role: str, name: str, email: str):
    user = make.user(role, email=email)
    user.display_name = name
    db.session.commit()
    return user


def test_a_reply_from_the_plain_form_lands_under_its_note(make, login_as):
    checker, editor = make.user("checker"), make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)
    note = notes.add_note(ctx(), actor=editor, claim=claim, body="Is the 2019 figure in the minutes?")
    client = login_as(checker)
    response = client.submit(f"/claims/{claim.id}/notes", {"body": "Yes, page 4.", "reply_to": note.id})
    assert response.status_code == 302
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Reply posted." in page
    thread = page[page.index(f'id="note-{note.id}"'):]
    replies = thread[thread.index('<ol class="replies"'):thread.index("</ol>")]
    assert "Yes, page 4." in replies
    assert db.session.scalar(select(Note.parent_id).where(Note.body == "Yes, page 4.")) == note.id


def test_an_empty_reply_is_refused_in_its_own_thread(make, login_as):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    note = notes.add_note(ctx(), actor=checker, claim=claim, body="First.")
    response = login_as(checker).submit(f"/claims/{claim.id}/notes", {"body": "  ", "reply_to": note.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'<details class="reply-box" open>.*id="reply-{note.id}-error"', page, re.S)
    assert 'id="body-error"' not in page  # the new-note form is not the one in error


def test_an_ambiguous_mention_is_told_beside_the_note_with_the_text_kept(make, login_as):
    _named(make, "checker", "Chen Li", "chen@desk.example")
    _named(make, "checker", "Chen Li", "chen.li@other.example")
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    response = login_as(checker).submit(f"/claims/{claim.id}/notes", {"body": "@[Chen Li] the date?"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="body-error" role="alert">(.*?)</p>', page, re.S).group(1)
    assert "could mean Chen Li (chen.li@other.example) or Chen Li (chen@desk.example)" in error
    assert ">@[Chen Li] the date?</textarea>" in page


def test_a_manager_sees_the_conversation_and_answers_only_when_mentioned(make, login_as):
    checker = make.user("checker")
    manager = _named(make, "manager", "Mona Manager", "mona@desk.example")
    claim = make.assigned_claim(checker)
    note = notes.add_note(ctx(), actor=checker, claim=claim, body="Publishing tonight?")
    client = login_as(manager)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Publishing tonight?" in page and 'id="note-form"' not in page and "Post reply" not in page
    assert client.submit(f"/claims/{claim.id}/notes", {"body": "Yes", "reply_to": note.id}).status_code == 403
    notes.add_note(ctx(), actor=checker, claim=claim, body="@mona can you confirm?", reply_to=note.id)
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert 'id="note-form"' in page and "Post reply" in page
    assert client.submit(f"/claims/{claim.id}/notes", {"body": "Yes", "reply_to": note.id}).status_code == 302


def test_mention_suggestions_are_a_small_json_list(make, login_as):
    _named(make, "checker", "Chen Li", "chen@desk.example")
    _named(make, "editor", "Carla Checker", "carla@desk.example")
    client = login_as("checker")
    found = client.get("/people/mentions?q=che").get_json()
    assert [(p["label"], p["token"]) for p in found] == [
        ("Carla Checker (carla@desk.example)", "@[Carla Checker]"), ("Chen Li (chen@desk.example)", "@[Chen Li]")]
    assert client.get("/people/mentions?q=%25").get_json() == []
    assert client.get("/people/mentions").get_json() == []


def test_the_heartbeat_tells_others_and_needs_the_csrf_token(make, login_as, new_client):
    checker, editor = make.user("checker"), make.user("editor")
    claim = make.assigned_claim(checker, editor=editor)
    working = login_as(checker)
    assert working.post(f"/claims/{claim.id}/presence").status_code == 400  # no CSRF token
    answer = working.post(f"/claims/{claim.id}/presence", headers={"X-CSRFToken": working.csrf_token()})
    assert answer.status_code == 200 and "has this claim open" not in answer.get_data(as_text=True)
    reading = login_as(editor)
    page = reading.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert re.search(rf"<strong>{checker.display_name}</strong> has this claim open since "
                     r'<time datetime="[^"]+">\d\d:\d\d</time> UTC', page)
    assert "has this claim open" in reading.get(f"/claims/{claim.id}/presence").get_data(as_text=True)
    assert reading.get("/claims/999999/presence").status_code == 404


def test_the_notifications_page_groups_by_claim(make, login_as):
    checker, editor = make.user("checker"), make.user("editor")
    first, second = make.assigned_claim(checker, editor=editor), make.assigned_claim(checker, editor=editor)
    notes.add_note(ctx(), actor=editor, claim=first, body=f"@{checker.email} see the minutes")
    client = login_as(checker)
    page = client.get("/notifications").get_data(as_text=True)
    groups = re.findall(r'id="notifications-claim-(\d+)"', page)
    assert groups == [str(first.id), str(second.id)]
    assert "2 notifications, <strong class=\"badge unread-badge\">2 new</strong>" in page
    assert re.search(r"Notifications <span class=\"count-badge\">3<", page)
    client.get(f"/claims/{first.id}")
    page = client.get("/notifications").get_data(as_text=True)
    assert re.search(r"Notifications <span class=\"count-badge\">1<", page)
    assert "1 unread</span></summary>" in page  # the phone menu's badge says the same
