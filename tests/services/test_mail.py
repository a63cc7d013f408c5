"""The mail service against a real SMTP server (tests/support/smtp.py): the settings that configure it,
retries with back-off when the server is down, final refusals, header injection, and the job hook."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck import create_app
from factcheck.config import ConfigError, load_config
from factcheck.errors import PermissionDenied
from factcheck.extensions import db
from factcheck.models import Claim, OutgoingEmail, User
from factcheck.services import articles, claims, mail, users
from factcheck.services.db import transaction
from factcheck.settings import SmtpServer, parse_smtp_url
from tests.support.context import configure, ctx
from tests.support.smtp import MAIL_FROM, PUBLIC_URL, Mailbox

# ---- settings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, server", [
    ("smtp://127.0.0.1:2525", SmtpServer("smtp", "127.0.0.1", 2525)),
    ("smtp://relay.internal", SmtpServer("smtp", "relay.internal", 25)),
    ("smtps://mailer%40news.example:p%40ss%3Aword@mail.news.example",
     SmtpServer("smtps", "mail.news.example", 465, "mailer@news.example", "p@ss:word")),
    ("smtp+starttls://desk:secret@mail.news.example:2587", SmtpServer("smtp+starttls", "mail.news.example", 2587,
                                                                      "desk", "secret")),
    ("smtp://desk:secret@localhost:1025", SmtpServer("smtp", "localhost", 1025, "desk", "secret")),
])
def test_smtp_urls(url, server):
    parsed = parse_smtp_url(url)
    assert parsed == server
    assert parsed.password is None or parsed.password not in repr(parsed)


@pytest.mark.parametrize("url, problem", [
    ("http://mail.news.example", "scheme must be one of"),
    ("mail.news.example:25", "scheme must be one of"),
    ("smtp://", "names no host"),
    ("smtp://mail.news.example:port", "port must be a number"),
    ("smtp://mail.news.example:99999", "port must be a number"),
    ("smtp://mail.news.example/inbox", "only user, password, host and port"),
    ("smtp://desk:hunter2@mail.news.example", "unencrypted"),
])
def test_a_bad_smtp_url_stops_the_start_saying_why(tmp_path, url, problem):
    env = {"FACTCHECK_SMTP_URL": url, "FACTCHECK_MAIL_FROM": "desk@news.example",
           "FACTCHECK_PUBLIC_URL": "https://factcheck.news.example"}
    with pytest.raises(ConfigError, match="FACTCHECK_SMTP_URL is not usable") as raised:
        load_config(tmp_path, environ=env)
    assert problem in str(raised.value) and "hunter2" not in str(raised.value)


@pytest.mark.parametrize("env, problem", [
    ({}, "FACTCHECK_MAIL_FROM must be set"),
    ({"FACTCHECK_MAIL_FROM": "desk"}, "FACTCHECK_MAIL_FROM is not usable"),
    ({"FACTCHECK_MAIL_FROM": "desk@news.example\r\nBcc: all@news.example"}, "FACTCHECK_MAIL_FROM is not usable"),
    ({"FACTCHECK_MAIL_FROM": "Fact desk <desk@news.example>"}, "FACTCHECK_PUBLIC_URL must be set"),
])
def test_e_mail_needs_a_from_address_and_the_public_url(tmp_path, env, problem):
    with pytest.raises(ConfigError, match=problem):
        load_config(tmp_path, environ={"FACTCHECK_SMTP_URL": "smtp://127.0.0.1:2525", **env})


def test_the_app_starts_with_e_mail_configured(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                      "FACTCHECK_SMTP_URL": "smtp+starttls://desk:secret@mail.news.example",
                      "FACTCHECK_MAIL_FROM": "desk@news.example", "FACTCHECK_PUBLIC_URL": "https://fc.example/"})
    settings = app.extensions["factcheck"].settings
    assert settings.smtp == SmtpServer("smtp+starttls", "mail.news.example", 587, "desk", "secret")
    assert settings.mail_from == "desk@news.example" and "secret" not in repr(settings)


# ---- queueing -------------------------------------------------------------------------------------

def _outbox() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def test_without_an_smtp_server_nothing_is_queued(app, make):
    make.assigned_claim()
    assert _outbox() == []
    assert mail.deliver_due(ctx()).handled == 0


def test_an_inactive_person_gets_no_e_mail(make, mailbox):
    checker = make.user("checker")
    claim = make.claim()
    users.set_active(ctx(), actor=None, actor_label="test", user=checker, active=False)
    with transaction(db.session):
        mail.queue(ctx(), _notification(checker, claim), recipient=checker.id, actor=None, claim=claim)
    assert _outbox() == []


def _notification(user: User, claim: Claim, kind: str = "assignment"):
    from factcheck.models import Notification

    notification = Notification(user_id=user.id, kind=kind, message="Look", claim_id=claim.id,
                                article_id=claim.article_id)
    db.session.add(notification)
    return notification


def test_an_accepted_verdict_is_not_e_mailed(make, mailbox):
    """Good news the app shows; it asks nothing of the checker."""
    checker = make.user("checker")
    claim = make.final_claim(checker=checker)
    kinds = [e.kind for e in _outbox() if e.user_id == checker.id]
    assert kinds == ["assignment"]
    assert claim.status == "final"


def test_a_rolled_back_change_queues_no_e_mail_and_starts_no_job(make, mailbox):
    started: list[str] = []
    mail.after_commit_hooks.append(lambda: started.append("deliver_due"))
    try:
        editor, checker = make.user("editor"), make.user("checker")
        claim = make.claim(editor=editor)
        with pytest.raises(RuntimeError), transaction(db.session):
            claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)  # commits: one job
            assert started == ["deliver_due"]
            mail.queue(ctx(), _notification(checker, claim), recipient=checker, actor=editor, claim=claim)
            raise RuntimeError("the write failed after its notification")
        assert started == ["deliver_due"] and len(_outbox()) == 1
        db.session.commit()  # a later commit that queued nothing starts nothing
        assert started == ["deliver_due"]
    finally:
        mail.after_commit_hooks.clear()


# ---- sending --------------------------------------------------------------------------------------

def test_smtp_down_keeps_the_e_mail_and_retries_it_with_back_off(make, login_as, mailbox, clock):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    mailbox.stop()
    response = login_as(editor).submit(f"/claims/{claim.id}/assign", {"assignee_id": checker.id,
                                                                      "priority": "normal", "version": claim.version})
    assert response.status_code == 302  # the assignment is saved whatever the mail server does
    assert db.session.get(Claim, claim.id).assignee_id == checker.id
    other = make.assigned_claim()  # another e-mail, queued after it

    report = mail.deliver_due(ctx())
    assert (report.sent, report.retrying) == (0, 1)  # the server is down: the run stops at the first
    email, later = _outbox()
    assert (email.status, email.attempts, later.status, later.attempts) == ("pending", 1, "pending", 0)
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at - email.last_attempt_at == timedelta(minutes=1)
    assert mail.has_pending(db.session) and mail.next_attempt_at(db.session) == later.next_attempt_at

    mailbox.start()
    clock.set(clock.now + timedelta(seconds=30))
    assert mail.deliver_due(ctx()).sent == 1  # the other one; the first is not due yet
    clock.set(email.next_attempt_at)
    assert mail.deliver_due(ctx()).sent == 1
    sent, _ = _outbox()
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)
    assert [r.rcpt_tos for r in mailbox.received] == [[other.assignee.email], [checker.email]]
    assert not mail.has_pending(db.session)


def test_the_back_off_doubles_then_gives_up(make, mailbox, clock):
    make.assigned_claim()
    mailbox.stop()
    delays = []
    for _ in range(mail.MAX_ATTEMPTS):
        clock.set(max(clock.now, _outbox()[0].next_attempt_at))
        assert mail.deliver_due(ctx()).handled == 1
        email = _outbox()[0]
        delays.append(email.next_attempt_at - email.last_attempt_at)
    assert (email.status, email.attempts) == ("failed", mail.MAX_ATTEMPTS)
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    clock.set(clock.now + timedelta(days=1))
    assert mail.deliver_due(ctx()).handled == 0


def test_a_refusal_by_the_server_is_final(make, mailbox):
    make.assigned_claim()
    mailbox.refuse_with = "550 5.1.1 No such mailbox"
    report = mail.deliver_due(ctx())
    assert report.failed == 1
    [email] = _outbox()
    assert email.status == "failed" and "No such mailbox" in email.last_error


def test_a_temporary_refusal_is_retried(make, mailbox):
    make.assigned_claim()
    mailbox.refuse_with = "451 4.3.0 Try again later"
    assert mail.deliver_due(ctx()).retrying == 1
    assert _outbox()[0].status == "pending"


def test_an_e_mail_being_sent_is_not_taken_by_another_sender(make, mailbox, clock):
    """A sender claims the e-mail before talking to the server: a second sender running at the same
    moment finds nothing due, and an e-mail whose sender died goes out once the lease ends."""
    make.assigned_claim()
    seen: list[int] = []

    def send_and_race(message, sender, recipient):
        seen.append(mail.deliver_due(ctx(), send=lambda *a: None).handled)  # the other sender, meanwhile
        raise SystemExit("this sender dies mid-way")

    with pytest.raises(SystemExit):
        mail.deliver_due(ctx(), send=send_and_race)
    assert seen == [0]
    [email] = _outbox()
    assert (email.status, email.attempts) == ("pending", 1)
    clock.set(email.next_attempt_at)  # the lease ends
    assert mail.deliver_due(ctx()).sent == 1
    assert len(mailbox.received) == 1


def test_the_url_s_user_and_password_sign_in_to_the_server(app, make, clock):
    checker = make.user("checker")
    box = Mailbox(login=("desk@news.test", "s3cret:/@pass"))
    box.start()
    try:
        configure(app, smtp=parse_smtp_url(f"smtp://desk%40news.test:wrong@127.0.0.1:{box.port}"), mail_from=MAIL_FROM,
                  public_url=PUBLIC_URL)
        make.ctx = ctx()
        make.assigned_claim(checker)
        assert mail.deliver_due(ctx()).retrying == 1  # a wrong password is fixed by the operator: retried
        assert "SMTPAuthenticationError" in _outbox()[0].last_error and box.received == []

        configure(app, smtp=parse_smtp_url(f"smtp://desk%40news.test:s3cret%3A%2F%40pass@127.0.0.1:{box.port}"))
        clock.set(_outbox()[0].next_attempt_at)
        assert mail.deliver_due(ctx()).sent == 1
        assert [r.rcpt_tos for r in box.received] == [[checker.email]]
        assert box.signed_in == ["desk@news.test"]
    finally:
        box.stop()


def test_names_and_claim_text_cannot_add_headers(make, mailbox):
    evil = "Eve\r\nBcc: spy@attacker.test\nX-Injected: yes"
    editor = users.create_user(ctx(), actor=None, actor_label="test", email="eve@example.test", password="long enough",
                               roles=["editor"], display_name=evil)
    checker = users.create_user(ctx(), actor=None, actor_label="test", email="carl@example.test",
                                password="long enough", roles=["checker"], display_name="Carl\r\nCc: spy@attacker.test")
    text = "Headline\nThe mayor said it.\r\nBcc: spy@attacker.test\nSubject: pwned\n"
    article = articles.create_article(ctx(), actor=editor, title="Title\r\nBcc: spy@attacker.test", text=text,
                                      outlet="Wire")
    claim = claims.add_claim(ctx(), actor=editor, article=article, quote="The mayor said it.\nBcc: spy@attacker.test")
    claims.assign(ctx(), actor=editor, claim=claim, assignee=checker)
    users.create_user(ctx(), actor=None, actor_label="test", email="spy@attacker.test", password="long enough",
                      roles=["checker"])
    from factcheck.services import notes

    notes.add_note(ctx(), actor=editor, claim=claim, body="@carl look")
    assert mail.deliver_due(ctx()).sent == 2
    assert len(mailbox.received) == 2
    for received in mailbox.received:
        assert received.rcpt_tos == ["carl@example.test"]
        message = received.message
        assert message["Bcc"] is None and message["Cc"] is None and message["X-Injected"] is None
        assert list(message.keys()).count("Subject") == 1
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
        assert message["To"].addresses[0].addr_spec == "carl@example.test"
    mention = " ".join(mailbox.received[1].message["Subject"].split())  # as unfolded by the stdlib parser
    assert mention.startswith("Eve Bcc: spy@attacker.test X-Injected: yes mentioned you on “The mayor said it. Bcc")


def test_e_mail_switches_are_a_person_s_own_or_an_administrator_s(make):
    me, other, admin = make.user("checker"), make.user("editor"), make.user("admin")
    users.set_email_notifications(ctx(), actor=me, user=me, on=False)
    with pytest.raises(PermissionDenied):
        users.set_email_notifications(ctx(), actor=other, user=me, on=True)
    users.set_email_notifications(ctx(), actor=admin, user=me, on=True)
    users.set_email_notifications(ctx(), actor=admin, user=me, on=True)  # no change: nothing recorded
    from factcheck.models import AuditEvent

    actions = db.session.scalar(select(func.count(AuditEvent.id))
                                .where(AuditEvent.action == "user.email_notifications_changed"))
    assert actions == 2 and db.session.get(User, me.id).email_notifications is True


def test_the_demo_newsroom_s_addresses_reach_nobody():
    """A demo loaded on a server with SMTP configured must not e-mail real people (RFC 2606 names)."""
    from factcheck.demo import DEMO_USERS

    assert all(email.rpartition(".")[2] in {"test", "example", "invalid"} for email, _name, _roles in DEMO_USERS)
