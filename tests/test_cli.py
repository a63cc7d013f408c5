import re

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article, AuditEvent, Claim, Notification, User
from factcheck.services import audit, users


def test_users_create_reads_password_from_stdin(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "New.Person@Example.test", "--role", "editor",
                                                "--role", "checker", "--password-stdin"], input="a long password\n")
    assert result.exit_code == 0, result.output
    user = users.find_by_email(db.session, "new.person@example.test")
    assert {r.value for r in user.roles} == {"editor", "checker"}
    assert user.check_password("a long password")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.actor_label == "cli" and event.object_id == user.id


def test_users_create_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "p@example.test", "--role", "manager"],
                                          input="secret-enough\nsecret-enough\n")
    assert result.exit_code == 0, result.output
    assert users.find_by_email(db.session, "p@example.test").check_password("secret-enough")


def test_users_create_refuses_bad_input(app):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "--email", "a@example.test", "--role", "editor", "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    bad_role = runner.invoke(args=["users", "create", "--email", "a@example.test", "--role", "boss", "--password-stdin"],
                             input="long enough pw\n")
    assert bad_role.exit_code != 0 and "boss" in bad_role.output
    runner.invoke(args=["users", "create", "--email", "a@example.test", "--role", "editor", "--password-stdin"],
                  input="long enough pw\n")
    again = runner.invoke(args=["users", "create", "--email", "A@example.test", "--role", "editor", "--password-stdin"],
                          input="long enough pw\n")
    assert again.exit_code != 0 and "already exists" in again.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_load_is_idempotent_and_has_claims_in_every_state(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "editor@demo.test" in first.output and "factcheck-demo" in first.output
    counts = (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Claim.id))),
              db.session.scalar(select(func.count(AuditEvent.id))))
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "already present" in second.output
    assert counts == (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Claim.id))),
                      db.session.scalar(select(func.count(AuditEvent.id))))
    statuses = set(db.session.scalars(select(Claim.status)))
    assert statuses >= {"suggested", "open", "dismissed", "assigned", "in_progress", "proposed", "final"}
    assert db.session.scalar(select(func.count(Article.id))) >= 2
    for email in ("admin@demo.test", "editor@demo.test", "checker@demo.test", "checker2@demo.test", "manager@demo.test"):
        assert users.find_by_email(db.session, email).check_password("factcheck-demo")
    mentioned = {n.user_id for n in db.session.scalars(select(Notification).where(Notification.kind == "mention"))}
    assert mentioned == {users.find_by_email(db.session, e).id for e in ("editor@demo.test", "checker2@demo.test")}
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and "intact" in verify.output


def test_demo_load_if_empty_leaves_a_real_newsroom_alone(app, make):
    make.user("editor")
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert users.find_by_email(db.session, "admin@demo.test") is None


def test_demo_logins_work_through_the_login_page(app, client):
    app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    response = client.submit("/login", {"email": "checker@demo.test", "password": "factcheck-demo"})
    assert response.status_code == 302
    queue = client.get("/queue").get_data(as_text=True)
    assert "overdue" in queue


def _verify_output(app) -> list[str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_audit_verify_prints_where_it_read_the_slower_way_and_why(app, monkeypatch):
    """An event stored in another form (another writer's JSON) verifies the slower way: the command
    says for which ids and why, a line each, at most ``SLOW_READS_SHOWN`` of them."""
    import json

    from factcheck.services import audit_ranges
    from tests.services.test_audit_ranges import _write
    from tests.services.test_audit_verify_speed import _append_raw

    _write(4)
    assert [line for line in _verify_output(app) if "slower way" in line] == []
    changes = {"status": {"before": "open", "after": "assigned"}}
    event_id = _append_raw(json.dumps(changes), changes)  # spaces: not the text the app writes
    lines = _verify_output(app)
    assert lines[0].startswith("Audit chain intact")
    spans = [re.fullmatch(r"  read the slower way: ids (\d+) to (\d+): (.+)", line) for line in lines[1:]]
    assert spans and all(spans)
    assert any(int(span[1]) <= event_id <= int(span[2]) for span in spans)
    # A window of one event each, and many events in another form: the list is cut short.
    monkeypatch.setattr(audit_ranges, "BATCH", 1)
    monkeypatch.setattr(audit, "_IN_PROCESS_RANGE", 1)
    for _ in range(audit.SLOW_READS_SHOWN + 2):
        _append_raw(json.dumps(changes), changes)
    lines = _verify_output(app)
    slow = [line for line in lines if line.startswith("  read the slower way: ")]
    assert len(slow) == audit.SLOW_READS_SHOWN
    assert re.fullmatch(r"  … and \d+ more\.", lines[-1])
