"""The audit log pages: filters, pages, before/after details, timelines, verification and exports."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select, text

from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import audit, audit_log
from factcheck.services.db import transaction
from tests.support.context import ctx
from tests.support.factories import SECOND_CLAIM


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_log_lists_events_with_their_before_and_after_values(make, login_as):
    claim = make.assigned_claim()
    page = _text(login_as("manager").get("/audit"))
    assert "claim.assigned" in page and "<details>" in page
    assert "<th scope=\"row\">status</th><td data-label=\"before\">open</td><td data-label=\"after\">assigned</td>" in page.replace("\n", "").replace("  ", "")
    assert f'href="/audit/timeline/claim/{claim.id}"' in page


def test_the_filters_offer_users_and_recorded_actions(make, login_as):
    editor = make.user("editor")
    make.claim(editor=editor)
    manager = login_as("manager")
    page = _text(manager.get("/audit"))
    assert f'<option value="{editor.id}">' in page and '<option value="claim.created">' in page
    filtered = _text(manager.get(f"/audit?actor={editor.id}&action=claim.created"))
    assert filtered.count('class="action"><code>claim.created') == 1 and "article.created</code>" not in filtered
    assert "export.csv?actor=" in filtered and "action=claim.created" in filtered


@pytest.mark.parametrize("query, message", [
    ("date_from=2024-02-30", "From (UTC): Not a valid date value."),
    ("date_to=yesterday", "To (UTC): Not a valid date value."),
    ("date_from=2024-03-05&date_to=2024-03-01", "The end date is before the start date."),
    ("article=abc", "Article: Not a valid choice."),
    ("article=99999999999999999999", "Article: Not a valid choice."),
    ("object_type=claim&object_id=-3", "Enter a whole number from 1 to 2147483647."),
    ("object_id=3", "Choose the object type that goes with the object id."),
    ("action=no.such.action", "Action: Not a valid choice."),
    ("actor=12345", "Actor: Not a valid choice."),
    ("object_type=%3Cscript%3E", "Object type: Not a valid choice."),
    ("action=" + "x" * 300, "Action: Not a valid choice."),
    ("action=old.kind%00x", "Action: Not a valid choice."),
])
def test_bad_filters_get_a_message_not_an_error(make, login_as, query, message):
    make.article()
    manager = login_as("manager")
    response = manager.get(f"/audit?{query}")
    assert response.status_code == 400
    assert message in _text(response)
    export = manager.get(f"/audit/export.csv?{query}")
    assert export.status_code == 400 and message in _text(export)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "audit.exported")) == 0


def test_a_nul_in_a_kind_of_event_is_dropped_never_looked_up(make, login_as):
    """A requested kind the filter does not offer is looked for in the log; a NUL (which PostgreSQL
    refuses in a query) never reaches it: the form drops NULs, as it does from every field."""
    make.article()
    manager = login_as("manager")
    assert manager.get("/audit?action=article.created%00").status_code == 200
    assert manager.get("/audit?object_type=%00").status_code == 200


def test_cursor_junk_is_ignored(make, login_as):
    make.article()
    for query in ("before=abc", "after=-1", "before=99999999999999999999999"):
        assert login_as("admin").get(f"/audit?{query}").status_code == 200


def test_pages_link_older_and_newer(make, login_as):
    make.article()
    with transaction(db.session):  # 60 events: a page of 50 and one of 10
        for i in range(60):
            audit.record(ctx(), actor=None, action="test.bulk", object_type="test", object_id=i)
    manager = login_as("manager")
    first = _text(manager.get("/audit?action=test.bulk"))
    assert "Older events" in first and "Newer events" not in first
    older_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = _text(manager.get(older_link))
    assert "Newer events" in second and "Older events" not in second
    assert second.count('class="action"><code>test.bulk') == 10
    # Unfiltered, the links are the log's address and the id, as url_for writes them.
    plain = _text(manager.get("/audit"))
    older_id = plain.split('rel="next" href="/audit?before=')[1].split('"')[0]
    deeper = _text(manager.get(f"/audit?before={older_id}"))
    assert f'id="event-{int(older_id) - 1}"' in deeper and 'rel="prev" href="/audit?after=' in deeper


# ---- verification -------------------------------------------------------------------------------------

def test_verify_now_records_and_shows_the_result(make, login_as):
    make.article()
    manager = login_as("manager")
    assert "has not been verified yet" in _text(manager.get("/audit"))
    response = manager.submit("/audit/verify")
    assert response.status_code == 302
    event = audit.last_verification(db.session)
    assert event.actor_id == manager.user.id and event.changes["intact"]["after"] is True
    page = _text(manager.get("/audit"))
    assert "Chain verified" in page and f"{event.changes['count']['after']} events intact" in page
    assert "Audit chain intact" in page  # the flash


def test_verify_needs_the_csrf_token(make, login_as):
    manager = login_as("manager")
    assert manager.post("/audit/verify").status_code == 400
    assert audit.last_verification(db.session) is None


# ---- timelines ----------------------------------------------------------------------------------------

def test_timelines_for_managers_and_for_the_article_s_own_editor(make, login_as):
    author = make.user("editor")
    claim = make.proposed_claim(editor=author)
    evidence_id = claim.evidence[0].id
    own = login_as(author)
    for path in (f"/audit/timeline/article/{claim.article_id}", f"/audit/timeline/claim/{claim.id}",
                 f"/audit/timeline/evidence/{evidence_id}"):
        assert own.get(path).status_code == 200, path
    page = _text(own.get(f"/audit/timeline/claim/{claim.id}"))
    assert page.index("claim.created") < page.index("claim.assigned") < page.index("verdict.proposed")
    assert own.get(f"/audit/timeline/user/{author.id}").status_code == 403
    other_article = make.article()
    refused = own.get(f"/audit/timeline/article/{other_article.id}")
    assert refused.status_code == 403 and "not of this one" in _text(refused)
    assert login_as("checker").get(f"/audit/timeline/claim/{claim.id}").status_code == 403
    manager = login_as("manager")
    assert manager.get(f"/audit/timeline/user/{author.id}").status_code == 200
    assert "Nothing has been recorded" in _text(manager.get("/audit/timeline/claim/999999"))
    assert manager.get("/audit/timeline/claim/abc").status_code == 404


# ---- exports ------------------------------------------------------------------------------------------

def _rows(fmt: str, body: str) -> list[dict]:
    """The event rows of an export, without its final checkpoint line (checked to be there)."""
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        assert rows[-1]["id"] == "checkpoint"
        return rows[:-1]
    rows = [json.loads(line) for line in body.splitlines()]
    assert "checkpoint" in rows[-1]
    return rows[:-1]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_the_export_streams_the_filtered_events(make, login_as, fmt):
    claim = make.final_claim()
    manager = login_as("manager")
    response = manager.get(f"/audit/export.{fmt}?object_type=claim&object_id={claim.id}", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    # Audited and committed before a byte of the body was produced.
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
    assert exported.actor_id == manager.user.id
    assert exported.changes["format"]["after"] == fmt
    assert exported.changes["filters"]["after"] == {"object_type": "claim", "object_id": claim.id}
    chunks = list(response.response)
    response.close()
    assert len(chunks) >= 1
    rows = _rows(fmt, b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks).decode())
    expected = list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "claim",
                                                                AuditEvent.object_id == claim.id).order_by(AuditEvent.id)))
    assert [int(r["id"]) for r in rows] == [e.id for e in expected]
    assert [r["action"] for r in rows] == [e.action for e in expected]
    assert [r["hash"] for r in rows] == [e.hash for e in expected]
    changes = [json.loads(r["changes"]) if fmt == "csv" else r["changes"] for r in rows]
    assert changes == [e.changes for e in expected]
    assert "attachment" in response.headers["Content-Disposition"]


def test_an_unfiltered_jsonl_export_is_the_log_up_to_the_export_and_verifies(make, login_as):
    make.final_claim()
    manager = login_as("manager")
    body = _text(manager.get("/audit/export.jsonl"))
    lines = body.splitlines()
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
    assert json.loads(lines[-2])["id"] == exported.id - 1
    assert json.loads(lines[-2])["hash"] == exported.prev_hash
    assert json.loads(lines[-1])["checkpoint"]["head"] == {"id": exported.id - 1, "hash": exported.prev_hash,
                                                          "seq": exported.seq - 1}
    report = audit.verify_archive(lines, db.session, key=ctx().settings.audit_key)
    assert report.intact and report.matched_live == len(lines) - 1 == exported.id - 1


def test_the_cli_checks_an_archive(app, make, login_as, tmp_path):
    make.claim()
    path = tmp_path / "audit.jsonl"
    path.write_text(_text(login_as("manager").get("/audit/export.jsonl")))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify-archive", str(path)])
    assert result.exit_code == 0 and "match the live log" in result.output, result.output
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:1] + lines[2:]))
    broken = runner.invoke(args=["audit", "verify-archive", str(path), "--offline"])
    assert broken.exit_code == 1 and "BROKEN" in broken.output


def test_unknown_export_formats_are_not_found(login_as):
    assert login_as("manager").get("/audit/export.xml").status_code == 404


def test_history_reads_like_a_newsroom_not_a_database(make, login_as):
    """Names instead of user ids, words instead of offsets and empty lists, article titles in the log."""
    editor = make.user("editor")
    checker = make.user("checker")
    claim = make.claim(editor=editor)
    from factcheck.services import claims as claim_service

    claim_service.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date(2030, 11, 30),
                         priority="urgent")
    page = login_as(editor).get(f"/claims/{claim.id}").get_data(as_text=True)
    history = page.split('id="history-panel"', 1)[1]
    assert f"assigned to: {checker.display_name}" in history and "due: 30 Nov 2030" in history
    assert "priority: normal → urgent" in history
    assert "assignee_id" not in history and "start:" not in history and "via: []" not in history
    log = login_as("manager").get("/audit").get_data(as_text=True)
    assert f">{claim.article.title}</a>" in log and f"assigned to: {checker.display_name}" in log


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(client, login_as):
    """An e-mail typed at sign-in by anyone, signed in or not, lands in the log: in the CSV it must be
    text, not a formula (issue 11)."""
    client.submit("/login", {"email": "=cmd|'/Ccalc'!A0@x.example", "password": "whatever"})
    client.submit("/login", {"email": "+1@x.example", "password": "whatever"})
    text = login_as("manager").get("/audit/export.csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=cmd|'/ccalc'!a0@x.example" in cells and "'+1@x.example" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert not any(cell.startswith("-") and not cell.lstrip("-").isdigit() for cell in cells)


def test_the_article_filter_picks_from_titles(make, login_as):
    editor = make.user("editor")
    first = make.article(editor, title="Harbour cargo record")
    make.article(editor, title="River bridge approved")
    client = login_as("manager")
    page = client.get("/audit").get_data(as_text=True)
    assert f'<option value="{first.id}">Harbour cargo record (#{first.id})</option>' in page
    filtered = client.get(f"/audit?article={first.id}").get_data(as_text=True)
    assert f'<option selected value="{first.id}">' in filtered
    assert "River bridge approved</a>" not in filtered.split("<table", 1)[1]
    assert client.get("/audit?article=999999").status_code == 400  # not an article: a clear form error


def test_the_filter_s_kept_selects_follow_new_people_titles_and_choices(make, login_as):
    """The selects are written once and kept: a new person or article, or another chosen value, is
    still what the next view shows."""
    editor = make.user("editor")
    first = make.article(editor, title="Harbour cargo record")
    client = login_as("manager")
    before = client.get("/audit").get_data(as_text=True)
    assert "Ferry timetable cut" not in before and 'selected value=""' in before
    newcomer = make.user("checker")
    second = make.article(editor, title="Ferry timetable cut")
    after = client.get("/audit").get_data(as_text=True)
    assert f'<option value="{second.id}">Ferry timetable cut (#{second.id})</option>' in after
    assert f'<option value="{newcomer.id}">{newcomer.display_name} &lt;{newcomer.email}&gt;</option>' in after
    for chosen, other in ((first, second), (second, first)):
        page = client.get(f"/audit?article={chosen.id}&actor={editor.id}").get_data(as_text=True)
        assert f'<option selected value="{chosen.id}">' in page and f'<option value="{other.id}">' in page
        assert f'<option selected value="{editor.id}">' in page and f'<option value="{newcomer.id}">' in page
    # A field in error keeps its own attributes, not those of the select a good view kept.
    bad = client.get("/audit?actor=12345").get_data(as_text=True)
    assert '<select aria-describedby="actor-error" aria-invalid="true" id="actor" name="actor">' in bad
    assert '<select id="actor" name="actor">' in client.get("/audit").get_data(as_text=True)


def test_the_log_s_kept_rows_follow_names_and_the_mount_point(make, login_as):
    """Each row is written once and kept by what it shows: a renamed actor, a renamed person named in
    a description and another mount point are each on the next view."""
    editor = make.user("editor")
    checker = make.user("checker")
    claim = make.assigned_claim(editor=editor, checker=checker)
    client = login_as("manager")
    first = _text(client.get("/audit"))
    assert f"{editor.display_name} <span" in first and f"assigned to: {checker.display_name}" in first
    editor.display_name, checker.display_name = "Renamed Editor", "Renamed <b>Checker</b>"
    db.session.commit()
    renamed = _text(client.get("/audit"))
    assert "Renamed Editor <span" in renamed and "assigned to: Renamed &lt;b&gt;Checker&lt;/b&gt;" in renamed
    mounted = _text(client.get("/audit", base_url="http://localhost/desk"))
    assert f'href="/desk/audit/timeline/claim/{claim.id}"' in mounted and 'action="/desk/audit/export.csv"' in mounted
    plain = _text(client.get("/audit"))
    assert f'href="/audit/timeline/claim/{claim.id}"' in plain and 'action="/audit/export.jsonl"' in plain


def test_a_kept_row_shows_an_altered_event_as_the_database_holds_it(make, login_as):
    """Rows are kept by the event as read, not by its id: an event altered behind the app's back (the
    append-only triggers set aside, as the table's owner could) shows what the log now holds."""
    make.assigned_claim()
    client = login_as("manager")
    assert '<td data-label="after">assigned</td>' in _text(client.get("/audit")).replace("\n", "").replace("  ", "")
    db.session.rollback()  # the test's open read would block the DDL on PostgreSQL
    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as connection:
        if postgresql:
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("UPDATE audit_events SET changes = :changes WHERE action = 'claim.assigned'"),
                           {"changes": json.dumps({"status": {"before": "open", "after": "altered"}})})
        if postgresql:
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    altered = _text(client.get("/audit")).replace("\n", "").replace("  ", "")
    assert '<td data-label="after">altered</td>' in altered and '<td data-label="after">assigned</td>' not in altered


def test_the_log_reads_its_choices_and_events_in_one_statement_on_postgresql(
        make, login_as, count_queries, database_url):
    """The signed-in user, then the filter's choices with the last verification and the page's events:
    one statement on PostgreSQL (each is a round trip to the server), two on SQLite, filtered or not
    (filtered, the filter is validated against the choices last read, which the statement reads again).
    On SQLite a view of a database unchanged since the last reads none (services.unchanged)."""
    make.claim()
    manager = login_as("manager")
    together = database_url.startswith("postgresql")
    for url, expected in (("/audit", 1 if together else 0), ("/audit?action=claim.created", 1 if together else 0)):
        assert manager.get(url).status_code == 200
        with count_queries() as seen:
            page = _text(manager.get(url))
        assert 'class="action"><code>claim.created' in page
        read = [statement for statement in seen if "users.password_hash" not in statement]
        assert len(seen) - len(read) == (1 if together else 0)  # the signed-in user: kept on SQLite
        assert len(read) == expected, (url, [s[:80] for s in read])


def test_on_sqlite_a_write_shows_in_the_log_at_the_next_view(make, login_as, count_queries, database_url):
    """SQLite: the log's reads are kept while the database is unchanged, and read again at the first
    view after a write: the new event is there, filtered or not, with its statements."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL reads at every view")
    make.claim()
    manager = login_as("manager")
    for url in ("/audit", "/audit?action=claim.created"):
        assert manager.get(url).status_code == 200
    second = make.claim(quote=SECOND_CLAIM)
    # The filtered view's choices are the ones the unfiltered view has just read again.
    for url, statements in (("/audit", 2), ("/audit?action=claim.created", 1)):
        with count_queries() as seen:
            page = _text(manager.get(url))
        assert f"/audit/timeline/claim/{second.id}" in page, url
        assert len([statement for statement in seen if "users.password_hash" not in statement]) == statements, url


def test_a_filtered_view_follows_new_people_and_titles(make, login_as, count_queries, database_url):
    """A filter validated against the choices last read: a person who joined since (not among them)
    is still a valid actor to filter by, and their events are listed; an older article chosen is
    offered and filtered by; a filter read again after someone joined shows the same events. On
    PostgreSQL a repeated filtered view is one statement besides the signed-in user's."""
    editor = make.user("editor")
    make.article(editor, title="Harbour cargo record")
    manager = login_as("manager")
    assert manager.get("/audit?action=article.created").status_code == 200  # the choices read and kept
    newcomer = make.user("editor")
    late = make.article(newcomer, title="Ferry timetable cut")
    for url in (f"/audit?actor={newcomer.id}", f"/audit?article={late.id}", "/audit?action=article.created"):
        page = _text(manager.get(url))
        assert f'/articles/{late.id}">Ferry timetable cut</a>' in page, url
        assert "Harbour cargo record</a>" not in page or "action=" in url, url
        with count_queries() as seen:
            again = _text(manager.get(url))
        assert again.count('<tr id="event-') == page.count('<tr id="event-'), url
        read = [statement for statement in seen if "users.password_hash" not in statement]
        assert len(read) == (1 if database_url.startswith("postgresql") else 0), (url, [s[:80] for s in read])
    # A filter that the new choices refuse is refused, whatever the kept ones said.
    assert manager.get("/audit?actor=987654").status_code == 400
    # A write shows at the next filtered view.
    third = make.article(editor, title="Bridge tolls doubled")
    assert f'/articles/{third.id}">Bridge tolls doubled</a>' in _text(manager.get("/audit?action=article.created"))


def test_an_older_article_chosen_is_offered_and_filtered_by(make, login_as, count_queries, database_url, monkeypatch):
    """An article older than the newest offered, chosen: offered last, its events listed, at a
    repeated view too (PostgreSQL: one statement, the choices with it kept as one object)."""
    monkeypatch.setattr(audit_log, "_ARTICLE_CHOICES", 1)
    monkeypatch.setattr(audit_log, "_FILTER_CHOICES", {c: audit_log._filter_choices_statement(c) for c in (False, True)})
    monkeypatch.setattr(audit_log, "_CHOICES_AND_LINES", {})
    editor = make.user("editor")
    old = make.article(editor, title="Harbour cargo record")
    make.article(editor, title="River bridge approved")
    manager = login_as("manager")
    assert f'Harbour cargo record (#{old.id})' not in _text(manager.get("/audit"))
    for n in range(3):
        with count_queries() as seen:
            page = _text(manager.get(f"/audit?article={old.id}"))
        assert f'<option selected value="{old.id}">Harbour cargo record (#{old.id})</option>' in page, n
        assert f'/articles/{old.id}">Harbour cargo record</a>' in page and "River bridge approved</a>" not in page
        read = [statement for statement in seen if "users.password_hash" not in statement]
        if n and database_url.startswith("postgresql"):
            assert len(read) == 1, [s[:80] for s in read]
