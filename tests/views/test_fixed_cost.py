"""What every request pays before its page's own work, in SQL statements (issue 15): the sign-in form
none, /healthz one, a signed-in page one (the signed-in device with its user, roles and the
navigation's counts), and a form sent reads nothing again once its change is committed."""
from __future__ import annotations

import re

import pytest

from tests.support.statements import user_reads


def _reads(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s]


def test_the_sign_in_form_runs_no_statement_and_healthz_one(client, count_queries):
    client.get("/login")
    with count_queries() as form:
        assert client.get("/login").status_code == 200
    with count_queries() as health:
        assert client.get("/healthz").status_code == 200
    assert form == []
    assert len(health) == 1, health


@pytest.mark.parametrize("role", ["checker", "editor", "manager", "admin"])
def test_a_signed_in_page_pays_one_statement_before_its_own(login_as, count_queries, role, database_url):
    """The account page shows only the layout and its forms: whatever it runs is the fixed part. The
    device's session, its user, roles and the navigation's badges are one statement (two before), run
    after any commit (here the sign-in's); on SQLite none while nothing has been committed since, the
    row kept (users.session_user; tests/views/test_signed_in_user_kept.py plays what may end it)."""
    client = login_as(role)
    with count_queries() as seen:
        assert client.get("/account/password").status_code == 200
    assert len(seen) == 1, seen
    assert "user_sessions.token_hash" in seen[0] and "notifications.read_at IS NULL" in seen[0]
    with count_queries() as again:
        assert client.get("/account/password").status_code == 200
    assert again == seen * user_reads(database_url), again


def test_the_badges_read_with_the_user_follow_what_the_request_wrote(make, login_as, count_queries):
    """Opening a claim reads its notifications; the badges read with the signed-in user, before that
    write, are not the ones the page shows: the header reads them again after the write."""
    checker = make.user("checker")
    first, _second = make.assigned_claim(checker), make.assigned_claim(checker)
    client = login_as(checker)
    assert re.search(r"Notifications <span class=\"count-badge\">2<", client.get("/account/password").get_data(as_text=True))
    with count_queries() as seen:
        page = client.get(f"/claims/{first.id}").get_data(as_text=True)
    assert re.search(r"Notifications <span class=\"count-badge\">1<", page), page
    assert any(s.lstrip().upper().startswith("UPDATE NOTIFICATIONS") for s in seen)
    with count_queries() as seen:
        page = client.get(f"/claims/{first.id}").get_data(as_text=True)  # nothing left to read: no write
    assert re.search(r"Notifications <span class=\"count-badge\">1<", page)
    assert sum("notifications.read_at IS NULL" in s for s in seen) == 2, seen  # with the user; the claim's unread check


def test_a_form_sent_or_a_fragment_reads_the_user_without_the_badges(make, login_as, count_queries):
    """What answers without the layout (a redirect after a form, the presence heartbeat, the mention
    suggestions) reads the signed-in user alone."""
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    client = login_as(editor)
    client.get(f"/claims/{claim.id}")
    with count_queries() as seen:
        assert client.submit(f"/claims/{claim.id}/notes", {"body": "Checked."}).status_code == 302
        assert client.submit(f"/claims/{claim.id}/presence").status_code == 200
        assert client.get("/people/mentions?q=a").status_code == 200
    signed_in = [s for s in seen if "user_sessions.token_hash" in s]
    assert len(signed_in) >= 3 and not any("notifications.read_at IS NULL" in s for s in signed_in), signed_in


def test_a_note_sent_reads_nothing_again_after_its_commit(make, login_as, count_queries):
    """The commit expires what the request loaded; neither the redirect to the claim nor the access
    log's user id may load the claim or the user again."""
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    client = login_as(editor)
    with count_queries() as seen:
        response = client.submit(f"/claims/{claim.id}/notes", {"body": "Checked against the 2019 report."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/claims/{claim.id}")
    written = next(n for n, s in enumerate(seen) if s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS"))
    after = seen[written + 1:]
    assert _reads(after, "users") == [] and _reads(after, "claims") == [], after
    assert len(_reads(seen, "users")) == 1, seen  # the signed-in user, once


def test_the_signed_in_users_roles_read_with_its_row_follow_a_change_of_them(make, login_as):
    """The signed-in user's roles come with its row and are kept on the instance until it is expired:
    an admin who gives up the admin role sees the change at once, on the very next request."""
    make.user("admin")  # another admin, so this one may step down
    admin = make.user("admin")
    client = login_as(admin)
    assert client.get("/users").status_code == 200
    response = client.submit(f"/users/{admin.id}/roles", {f"u{admin.id}-roles": ["editor"]})
    assert response.status_code == 302
    assert client.get("/users").status_code == 403
    assert client.get("/review").status_code == 200


def test_the_serving_process_freezes_its_start_up_heap_once_and_collects_the_young_less_often(database_url):
    """wsgi.py (what gunicorn's workers import) settles the heap after building the app; create_app
    alone does not, since the tests build many apps in one process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import app_environment

    probe = ("import gc; from factcheck import create_app, YOUNG_COLLECTION_THRESHOLD; "
             "create_app(); print(gc.get_freeze_count(), gc.get_threshold()[0]); "
             "import wsgi; print(gc.get_freeze_count() > 100_000, gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD)")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **app_environment(database_url), "FACTCHECK_SECRET_KEY": "x"})
    assert done.returncode == 0, done.stderr
    app_only, served = done.stdout.split("\n")[:2]
    assert app_only == "0 700"
    assert served == "True True"
