"""What a note posted through the claim page's form costs in SQL (issue 15), and that the cheaper write
keeps what it guarantees: the note and its audit event in one transaction, the chain intact, the
note returned as the session's row.

A note post runs the same statements however much the claim, the conversation and the audit log
hold: the signed-in user, the claim, the note's INSERT (its id returned; it takes the chain lock too:
on PostgreSQL in the statement itself, on SQLite by being a write), the head of the chain, and the
event's INSERT (its id returned: no statement reads it back)."""
from __future__ import annotations

from sqlalchemy import func, inspect, select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Note, Notification
from factcheck.services import audit, notes
from tests.support.context import ctx


def _kinds(statements: list[str]) -> list[str]:
    """Each statement as its verb and table, e.g. ``INSERT notes`` or ``SELECT claims``."""
    out = []
    for statement in statements:
        words = statement.split()
        verb = words[0].upper()
        if verb == "INSERT":
            out.append(f"INSERT {words[2]}")
        elif verb == "UPDATE":
            out.append(f"UPDATE {words[1]}")
        elif "pg_advisory_xact_lock" in statement:
            out.append("LOCK")
        elif "user_sessions.token_hash" in statement:  # the signed-in device with its user and roles
            out.append("SELECT users")
        else:
            froms = [words[n + 1] for n, word in enumerate(words[:-1]) if word.upper() == "FROM"]
            out.append(f"{verb} {froms[0] if froms else ''}".strip())
    return out


def _post(client, claim_id: int, body: str, count_queries) -> list[str]:
    with count_queries() as seen:
        response = client.submit(f"/claims/{claim_id}/notes", {"body": body})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return list(seen)


def _note_insert_locks(statements: list[str]) -> None:
    """On PostgreSQL the note's INSERT takes the chain lock; no statement of its own does."""
    insert = next(s for s in statements if s.split()[:3] == ["INSERT", "INTO", "notes"])
    assert ("pg_advisory_xact_lock" in insert) == (db.engine.dialect.name == "postgresql"), insert
    assert not any("UPDATE audit_events" in s for s in statements), statements


def test_a_note_post_runs_the_same_statements_however_much_there_is(make, login_as, count_queries):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    client = login_as(editor)
    client.get(f"/claims/{claim.id}")
    first = _kinds(_post(client, claim.id, "The first look.", count_queries))
    # More of everything: notes on this claim (with replies), other claims, audit events.
    for n in range(15):
        note = notes.add_note(ctx(), actor=checker, claim=claim, body=f"Round {n}: the minutes, page {n}.")
        notes.add_note(ctx(), actor=editor, claim=claim, body=f"Noted, round {n}.", reply_to=note.id)
        make.claim(editor=editor)
    later = _kinds(_post(client, claim.id, "Another look, with more around.", count_queries))
    assert first == later
    assert later == ["SELECT users", "SELECT claims", "INSERT notes", "SELECT audit_events",
                     "INSERT audit_events"], later


def test_a_checkers_note_post_runs_as_few(make, login_as, count_queries):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    client.get(f"/claims/{claim.id}")
    seen = _post(client, claim.id, "Started on the council minutes.", count_queries)
    assert _kinds(seen) == ["SELECT users", "SELECT claims", "INSERT notes", "SELECT audit_events",
                            "INSERT audit_events"], seen
    _note_insert_locks(seen)
    inserts = [s for s in seen if s.split()[0].upper() == "INSERT"]
    assert all("RETURNING" in s.upper() for s in inserts), inserts  # both ids come back with their rows


def test_notes_posted_through_the_form_keep_the_chain_whole(app, make, login_as):
    """Each note and its event commit together: the event names the note, its hash links to the one
    before, and ``flask audit verify`` passes after posts, replies and mentions."""
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)
    client = login_as(editor)
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    assert client.submit(f"/claims/{claim.id}/notes", {"body": "Is the 2019 figure right?"}).status_code == 302
    note_id = db.session.scalar(select(func.max(Note.id)))
    assert client.submit(f"/claims/{claim.id}/notes",
                         {"body": f"@{checker.email} can you check?", "reply_to": note_id}).status_code == 302
    db.session.expire_all()
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > 0).order_by(AuditEvent.id.desc()).limit(2)))
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before + 2
    reply_event, note_event = events
    assert (note_event.action, note_event.object_id) == ("note.added", note_id)
    assert reply_event.changes["reply_to"] == {"before": None, "after": note_id}
    assert reply_event.prev_hash == note_event.hash and reply_event.seq == note_event.seq + 1
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == checker.id,
                                                             Notification.kind == "mention")) == "mention"
    assert audit.verify(ctx()).intact
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_the_note_returned_is_the_sessions_row(make):
    """The service inserts the note with one statement and returns it as the session's own: persistent,
    its id and what was written known, its times read from the row."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    note = notes.add_note(ctx(), actor=checker, claim=claim, body="  Looking for the minutes.  ")
    assert inspect(note).persistent and note in db.session
    assert (note.claim_id, note.author_id, note.body, note.parent_id) == (claim.id, checker.id,
                                                                          "Looking for the minutes.", None)
    assert note.created_at is not None and note.author.id == checker.id
    assert db.session.get(Note, note.id) is note
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "note.added",
                                                       AuditEvent.object_id == note.id))
    assert event is not None and event.changes["body"] == {"before": None, "after": "Looking for the minutes."}


def test_a_note_sent_with_a_key_writes_the_key_and_its_answer_in_the_notes_transaction(make, login_as, count_queries):
    """A form sent with an idempotency key (as every page's form is): the key's row is inserted with
    the note, holding where the answer sent the person; no transaction of its own writes that after
    the answer. A retry is told it was saved, sent to the same place, and posts nothing."""
    from factcheck.models import IdempotencyKey
    from factcheck.services import idempotency
    from factcheck.views.idempotency import ALREADY_SAVED

    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    client = login_as(checker)
    claim_id = claim.id
    client.get(f"/claims/{claim_id}")
    data = {"body": "Sent once, with a key.", idempotency.FIELD: "k" * 24}
    with count_queries() as seen:
        response = client.submit(f"/claims/{claim_id}/notes", data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/claims/{claim_id}")
    kinds = _kinds(list(seen))
    assert kinds == ["SELECT users", "SELECT idempotency_keys", "SELECT claims", "INSERT notes",
                     "SELECT audit_events", "INSERT audit_events", "INSERT idempotency_keys", "DELETE idempotency_keys"], kinds
    assert db.session.scalar(select(IdempotencyKey.location).where(IdempotencyKey.user_id == checker.id)) \
        == f"/claims/{claim_id}"
    again = client.submit(f"/claims/{claim_id}/notes", data)
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/claims/{claim_id}")
    assert ALREADY_SAVED in client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Note.id)).where(Note.body == "Sent once, with a key.")) == 1


def _chain_lock_held(pid: int) -> bool:
    with db.engine.connect() as other:
        return bool(other.exec_driver_sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = %(pid)s "
            "AND ((classid::bigint << 32) | objid::bigint) = %(key)s", {"pid": pid, "key": audit._CHAIN_LOCK_KEY},
        ).scalar())


def test_the_notes_insert_holds_the_chain_lock_until_its_transaction_ends(make, count_queries):
    """The note's INSERT takes the lock the event's commit needs, and the transaction keeps it to the
    end (another writer of the chain waits); rolled back, the lock goes and the next commit takes its
    own (PostgreSQL: seen in pg_locks from another connection; SQLite: its one writer, by the INSERT)."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    claim_id, author_id = claim.id, checker.id
    db.session.commit()
    postgresql = db.engine.dialect.name == "postgresql"
    pid = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar() if postgresql else 0
    notes._insert_note(ctx(), claim_id=claim_id, author_id=author_id, body="Held.", parent_id=None)
    if postgresql:
        assert _chain_lock_held(pid)
    db.session.rollback()
    if postgresql:
        assert not _chain_lock_held(pid)
    assert db.session.scalar(select(func.count(Note.id)).where(Note.body == "Held.")) == 0
    # The marker went with the transaction: the next commit of an event takes the lock itself.
    audit.record(ctx(), actor=checker, action="test.event", object_type="claim", object_id=claim_id)
    with count_queries() as seen:
        db.session.commit()
    lock = "pg_advisory_xact_lock" if postgresql else "UPDATE audit_events"
    assert any(lock in s for s in seen), seen


def test_a_note_inserted_in_a_savepoint_leaves_the_commit_to_take_the_lock(make, count_queries):
    """A savepoint rolled back would release the lock while the transaction goes on: a note inserted
    in one does not spare the commit its own lock statement, and the chain stays whole."""
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    claim_id, author_id = claim.id, checker.id
    db.session.commit()
    with db.session.begin_nested():
        notes._insert_note(ctx(), claim_id=claim_id, author_id=author_id, body="In a savepoint.", parent_id=None)
    audit.record(ctx(), actor=checker, action="test.event", object_type="claim", object_id=claim_id)
    with count_queries() as seen:
        db.session.commit()
    lock = "pg_advisory_xact_lock" if db.engine.dialect.name == "postgresql" else "UPDATE audit_events"
    assert any(lock in s for s in seen), seen
    assert audit.verify(ctx()).intact


def test_the_claim_a_note_is_posted_on_is_loaded_as_the_orm_loads_it(make):
    """The step's claim read on the driver (``load_claim_for_step`` without the article) holds every
    column as the ORM's own load does (the JSON list, the dates, the aware times, the flags), is the
    session's persistent row, loads what it did not read when asked, and is written when changed."""
    from datetime import date

    from sqlalchemy.orm import Session

    from factcheck.models import Claim
    from factcheck.services import claim_queries

    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    claim.via = ["Reuters", "AFP"]
    claim.due_date = date(2026, 12, 1)
    claim.text_changed = True
    claim.score = 0.75
    db.session.commit()
    claim_id, checker_id = claim.id, checker.id
    db.session.expunge_all()
    loaded = claim_queries.load_claim_for_step(db.session, claim_id, with_article=False)
    with Session(db.engine) as other:
        expected = other.get(Claim, claim_id)
        assert expected is not None
        for column in inspect(Claim).column_attrs:
            mine, theirs = getattr(loaded, column.key), getattr(expected, column.key)
            assert (mine, type(mine)) == (theirs, type(theirs)), column.key
        assert loaded.first_assigned_at is not None and loaded.first_assigned_at.tzinfo is not None
    assert inspect(loaded).persistent and db.session.get(Claim, claim_id) is loaded
    assert loaded.article.id == loaded.article_id and loaded.assignee.id == checker_id
    loaded.claimant = "A spokesperson"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Claim, claim_id).claimant == "A spokesperson"
