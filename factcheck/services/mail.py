"""E-mail of notifications through SMTP (``FACTCHECK_SMTP_URL``).

An outbox, like the webhooks': the e-mail is written as a row of ``outgoing_emails`` in the
transaction of the notification it tells about (``queue``, called by ``notifications.notify``), so
no e-mail goes out about a change that was rolled back and none is lost for one that was committed.
``deliver_due`` is the body of the mail job: it sends the e-mails that are due and records each
outcome on its row; a failure is retried with back-off, a refusal by the server is final.

No SMTP server configured means no e-mail at all: nothing is queued, rather than rows piling up to be
sent, stale, the day a server is configured. A person who turned e-mail off, or was deactivated,
gets none; that is checked again just before sending, so turning it off stops what is queued too.
"""
from __future__ import annotations

import html
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any

from sqlalchemy import event, exists, func, select, update
from sqlalchemy.orm import Session

from factcheck.models import Claim, Notification, OutgoingEmail, Priority, User
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction
from factcheck.settings import Settings, SmtpServer

logger = logging.getLogger(__name__)

# The notifications that ask something of the person, each worth an e-mail. An accepted verdict is
# good news the app shows; it asks for nothing.
MAILED_KINDS = frozenset({
    "assignment", "mention", "verdict_returned", "review_waiting", "claim_reopened", "verdict_withdrawn",
})
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4 … 64 minutes: about two hours of outage is ridden out
# How long an e-mail being sent is kept from other senders; a sender that died mid-way releases it then.
SENDING_LEASE = timedelta(minutes=10)
TIMEOUT_SECONDS = 15.0
ACCOUNT_PATH = "/account/password#email-notifications"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---- queueing, in the notification's transaction ---------------------------------------------------

def queue(ctx: Context, notification: Notification, *, recipient: User | int, actor: User | None,
          claim: Claim | None) -> OutgoingEmail | None:
    """Write the e-mail of ``notification`` into the outbox, in the caller's transaction, when the
    newsroom sends e-mail, the kind is one worth it and the person wants e-mail and is active."""
    if ctx.settings.smtp is None or notification.kind not in MAILED_KINDS:
        return None
    person = recipient if isinstance(recipient, User) else ctx.session.get(User, recipient)
    if person is None or not person.is_active or not person.email_notifications:
        return None
    subject, text, html_body = compose(ctx.settings, kind=notification.kind, message=notification.message,
                                       recipient=person, by=actor, claim=claim)
    now = ctx.now()
    email = OutgoingEmail(user_id=person.id, notification=notification, kind=notification.kind,
                          to_address=person.email, subject=subject, text_body=text, html_body=html_body,
                          status="pending", attempts=0, created_at=now, next_attempt_at=now)
    ctx.session.add(email)
    ctx.session.info[_QUEUED] = True
    return email


# JOB HOOK. After a commit that queued e-mails, each callable here runs once (never after a
# rollback): the job queue (factcheck/jobs) registers the enqueueing of a ``deliver_due`` job. With
# none registered, ``flask --app factcheck mail send-due`` sends them.
after_commit_hooks: list[Callable[[], None]] = []
_QUEUED = "factcheck.mail_queued"


@event.listens_for(Session, "after_commit")
def _run_hooks(session: Session) -> None:
    if not session.info.pop(_QUEUED, False):
        return
    for hook in after_commit_hooks:
        try:
            hook()
        except Exception:  # the change is committed; the e-mail waits in the outbox for the next run
            logger.exception("could not start the delivery of queued e-mail")


@event.listens_for(Session, "after_soft_rollback")
def _forget_queued(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(_QUEUED, None)


def has_pending(session: DbSession) -> bool:
    return bool(session.scalar(select(exists().where(OutgoingEmail.status == "pending"))))


def next_attempt_at(session: DbSession) -> datetime | None:
    """When the next pending e-mail is due (a retry's back-off), for scheduling the next run."""
    return session.scalar(select(func.min(OutgoingEmail.next_attempt_at)).where(OutgoingEmail.status == "pending"))


# ---- the message, in newsroom language -------------------------------------------------------------

def one_line(text: str, limit: int | None = None) -> str:
    """Any run of whitespace (line breaks included) as one space: what goes into a header can never
    start another header."""
    flat = " ".join(text.split())
    return flat if limit is None or len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _claim_text(kind: str, claim: Claim) -> str:
    # A correction is about the article's words as they now stand (the claim is told of the revision
    # before its own flags are updated).
    if kind == "claim_reopened" or claim.text_changed:
        return claim.quote
    return claim.statement or claim.quote


def _subject(kind: str, message: str, actor: User | None, claim: Claim | None) -> str:
    if claim is None:
        return one_line(message, 200)
    quoted = f"“{one_line(_claim_text(kind, claim), 80)}”"
    who = one_line(actor.display_name, 60) if actor else "Someone"
    if kind == "assignment":
        terms = [claim.priority] if claim.priority in (Priority.HIGH, Priority.URGENT) else []
        terms += [f"due {_day(claim.due_date)}"] if claim.due_date else []
        return f"Assigned to you: {quoted}" + (f" ({', '.join(terms)})" if terms else "")
    subjects = {
        "mention": f"{who} mentioned you on {quoted}",
        "verdict_returned": f"Verdict returned: {quoted}",
        "review_waiting": f"Waiting for review: “{claim.verdict}” on {quoted}",
        "claim_reopened": f"Correction needed: the words of {quoted} changed",
        "verdict_withdrawn": f"Verdict back in progress: {quoted}",
    }
    return subjects.get(kind, one_line(message, 200))


def _details(kind: str, claim: Claim) -> list[str]:
    if kind == "assignment":
        due = f"Due {_day(claim.due_date)} {claim.due_date.year}" if claim.due_date else "No due date"
        return [f"{due}, {claim.priority} priority."]
    if kind == "claim_reopened" and claim.verdict:
        checked = claim.changed_from or claim.statement
        return [f"It had the verdict “{claim.verdict}”, about: “{checked[:2000]}”"] if checked else []
    if kind == "review_waiting" and claim.verdict:
        return [f"Proposed verdict: {claim.verdict}.", f"Rationale: {(claim.rationale or '')[:1000]}"]
    return []


def compose(settings: Settings, *, kind: str, message: str, recipient: User, by: User | None,
            claim: Claim | None) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the e-mail of one notification (``by`` whom, if anyone); it
    only reads."""
    subject = one_line(_subject(kind, message, by, claim), 250)
    account = f"{settings.public_url}{ACCOUNT_PATH}"
    paragraphs: list[str] = [message]
    link = None
    if claim is not None:
        link = f"{settings.public_url}/claims/{claim.id}"
        paragraphs += [f"Claim {claim.id} of “{one_line(claim.article.title)}”:",
                       f"“{_claim_text(kind, claim)[:2000]}”", *_details(kind, claim)]
    footer = (f"You get this e-mail because e-mail notifications are on for {recipient.email}. "
              f"Turn them off on your account page: {account}")
    text_parts = [*paragraphs, *([f"Open the claim: {link}"] if link else []), "-- ", footer]
    text = "\n\n".join(part.replace("\r\n", "\n").replace("\r", "\n") for part in text_parts) + "\n"
    html_parts = [f"<p>{html.escape(part)}</p>" for part in paragraphs]
    if link:
        html_parts.append(f'<p><a href="{html.escape(link)}">Open the claim</a></p>')
    html_parts.append(f'<hr><p><small>You get this e-mail because e-mail notifications are on for '
                      f'{html.escape(recipient.email)}. <a href="{html.escape(account)}">Turn them off</a> '
                      f'on your account page.</small></p>')
    page = "<!doctype html>\n<html><body>\n" + "\n".join(html_parts) + "\n</body></html>\n"
    return subject, text, page


def build_message(email: OutgoingEmail, *, mail_from: str, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = formataddr((one_line(email.recipient.display_name), email.to_address))
    message["Subject"] = one_line(email.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(f"factcheck.{email.id}", domain=parseaddr(mail_from)[1].rpartition("@")[2])
    # RFC 3834: no out-of-office reply to a machine.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Factcheck-Notification"] = email.kind
    message.set_content(email.text_body)
    if email.html_body:
        message.add_alternative(email.html_body, subtype="html")
    return message


# ---- sending ---------------------------------------------------------------------------------------

# Sends one message to one address (the envelope's only recipient, whatever the headers say);
# raises smtplib.SMTPException or OSError when it could not.
Sender = Callable[[EmailMessage, str, str], None]


class SmtpSender:
    """One connection to the server, opened at the first message and kept for the next ones."""

    def __init__(self, server: SmtpServer, timeout: float = TIMEOUT_SECONDS) -> None:
        self.server = server
        self.timeout = timeout
        self._connection: smtplib.SMTP | None = None

    def __call__(self, message: EmailMessage, sender: str, recipient: str) -> None:
        connection = self._connection or self._connect()
        try:
            connection.send_message(message, from_addr=sender, to_addrs=[recipient])
        except _ABOUT_ONE_MESSAGE:
            raise  # the server answered: the connection is still good for the next message
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        connection: smtplib.SMTP
        if server.tls:
            connection = smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
        try:
            if server.starttls:
                connection.starttls(context=ssl.create_default_context())
            if server.username:
                connection.login(server.username, server.password or "")
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


# Failures of one message; any other (no connection, a timeout, a refused sign-in) is the server's.
_ABOUT_ONE_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError, ValueError)


def _is_refusal(error: Exception) -> bool:
    """A permanent (5xx) refusal of this message or address: sending it again would be refused again.
    Anything else (no connection, a 4xx, a wrong password to be fixed) is worth retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.skipped


def deliver_due(ctx: Context, *, send: Sender | None = None, limit: int = 100) -> DeliveryReport:
    """Send the pending e-mails that are due (the mail job's body; also ``flask mail send-due``).

    Each e-mail is first claimed in a short transaction of its own (under ``FOR UPDATE SKIP LOCKED``
    on PostgreSQL, and by a conditional update on both databases), which counts the attempt and keeps
    it from other senders for ``SENDING_LEASE``; it is sent with no transaction open, so a slow server
    never holds a database lock; then the outcome is recorded. A sender that dies between the two
    leaves it to be sent again when the lease ends: at least once, never lost."""
    report = DeliveryReport()
    if send is None:
        if ctx.settings.smtp is None:
            return report
        send = SmtpSender(ctx.settings.smtp)
    try:
        while report.handled < limit:
            email = _claim_next(ctx)
            if email is None:
                break
            if email.status == "skipped":
                report.skipped += 1
                continue
            sent_at, error = _send(ctx, email, send)
            with transaction(ctx.session):
                _record(email, sent_at, error, report)
            if error is not None and not isinstance(error, _ABOUT_ONE_MESSAGE):
                break  # the server is down or refuses us: the others wait for the next run, attempts unspent
    finally:
        if isinstance(send, SmtpSender):
            send.close()
    return report


def _claim_next(ctx: Context) -> OutgoingEmail | None:
    """The next due e-mail, claimed for this sender (or marked skipped when its person no longer
    wants it); None when nothing is due."""
    while True:
        now = ctx.now()
        with transaction(ctx.session):
            email = ctx.session.scalar(
                select(OutgoingEmail)
                .where(OutgoingEmail.status == "pending", OutgoingEmail.next_attempt_at <= now)
                .order_by(OutgoingEmail.id).limit(1).with_for_update(skip_locked=True))
            if email is None:
                return None
            person = email.recipient
            if not person.is_active or not person.email_notifications:
                email.status = "skipped"
                email.last_error = "Not sent: the person turned e-mail off or was deactivated before it went."
                return email
            claimed = ctx.session.execute(
                update(OutgoingEmail)
                .where(OutgoingEmail.id == email.id, OutgoingEmail.status == "pending",
                       OutgoingEmail.next_attempt_at <= now)
                .values(attempts=OutgoingEmail.attempts + 1, last_attempt_at=now,
                        next_attempt_at=now + SENDING_LEASE)
                .execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) == 1:
            ctx.session.refresh(email)
            return email
        # Another sender claimed it between the read and the update: look for the next one.


def _send(ctx: Context, email: OutgoingEmail, send: Sender) -> tuple[datetime, Exception | None]:
    """Build and send one claimed e-mail; when, and what went wrong if anything did."""
    settings = ctx.settings
    now = ctx.now()
    try:
        message = build_message(email, mail_from=settings.mail_from, now=now)
    except ValueError as error:
        return now, error
    to_address = email.to_address
    ctx.session.commit()  # ends the read: no transaction stays open while the server is talked to
    try:
        send(message, parseaddr(settings.mail_from)[1], to_address)
    except (smtplib.SMTPException, OSError, ValueError) as error:
        return now, error
    return now, None


def _record(email: OutgoingEmail, now: datetime, error: Exception | None, report: DeliveryReport) -> None:
    if error is None:
        email.status, email.sent_at, email.last_error = "sent", now, None
        report.sent += 1
        return
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_refusal(error) or email.attempts >= MAX_ATTEMPTS:
        email.status = "failed"
        report.failed += 1
        logger.warning("e-mail %s to %s given up after %s attempt(s): %s", email.id, email.to_address,
                       email.attempts, email.last_error)
    else:
        email.next_attempt_at = (email.last_attempt_at or now) + retry_delay(email.attempts)
        report.retrying += 1
        logger.info("e-mail %s to %s not sent (attempt %s), retried at %s: %s", email.id, email.to_address,
                    email.attempts, email.next_attempt_at.isoformat(), email.last_error)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the ``attempts``-th failed attempt: 1, 2, 4 … minutes."""
    return FIRST_RETRY * 2 ** (attempts - 1)
