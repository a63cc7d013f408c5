"""E-mail of notifications, through the pages and a real SMTP server the test starts (the ``mailbox``
fixture, tests/support/smtp.py): each change queues its e-mail with itself, the mail job sends it."""
from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Notification, OutgoingEmail, User
from factcheck.services import evidence, mail
from tests.support.context import ctx
from tests.support.factories import ARTICLE_TEXT, FIRST_CLAIM
from tests.support.smtp import PUBLIC_URL


def _outbox() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def _send() -> mail.DeliveryReport:
    return mail.deliver_due(ctx())


def test_an_assignment_is_e_mailed_to_the_checker(make, login_as, mailbox):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    response = login_as(editor).submit(f"/claims/{claim.id}/assign", {
        "assignee_id": checker.id, "priority": "urgent", "due_date": "2031-11-30", "version": claim.version})
    assert response.status_code == 302

    queued = _outbox()  # written with the assignment, not sent yet
    assert [(e.kind, e.to_address, e.status) for e in queued] == [("assignment", checker.email, "pending")]
    notification = db.session.scalar(select(Notification).where(Notification.kind == "assignment"))
    assert queued[0].notification_id == notification.id

    assert _send().sent == 1
    [received] = mailbox.received
    assert received.rcpt_tos == [checker.email]
    message = received.message
    assert message["Subject"] == f"Assigned to you: “{FIRST_CLAIM}” (urgent, due 30 Nov)"
    assert message["To"] == f"{checker.display_name} <{checker.email}>"
    assert message["From"] == "Fact desk <desk@news.test>" and received.mail_from == "desk@news.test"
    assert message["Auto-Submitted"] == "auto-generated"
    text = received.text
    assert f"“{FIRST_CLAIM}”" in text and f"{editor.display_name} assigned you claim {claim.id}" in text
    assert f"{PUBLIC_URL}/claims/{claim.id}" in text and "Due 30 Nov 2031, urgent priority." in text
    assert f"{PUBLIC_URL}/account/password" in text  # where to turn it off
    html = message.get_body(("html",)).get_content()
    assert f'<a href="{PUBLIC_URL}/claims/{claim.id}">' in html

    sent = _outbox()[0]
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None) and sent.sent_at is not None
    assert _send().handled == 0  # sent once, never again


def test_a_mention_is_e_mailed_to_the_person_named(make, login_as, mailbox):
    checker = make.user("checker", email="chen@example.test")
    claim = make.claim()
    author = login_as("editor")
    assert author.submit(f"/claims/{claim.id}/notes", {"body": "@chen can you find the minutes?"}).status_code == 302
    _send()
    [received] = mailbox.received
    assert received.rcpt_tos == [checker.email]
    assert received.message["Subject"] == f"{author.user.display_name} mentioned you on “{FIRST_CLAIM}”"
    assert f"{PUBLIC_URL}/claims/{claim.id}" in received.text


def test_a_returned_verdict_is_e_mailed_to_its_checker(make, login_as, mailbox):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    _send()
    mailbox.received.clear()  # the proposal's own e-mail to the editor
    response = login_as("editor").submit(f"/claims/{claim.id}/return-verdict",
                                         {"note": "The minutes say 26 to 5.", "version": claim.version})
    assert response.status_code == 302
    _send()
    [received] = mailbox.received
    assert received.rcpt_tos == [checker.email]
    assert received.message["Subject"] == f"Verdict returned: “{FIRST_CLAIM}”"
    assert "The minutes say 26 to 5." in received.text


def test_a_verdict_waiting_for_review_is_e_mailed_to_the_article_s_editor(make, login_as, mailbox):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.assigned_claim(checker, editor=editor)  # the editor brought the article in and assigned it
    evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/minutes",
                          title="Council minutes", stance="refutes")
    _send()
    mailbox.received.clear()
    response = login_as(checker).submit(f"/claims/{claim.id}/propose", {
        "verdict": "misleading", "rationale": "The vote was 26 to 5.", "version": db.session.get(type(claim), claim.id).version})
    assert response.status_code == 302, response.get_data(as_text=True)
    _send()
    [received] = mailbox.received
    assert received.rcpt_tos == [editor.email]
    assert received.message["Subject"] == f"Waiting for review: “misleading” on “{FIRST_CLAIM}”"
    assert "Proposed verdict: misleading." in received.text and "The vote was 26 to 5." in received.text


def test_a_correction_task_is_e_mailed_when_a_revision_changes_a_checked_claim(make, login_as, mailbox):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.final_claim(checker=checker, editor=editor)
    _send()
    mailbox.received.clear()
    revised = ARTICLE_TEXT.replace("27 to 4", "28 to 3")
    assert login_as(editor).submit(f"/articles/{claim.article_id}/revise", {"text": revised}).status_code == 302
    _send()
    [received] = mailbox.received
    assert received.rcpt_tos == [checker.email]
    assert received.message["Subject"].startswith("Correction needed: the words of “The council voted 28 to 3")
    text = received.text
    assert "Revision 2 changed the words" in text and "“The council voted 28 to 3" in text
    assert f"It had the verdict “verified”, about: “{FIRST_CLAIM}”" in text


def test_a_person_who_turned_e_mail_off_gets_none(make, login_as, mailbox):
    editor, checker = make.user("editor"), make.user("checker")
    own = login_as(checker)
    page = own.get("/account/password").get_data(as_text=True)
    assert "e-mail is on" in page and "Turn e-mail off" in page
    assert own.submit("/account/email-notifications/off").status_code == 302
    assert "e-mail is off" in own.get("/account/password").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.email_notifications_changed"))
    assert (event.actor_id, event.object_id) == (checker.id, checker.id)
    assert event.changes == {"email_notifications": {"before": True, "after": False}}

    claim = make.claim(editor=editor)
    login_as(editor).submit(f"/claims/{claim.id}/assign", {"assignee_id": checker.id, "priority": "normal",
                                                           "version": claim.version})
    assert db.session.scalar(select(Notification).where(Notification.user_id == checker.id))  # still in the app
    assert _outbox() == [] and _send().handled == 0 and mailbox.received == []

    assert own.submit("/account/email-notifications/on").status_code == 302
    assert db.session.get(User, checker.id).email_notifications is True


def test_an_e_mail_queued_before_the_person_turned_e_mail_off_is_not_sent(make, login_as, mailbox):
    checker = make.user("checker")
    make.assigned_claim(checker)
    assert login_as(checker).submit("/account/email-notifications/off").status_code == 302
    report = _send()
    assert (report.sent, report.skipped) == (0, 1) and mailbox.received == []
    assert _outbox()[0].status == "skipped"


def test_one_s_own_action_sends_one_nothing(make, login_as, mailbox):
    both = make.user("editor", "checker", email="sam@example.test")
    claim = make.claim(editor=both)
    client = login_as(both)
    client.submit(f"/claims/{claim.id}/assign", {"assignee_id": both.id, "priority": "normal", "version": claim.version})
    client.submit(f"/claims/{claim.id}/notes", {"body": "Note to self, @sam: start with the minutes."})
    assert db.session.get(type(claim), claim.id).assignee_id == both.id
    assert _outbox() == [] and _send().handled == 0 and mailbox.received == []


def test_an_administrator_can_stop_someone_s_e_mail_from_the_users_page(make, login_as, mailbox):
    admin, checker = login_as("admin"), make.user("checker")
    page = admin.get("/users").get_data(as_text=True)
    assert f"/users/{checker.id}/email-notifications/off" in page
    assert admin.submit(f"/users/{checker.id}/email-notifications/off").status_code == 302
    assert db.session.get(User, checker.id).email_notifications is False
    assert f"/users/{checker.id}/email-notifications/on" in admin.get("/users").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.email_notifications_changed"))
    assert (event.actor_id, event.object_id) == (admin.user.id, checker.id)
    # Nobody else may change another person's choice.
    other = login_as("editor")
    assert other.submit(f"/users/{checker.id}/email-notifications/on").status_code == 403
    assert db.session.get(User, checker.id).email_notifications is False


def test_the_command_sends_what_is_due(app, make, mailbox):
    checker = make.user("checker")
    make.assigned_claim(checker)
    result = app.test_cli_runner().invoke(args=["mail", "send-due"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 to retry, 0 given up" in result.output
    assert [r.rcpt_tos for r in mailbox.received] == [[checker.email]]


def test_the_account_page_says_when_the_newsroom_sends_no_e_mail(login_as):
    page = login_as("checker").get("/account/password").get_data(as_text=True)
    assert "no e-mail server set up" in page
