"""Notifications: grouped by claim for the page, and the due-date reminders (``notify_due``)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import AuditEvent, Notification
from factcheck.services import claims, notifications
from factcheck.services.db import transaction
from tests.support.clock import clock  # noqa: F401 - the fixture
from tests.support.context import ctx


def test_notifications_are_grouped_by_claim_newest_first(make):
    checker, editor = make.user("checker"), make.user("editor")
    first, second = make.assigned_claim(checker, editor=editor), make.assigned_claim(checker, editor=editor)
    with transaction(db.session):
        notifications.notify(ctx(), recipient=checker, kind="test", message="About nothing", actor=editor)
        notifications.notify(ctx(), recipient=checker, kind="test", message="First again", actor=editor, claim=first)
    groups = notifications.grouped(db.session, checker)
    assert [(g.claim.id if g.claim else None, [n.message for n in g.items]) for g in groups] == [
        (first.id, ["First again", groups[0].items[1].message]),
        (None, ["About nothing"]),
        (second.id, [groups[2].items[0].message]),
    ]
    assert groups[0].items[1].kind == "assignment" and (groups[0].count, groups[0].unread) == (2, 2)
    notifications.mark_claim_read(ctx(), actor=checker, claim_id=first.id)
    regrouped = notifications.grouped(db.session, checker)
    assert (regrouped[0].unread, notifications.unread_count(db.session, checker)) == (0, 2)


def test_grouping_costs_two_statements_whatever_the_number_of_claims(make, count_queries):
    checker, editor = make.user("checker"), make.user("editor")
    for _ in range(4):
        make.assigned_claim(checker, editor=editor)
    db.session.expire_all()
    assert checker.email  # the person is loaded, as the signed-in user of a page is
    with count_queries() as statements:
        groups = notifications.grouped(db.session, checker)
        assert all(g.claim.article.title for g in groups)
    assert len(groups) == 4 and len(statements) == 2


def _reminders(user=None) -> list[tuple[int, str]]:
    query = select(Notification.claim_id, Notification.kind).where(
        Notification.kind.in_([notifications.DUE_TOMORROW, notifications.OVERDUE])).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return [tuple(row) for row in db.session.execute(query)]


def test_due_tomorrow_and_overdue_are_sent_once_per_due_date(make, clock):  # noqa: F811
    checker, editor = make.user("checker"), make.user("editor")
    tomorrow = make.assigned_claim(checker, editor=editor, due_date=date(2024, 3, 2))
    late = make.assigned_claim(checker, editor=editor, due_date=date(2024, 2, 28))
    make.assigned_claim(checker, editor=editor, due_date=date(2024, 3, 5))  # not yet
    settled = make.final_claim()  # due long ago, but done
    settled.due_date = date(2024, 1, 1)
    db.session.commit()

    assert notifications.notify_due(ctx()) == notifications.DueRun(due_tomorrow=1, overdue=1)
    assert _reminders(checker) == [(tomorrow.id, "due_tomorrow"), (late.id, "overdue")]
    assert notifications.notify_due(ctx()) == notifications.DueRun()  # run again: nothing twice
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.reminded")).all()
    assert sorted(e.object_id for e in events) == sorted([tomorrow.id, late.id])
    assert all(e.actor_label == "system" and e.actor_id is None for e in events)

    clock.set(datetime(2024, 3, 3, 8, 0, tzinfo=UTC))  # the day after: "tomorrow" is now overdue
    assert notifications.notify_due(ctx()) == notifications.DueRun(overdue=1)
    assert _reminders()[-1] == (tomorrow.id, "overdue")

    # A new due date is a new reminder.
    claims.assign(ctx(), actor=editor, claim=late, assignee=checker, due_date=date(2024, 3, 4))
    assert notifications.notify_due(ctx()) == notifications.DueRun(due_tomorrow=1)
    assert _reminders()[-1] == (late.id, "due_tomorrow")
    assert notifications.notify_due(ctx()) == notifications.DueRun()


def test_the_reminder_command_runs_with_the_apps_clock(app, make, clock):  # noqa: F811
    checker = make.user("checker")
    claim = make.assigned_claim(checker, due_date=date(2024, 3, 2))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notify-due"])
    assert result.exit_code == 0, result.output
    assert "1 due tomorrow, 0 overdue" in result.output
    assert runner.invoke(args=["notify-due"]).output.strip() == "Reminders sent: 0 due tomorrow, 0 overdue."
    sent = db.session.scalars(select(Notification).where(Notification.kind == "due_tomorrow")).all()
    assert [(n.user_id, n.claim_id) for n in sent] == [(checker.id, claim.id)]
    assert "due tomorrow (2 Mar)" in sent[0].message
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "claim.reminded")) == 1


def test_a_verdict_waiting_for_review_is_told_to_the_article_s_editor_and_the_assigning_editor(make):
    from factcheck.services import evidence

    author, desk_editor, checker = make.user("editor"), make.user("editor"), make.user("checker")
    claim = make.claim(editor=author)
    claims.assign(ctx(), actor=desk_editor, claim=claim, assignee=checker)
    assert claim.assigned_by_id == desk_editor.id
    evidence.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/minutes",
                          title="Council minutes", stance="supports")
    claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="verified", rationale="The minutes say so.")
    told = sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == "review_waiting")))
    assert told == sorted([author.id, desk_editor.id])


def test_the_editor_who_assigned_and_wrote_the_article_is_told_once(make):
    editor = make.user("editor")
    make.proposed_claim(editor=editor)
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "review_waiting")) == 1
