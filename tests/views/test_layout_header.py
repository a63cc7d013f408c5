"""The layout's signed-in header is rendered once for each distinct header and reused (issue 15):
what it shows must still follow every change, and no session may get another's copy."""
from __future__ import annotations

import re
import time

from factcheck.extensions import db
from factcheck.services import evidence, notifications
from tests.support.context import ctx

_SIGN_OUT_TOKEN = re.compile(r'action="/logout" class="inline">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')
_PAGE_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _tokens(client) -> tuple[str, str]:
    html = client.get("/account/password").get_data(as_text=True)
    sign_out, page = _SIGN_OUT_TOKEN.search(html), _PAGE_TOKEN.search(html)
    assert sign_out and page, html
    return sign_out.group(1), page.group(1)


def test_each_device_of_one_person_gets_its_own_sign_out_token(make, login_as):
    user = make.user("editor")
    first, second = login_as(user), login_as(user)
    first_tokens, second_tokens = _tokens(first), _tokens(second)
    assert first_tokens[0] == first_tokens[1] and second_tokens[0] == second_tokens[1]
    assert first_tokens[0] != second_tokens[0]
    assert _tokens(first) == first_tokens  # the kept header, still this session's token
    assert first.submit("/logout").status_code == 302


def test_the_header_follows_the_badges_and_the_page(make, login_as):
    checker = make.user("checker")
    client = login_as(checker)
    page = client.get("/account/password").get_data(as_text=True)
    assert "unread" not in page and "Review queue" not in page
    notifications.notify(ctx(), recipient=checker, kind="claim.assigned", message="A claim for you")
    db.session.commit()
    page = client.get("/account/password").get_data(as_text=True)
    assert "1 unread" in page
    queue = client.get("/queue").get_data(as_text=True)
    assert re.search(r'href="/queue" aria-current="page"', queue)
    assert not re.search(r'href="/queue" aria-current="page"', page)
    # (a change of roles is followed too: tests/views/test_fixed_cost.py, the admin who steps down)


def test_a_page_without_a_form_shows_the_sessions_token_signed_once(make, login_as):
    """The layout's token comes from security/csrf_tokens (signed once per session), not Flask-WTF's
    generate_csrf, which signs with the current second: the header, kept by its token, is reused."""
    client = login_as(make.user("checker"))
    first = _PAGE_TOKEN.search(client.get("/claims").get_data(as_text=True))
    time.sleep(1.1)
    page = client.get("/claims").get_data(as_text=True)
    again = _PAGE_TOKEN.search(page)
    assert first and again and first.group(1) == again.group(1)
    assert _SIGN_OUT_TOKEN.search(page).group(1) == again.group(1)


def test_the_badges_count_the_checkers_claims_to_do_and_the_verdicts_to_review(make, login_as):
    checker = make.user("checker")
    waiting = make.assigned_claim(checker)
    started = make.assigned_claim(checker)
    evidence.add_evidence(ctx(), actor=checker, claim=started, url="https://example.org/a", title="A", stance="supports")
    make.proposed_claim(checker)  # no longer the checker's to do: the review queue's
    db.session.commit()
    assert {waiting.status, started.status} == {"assigned", "in_progress"}
    assert "2 to check" in login_as(checker).get("/account/password").get_data(as_text=True)
    assert "1 to review" in login_as("editor").get("/account/password").get_data(as_text=True)
