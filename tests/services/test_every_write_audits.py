"""Every write of the application records its audit events, in the same transaction as the change.

The writes are found, not listed by hand: every public function of every module of
``factcheck.services`` that takes an ``actor`` (or opens ``with transaction(...)``), except the guards
named ``check_*``, which only read and refuse. Each must have a
scenario in WRITES below that calls it and names the exact events it must add: actor, action,
object, article and the before/after values. A new write without a scenario fails
``test_every_write_has_a_scenario`` until one is added here.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

import factcheck.services
from factcheck.extensions import db
from factcheck.models import Article, AuditEvent, Claim, ClaimStatus, User
from factcheck.services import (
    articles,
    audit,
    audit_log,
    claims,
    jobs,
    notifications,
    revisions,
    tokens,
    users,
    webhooks,
    workflow,
)
from factcheck.services import evidence as evidence_service
from factcheck.services.db import transaction
from factcheck.settings import parse_smtp_url
from tests.support.context import configure, ctx
from tests.support.factories import ARTICLE_TEXT, SECOND_CLAIM, Factory


def discover_writes() -> set[str]:
    """'module.function' for every public service function that writes."""
    found = set()
    for info in pkgutil.iter_modules(factcheck.services.__path__):
        module = importlib.import_module(f"factcheck.services.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith(("_", "check_")):
                continue
            if "actor" in inspect.signature(function).parameters or "with transaction(" in inspect.getsource(function):
                found.add(f"{info.name}.{name}")
    return found


@dataclass
class E:
    """One expected event. ``actor`` is the User, or the actor_label of an event nobody signed in made."""

    actor: User | str
    action: str
    object_type: str
    object_id: int | None
    article_id: int | None = None
    changes: dict[str, tuple] | None = None  # field -> (before, after)
    partial: bool = False  # only the named fields are checked


Scenario = Callable[[Factory], Callable[[], list[E]]]
WRITES: dict[str, Scenario] = {}


def write(name: str):
    def register(scenario: Scenario) -> Scenario:
        WRITES[name] = scenario
        return scenario
    return register


# ---- articles ---------------------------------------------------------------------------------------

@write("articles.create_article")
def _create_article(make):
    editor = make.user("editor")

    def run():
        article = articles.create_article(ctx(), actor=editor, title="Floods", text="Rivers rose.\n",
                                          outlet="Wire", source_url="https://example.org/a")
        return [
            E(editor, "article.created", "article", article.id, article.id,
              {"title": (None, "Floods"), "outlet": (None, "Wire"), "byline": (None, ""), "language": (None, "en"),
               "source_url": (None, "https://example.org/a"), "status": (None, "draft")}),
            E(editor, "revision.created", "revision", article.current_revision_id, article.id,
              {"number": (None, 1), "length": (None, len("Rivers rose.\n"))}, partial=True),
        ]
    return run


@write("articles.insert_article")
def _insert_article(make):
    editor = make.user("editor")

    def run():
        with transaction(db.session):
            article = articles.insert_article(ctx(), actor=editor, title="Floods", text="Rivers rose.\n")
        return [
            E(editor, "article.created", "article", article.id, article.id, {"title": (None, "Floods")}, partial=True),
            E(editor, "revision.created", "revision", article.current_revision_id, article.id,
              {"number": (None, 1)}, partial=True),
        ]
    return run


@write("articles.refresh_status")
def _refresh_status(make):
    editor = make.user("editor")
    article = make.article(editor)
    # A claim written behind the services' back leaves the article's status stale: draft, with a claim.
    with transaction(db.session):
        db.session.add(Claim(article_id=article.id, revision_id=article.current_revision_id, quote="The council",
                             start=0, end=11, status=ClaimStatus.OPEN, statement="x"))

    def run():
        with transaction(db.session):
            articles.refresh_status(ctx(), article, editor)
        return [E(editor, "article.status_changed", "article", article.id, article.id,
                  {"status": ("draft", "in_check")})]
    return run


@write("articles.move")
def _move(make):
    editor, article = _ready_article(make)

    def run():
        with transaction(db.session):
            articles.move(ctx(), editor, article, workflow.ArticleEvent.APPROVE, "article.approved")
        return [E(editor, "article.approved", "article", article.id, article.id, {"status": ("ready", "approved")})]
    return run


@write("claims.recorded")
def _recorded(make):
    editor = make.user("editor")
    claim = make.claim(editor=editor)

    def run():
        with transaction(db.session), claims.recorded(ctx(), editor, claim, "claim.reprioritised"):
            claim.priority = "urgent"
        return [E(editor, "claim.reprioritised", "claim", claim.id, claim.article_id,
                  {"priority": ("normal", "urgent")})]
    return run


def _ready_article(make: Factory) -> tuple[User, Article]:
    editor = make.user("editor")
    article = make.article(editor)
    make.final_claim(article=article, editor=editor)
    db.session.refresh(article)
    assert article.status == "ready"
    return editor, article


@write("articles.approve")
def _approve(make):
    editor, article = _ready_article(make)

    def run():
        articles.approve(ctx(), actor=editor, article=article)
        return [E(editor, "article.approved", "article", article.id, article.id, {"status": ("ready", "approved")})]
    return run


@write("articles.publish")
def _publish(make):
    editor, article = _ready_article(make)
    articles.approve(ctx(), actor=editor, article=article)

    def run():
        articles.publish(ctx(), actor=editor, article=article)
        return [E(editor, "article.published", "article", article.id, article.id,
                  {"status": ("approved", "published")})]
    return run


# ---- claims -----------------------------------------------------------------------------------------

def _created_claim_changes(quote: str, start: int, status: str, **more) -> dict[str, tuple]:
    values = {"quote": quote, "start": start, "end": start + len(quote), "status": status, "statement": quote,
              "via": [], "kind": "statement", **more}
    return {key: (None, value) for key, value in values.items()}


@write("claims.add_claim")
def _add_claim(make):
    editor = make.user("editor")
    article = make.article(editor)

    def run():
        claim = claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
        return [
            E(editor, "claim.created", "claim", claim.id, article.id,
              _created_claim_changes(SECOND_CLAIM, ARTICLE_TEXT.index(SECOND_CLAIM), "open")),
            E(editor, "article.status_changed", "article", article.id, article.id, {"status": ("draft", "in_check")}),
        ]
    return run


@write("claims.insert_claim")
def _insert_claim(make):
    from factcheck.services.anchoring import find_quote

    editor = make.user("editor")
    article = make.article(editor)

    def run():
        with transaction(db.session):
            claim = claims.insert_claim(ctx(), editor, article, find_quote(article.text, SECOND_CLAIM),
                                        ClaimStatus.OPEN, "claim.created")
        return [E(editor, "claim.created", "claim", claim.id, article.id,
                  _created_claim_changes(SECOND_CLAIM, ARTICLE_TEXT.index(SECOND_CLAIM), "open"))]
    return run


@write("claims.suggest_claim")
def _suggest_claim(make):
    article = make.article()
    start = ARTICLE_TEXT.index(SECOND_CLAIM)

    def run():
        claim = claims.suggest_claim(ctx(), article=article, start=start, end=start + len(SECOND_CLAIM),
                                     claimant="the transport office", via=[], kind="statistic", score=0.8)
        return [
            E("system", "claim.suggested", "claim", claim.id, article.id,
              {"status": (None, "suggested"), "claimant": (None, "the transport office"), "kind": (None, "statistic"),
               "score": (None, 0.8)}, partial=True),
            E("system", "article.status_changed", "article", article.id, article.id, {"status": ("draft", "in_check")}),
        ]
    return run


def _suggested(make: Factory) -> tuple[User, Claim]:
    editor = make.user("editor")
    article = make.article(editor)
    start = ARTICLE_TEXT.index(SECOND_CLAIM)
    claim = claims.suggest_claim(ctx(), article=article, start=start, end=start + len(SECOND_CLAIM),
                                 claimant=None, via=[], kind="statistic", score=0.5)
    return editor, claim


@write("claims.accept_suggestion")
def _accept_suggestion(make):
    editor, claim = _suggested(make)

    def run():
        claims.accept_suggestion(ctx(), actor=editor, claim=claim, statement="It costs 210 million euros.",
                                 claimant="transport office")
        return [E(editor, "claim.accepted", "claim", claim.id, claim.article_id,
                  {"status": ("suggested", "open"), "statement": (SECOND_CLAIM, "It costs 210 million euros."),
                   "claimant": (None, "transport office")})]
    return run


@write("claims.dismiss")
def _dismiss(make):
    editor, claim = _suggested(make)

    def run():
        claims.dismiss(ctx(), actor=editor, claim=claim, reason="Not checkable.")
        return [
            E(editor, "claim.dismissed", "claim", claim.id, claim.article_id,
              {"status": ("suggested", "dismissed"), "dismiss_reason": (None, "Not checkable.")}),
            E(editor, "article.status_changed", "article", claim.article_id, claim.article_id,
              {"status": ("in_check", "ready")}),
        ]
    return run


@write("claims.assign")
def _assign(make):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    checker = make.user("checker")

    def run():
        claims.assign(ctx(), actor=editor, claim=claim, assignee=checker, due_date=date(2030, 1, 2),
                      priority="high")
        return [E(editor, "claim.assigned", "claim", claim.id, claim.article_id,
                  {"status": ("open", "assigned"), "assignee_id": (None, checker.id),
                   "due_date": (None, "2030-01-02"), "priority": ("normal", "high")})]
    return run


@write("claims.bulk_assign")
def _bulk_assign(make):
    editor = make.user("editor")
    first = make.claim(editor=editor)
    second = claims.add_claim(ctx(), actor=editor, article=first.article, quote="The line will cost 210 million euros")
    checker = make.user("checker")

    def run():
        claims.bulk_assign(ctx(), actor=editor, claims=[first, second], assignee=checker, priority="urgent")
        return [E(editor, "claim.assigned", "claim", claim.id, claim.article_id,
                  {"status": ("open", "assigned"), "assignee_id": (None, checker.id), "priority": ("normal", "urgent")})
                for claim in (first, second)]
    return run


@write("claims.take_from_pool")
def _take_from_pool(make):
    from flask import current_app

    configure(current_app, checker_pool=True)
    claim = make.claim()
    checker = make.user("checker")

    def run():
        claims.take_from_pool(ctx(), actor=checker, claim=claim)
        return [E(checker, "claim.taken", "claim", claim.id, claim.article_id,
                  {"status": ("open", "assigned"), "assignee_id": (None, checker.id)})]
    return run


@write("claims.start_on_first_work")
def _start_on_first_work(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)

    def run():
        # It runs inside a caller's transaction (adding evidence); committing here stands in for that.
        claims.start_on_first_work(ctx(), checker, claim)
        db.session.commit()
        return [E(checker, "claim.started", "claim", claim.id, claim.article_id, {"status": ("assigned", "in_progress")})]
    return run


@write("claims.start_work")
def _start_work(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)

    def run():
        claims.start_work(ctx(), actor=checker, claim=claim)
        return [E(checker, "claim.started", "claim", claim.id, claim.article_id, {"status": ("assigned", "in_progress")})]
    return run


@write("evidence.add_evidence")
def _add_evidence(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)

    def run():
        evidence = evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/minutes",
                                       title="Minutes", stance="supports", excerpt="27 to 4")
        return [
            E(checker, "evidence.added", "evidence", evidence.id, claim.article_id,
              {"claim_id": (None, claim.id), "url": (None, "https://example.org/minutes"), "title": (None, "Minutes"),
               "stance": (None, "supports"), "excerpt": (None, "27 to 4")}, partial=True),
            E(checker, "claim.started", "claim", claim.id, claim.article_id, {"status": ("assigned", "in_progress")}),
        ]
    return run


@write("claims.propose_verdict")
def _propose_verdict(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/m", title="M",
                        stance="supports")

    def run():
        claims.propose_verdict(ctx(), actor=checker, claim=claim, verdict="false", rationale="Wrong count.")
        return [E(checker, "verdict.proposed", "claim", claim.id, claim.article_id,
                  {"status": ("in_progress", "proposed"), "verdict": (None, "false"),
                   "rationale": (None, "Wrong count.")})]
    return run


@write("claims.accept_verdict")
def _accept_verdict(make):
    claim = make.proposed_claim()
    reviewer = make.user("editor")

    def run():
        claims.accept_verdict(ctx(), actor=reviewer, claim=claim)
        return [
            E(reviewer, "verdict.accepted", "claim", claim.id, claim.article_id, {"status": ("proposed", "final")}),
            E(reviewer, "article.status_changed", "article", claim.article_id, claim.article_id,
              {"status": ("in_check", "ready")}),
        ]
    return run


@write("claims.return_verdict")
def _return_verdict(make):
    claim = make.proposed_claim()
    reviewer = make.user("editor")

    def run():
        claims.return_verdict(ctx(), actor=reviewer, claim=claim, note="Check the date.")
        note = claim.notes[-1]
        return [
            E(reviewer, "verdict.returned", "claim", claim.id, claim.article_id, {"status": ("proposed", "in_progress")}),
            E(reviewer, "note.added", "note", note.id, claim.article_id,
              {"claim_id": (None, claim.id), "body": (None, "Check the date.")}),
        ]
    return run


@write("claims.resolve")
def _resolve(make):
    claim = make.final_claim(verdict="false")
    editor = make.user("editor")
    # The rated sentence is cut in a new revision: the claim is orphaned, its verdict still needs settling.
    text = "".join(line for line in claim.article.text.splitlines(keepends=True) if claim.quote not in line)
    report = revisions.revise(ctx(), actor=editor, article=claim.article, text=text)
    assert claim.status == "orphaned"

    def run():
        claims.resolve(ctx(), actor=editor, claim=claim, resolution="removed", note="Cut from the story.",
                       expected_version=claim.version)
        return [
            E(editor, "claim.resolved", "claim", claim.id, claim.article_id,
              {"status": ("orphaned", "final"), "resolution": (None, "removed"),
               "resolution_note": (None, "Cut from the story."),
               "resolution_revision_id": (None, report.revision.id)}),
            E(editor, "article.status_changed", "article", claim.article_id, claim.article_id,
              {"status": ("in_check", "ready")}),
        ]
    return run


@write("claims.reanchor")
def _reanchor(make):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    editor = make.user("editor")
    revisions.revise(ctx(), actor=editor, article=claim.article,
                     text=claim.article.text.replace(claim.quote, "A short sentence stands here now"))
    assert claim.status == "orphaned"
    old_quote = claim.quote
    suggested = [c for c in claim.article.claims if c.status == "suggested"]

    def run():
        claims.reanchor(ctx(), actor=editor, claim=claim, quote="A short sentence stands here now",
                        expected_version=claim.version)
        events = [E(editor, "claim.reanchored", "claim", claim.id, claim.article_id,
                    {"status": ("orphaned", "in_progress"), "quote": (old_quote, "A short sentence stands here now")},
                    partial=True)]
        # A suggestion the revision made on the same words gives way to the checked claim.
        return events + [E(editor, "claim.dismissed", "claim", c.id, c.article_id, {"status": ("suggested", "dismissed")},
                           partial=True) for c in suggested]
    return run


# ---- intake and suggestions (the lead's; expectations name what each call must at least record) ------

def _claim_mark() -> int:
    return db.session.scalar(select(sa.func.max(Claim.id))) or 0


def _suggestion_events(actor, article: Article, claims_after: int) -> list[E]:
    """One claim.suggested event for each claim the call added."""
    added = db.session.scalars(select(Claim).where(Claim.article_id == article.id, Claim.id > claims_after)
                               .order_by(Claim.id)).all()
    return [E(actor, "claim.suggested", "claim", c.id, article.id, {"status": (None, "suggested")}, partial=True)
            for c in added]


@write("intake.import_article")
def _import_article(make):
    from factcheck.services import intake

    editor = make.user("editor")

    def run():
        mark = _claim_mark()
        imported = intake.import_article(ctx(), actor=editor, title="Tram", text=ARTICLE_TEXT)
        article = imported.article
        events = [
            E(editor, "article.created", "article", article.id, article.id, {"title": (None, "Tram")}, partial=True),
            E(editor, "revision.created", "revision", article.current_revision_id, article.id, {}, partial=True),
            *_suggestion_events(editor, article, mark),
        ]
        if imported.suggestions:
            events.append(E(editor, "article.status_changed", "article", article.id, article.id,
                            {"status": ("draft", "in_check")}))
        return events
    return run


@write("suggestions.add_suggestions")
def _add_suggestions(make):
    from factcheck.services import suggestions

    editor = make.user("editor")
    article = make.article(editor)

    def run():
        mark = _claim_mark()
        with transaction(db.session):
            added = suggestions.add_suggestions(ctx(), actor=editor, article=article,
                                                revision=article.current_revision)
        assert added > 0
        return [*_suggestion_events(editor, article, mark),
                E(editor, "article.status_changed", "article", article.id, article.id, {"status": ("draft", "in_check")})]
    return run


@write("suggestions.restore_furniture")
def _restore_furniture(make):
    from factcheck.services import intake, suggestions

    editor = make.user("editor")
    text = ARTICLE_TEXT + "Image: Reuters\nThe ministry said prices rose by 5 percent last year.\n"
    article = intake.import_article(ctx(), actor=editor, title="Tram", text=text).article
    revision = article.current_revision
    assert revision.furniture, "the furniture detector set nothing aside in this text"
    line = revision.furniture[0]

    def run():
        mark = _claim_mark()
        suggestions.restore_furniture(ctx(), actor=editor, article=article, index=0)
        return [E(editor, "revision.furniture_restored", "revision", revision.id, article.id,
                  {"furniture": (line, None)}),
                *_suggestion_events(editor, article, mark)]
    return run


# ---- evidence, notes, notifications (the lead's claim desk) ------------------------------------------

def _evidence(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)
    item = evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/m",
                                         title="Minutes", stance="supports")
    return checker, claim, item


@write("evidence.edit_evidence")
def _edit_evidence(make):
    checker, claim, item = _evidence(make)

    def run():
        evidence_service.edit_evidence(ctx(), actor=checker, evidence=item, url=item.url, title="Council minutes",
                                       stance="supports")
        return [E(checker, "evidence.edited", "evidence", item.id, claim.article_id,
                  {"claim_id": (claim.id, claim.id), "title": ("Minutes", "Council minutes")})]
    return run


@write("evidence.remove_evidence")
def _remove_evidence(make):
    checker, claim, item = _evidence(make)

    def run():
        evidence_service.remove_evidence(ctx(), actor=checker, evidence=item, reason="Wrong document.")
        return [E(checker, "evidence.removed", "evidence", item.id, claim.article_id,
                  {"removed": (False, True), "removal_reason": (None, "Wrong document.")})]
    return run


@write("notes.add_note")
def _add_note(make):
    from factcheck.services import notes

    checker = make.user("checker")
    claim = make.assigned_claim(checker)

    def run():
        note = notes.add_note(ctx(), actor=checker, claim=claim, body="Looking for the minutes.")
        return [E(checker, "note.added", "note", note.id, claim.article_id,
                  {"claim_id": (None, claim.id), "body": (None, "Looking for the minutes.")})]
    return run


@write("notifications.notify")
def _notify(make):
    from factcheck.services import notifications

    editor, checker = make.user("editor"), make.user("checker")

    def run():
        with transaction(db.session):
            notifications.notify(ctx(), recipient=checker, kind="test", message="Look", actor=editor)
        return []  # queued inside the write that causes it, whose own event records the change
    return run


@write("notifications.notify_due")
def _notify_due(make):
    """One event per reminder, by the system; a second run finds nothing left to send."""
    from datetime import UTC, datetime

    from factcheck.services import notifications

    checker = make.user("checker")
    claim = make.assigned_claim(checker, due_date=date(2024, 3, 2))

    def run():
        now = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
        assert notifications.notify_due(ctx(), now) == notifications.DueRun(due_tomorrow=1)
        assert notifications.notify_due(ctx(), now) == notifications.DueRun()
        return [E("system", "claim.reminded", "claim", claim.id, claim.article_id,
                  {"reminder": (None, "due_tomorrow"), "due_date": (None, date(2024, 3, 2)),
                   "assignee_id": (None, checker.id)})]
    return run


@write("presence.heartbeat")
def _heartbeat(make):
    """A heartbeat changes nothing in the record of the claim: no event (services/presence.py)."""
    from factcheck.services import presence

    checker = make.user("checker")
    claim = make.assigned_claim(checker)

    def run():
        presence.heartbeat(ctx(), actor=checker, claim=claim)
        return []
    return run


@write("notifications.mark_all_read")
def _mark_all_read(make):
    from factcheck.services import notifications

    editor, checker = make.user("editor"), make.user("checker")
    with transaction(db.session):
        notifications.notify(ctx(), recipient=checker, kind="test", message="Look", actor=editor)

    def run():
        notifications.mark_all_read(ctx(), actor=checker)
        return [E(checker, "notifications.read", "user", checker.id, None, {"unread": (1, 0)})]
    return run


# ---- users ------------------------------------------------------------------------------------------

@write("users.create_user")
def _create_user(make):
    admin = make.user("admin")

    def run():
        user = users.create_user(ctx(), actor=admin, email="New@Example.test", password="long enough",
                                 roles=["checker", "editor"], display_name="New Person")
        return [E(admin, "user.created", "user", user.id, None,
                  {"email": (None, "new@example.test"), "display_name": (None, "New Person"),
                   "roles": (None, ["checker", "editor"])})]
    return run


@write("users.set_active")
def _set_active(make):
    admin = make.user("admin")
    user = make.user("checker")

    def run():
        users.set_active(ctx(), actor=admin, user=user, active=False)
        return [E(admin, "user.deactivated", "user", user.id, None, {"active": (True, False)})]
    return run


@write("users.set_roles")
def _set_roles(make):
    admin = make.user("admin")
    user = make.user("checker")

    def run():
        users.set_roles(ctx(), actor=admin, user=user, roles=["checker", "editor"])
        return [E(admin, "user.roles_changed", "user", user.id, None,
                  {"roles": (["checker"], ["checker", "editor"])})]
    return run


@write("tokens.issue_token")
def _issue_token(make):
    admin = make.user("admin")
    user = make.user("editor")

    def run():
        issued = tokens.issue_token(ctx(), actor=admin, user=user, name="CMS", scopes=["write", "read"], days=30)
        token = issued.token
        return [E(admin, "token.issued", "api_token", token.id, None,
                  {"user_id": (None, user.id), "name": (None, "CMS"), "scopes": (None, "read write"),
                   "prefix": (None, token.prefix), "expires_at": (None, token.expires_at)})]
    return run


@write("tokens.revoke_token")
def _revoke_token(make):
    admin = make.user("admin")
    token = tokens.issue_token(ctx(), actor=admin, user=make.user("checker"), name="Bot", scopes=["read"]).token

    def run():
        tokens.revoke_token(ctx(), actor=admin, token=token)
        return [E(admin, "token.revoked", "api_token", token.id, None, {"revoked_at": (None, token.revoked_at)})]
    return run


@write("webhooks.register_webhook")
def _register_webhook(make):
    admin = make.user("admin")

    def run():
        hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                         events=["claim.verdict_final", "article.approved"]).webhook
        return [E(admin, "webhook.registered", "webhook", hook.id, None,
                  {"url": (None, "https://cms.example/hook"), "events": (None, "article.approved claim.verdict_final"),
                   "active": (None, True)})]
    return run


@write("webhooks.set_active")
def _set_webhook_active(make):
    admin = make.user("admin")
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["article.approved"]).webhook

    def run():
        webhooks.set_active(ctx(), actor=admin, webhook=hook, active=False)
        webhooks.set_active(ctx(), actor=admin, webhook=hook, active=False)  # already so: nothing recorded
        webhooks.set_active(ctx(), actor=admin, webhook=hook, active=True)
        return [E(admin, "webhook.disabled", "webhook", hook.id, None, {"active": (True, False)}),
                E(admin, "webhook.enabled", "webhook", hook.id, None, {"active": (False, True)})]
    return run


@write("webhooks.delete_webhook")
def _delete_webhook(make):
    admin = make.user("admin")
    hook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                     events=["claim.verdict_final"]).webhook
    make.final_claim()  # one delivery queued, removed with the webhook
    hook_id = hook.id

    def run():
        webhooks.delete_webhook(ctx(), actor=admin, webhook=hook)
        return [E(admin, "webhook.deleted", "webhook", hook_id, None,
                  {"url": ("https://cms.example/hook", None), "events": ("claim.verdict_final", None),
                   "deliveries": (1, 0)})]
    return run


@write("webhooks.deliver_due")
def _deliver_due(make):
    """Delivery attempts are logged on their webhook_deliveries rows, not in the audit log (the
    audit log already holds the change each delivery reports)."""
    admin = make.user("admin")
    webhooks.register_webhook(ctx(), actor=admin, url="http://127.0.0.1:9/nobody", events=["claim.verdict_final"])
    make.final_claim()

    def run():
        assert webhooks.deliver_due(ctx(), send=lambda url, body, headers: webhooks.Answer(204, "")) == 1
        return []
    return run


def _send_e_mail(make: Factory) -> None:
    """The newsroom sends e-mail (to a server nobody listens on: these scenarios never reach it)."""
    from flask import current_app

    configure(current_app, smtp=parse_smtp_url("smtp://127.0.0.1:9"), mail_from="desk@news.test",
              public_url="https://factcheck.news.test")
    make.ctx = ctx()


@write("mail.queue")
def _mail_queue(make):
    from factcheck.models import Notification
    from factcheck.services import mail

    editor, checker = make.user("editor"), make.user("checker")
    claim = make.claim(editor=editor)
    _send_e_mail(make)

    def run():
        with transaction(db.session):
            notification = Notification(user_id=checker.id, kind="assignment", message="Look", claim_id=claim.id)
            db.session.add(notification)
            assert mail.queue(ctx(), notification, recipient=checker, actor=editor, claim=claim) is not None
        return []  # queued inside the write that causes it, whose own event records the change
    return run


@write("mail.deliver_due")
def _mail_deliver_due(make):
    """Attempts are logged on their outgoing_emails rows, not in the audit log (which holds the change
    each e-mail tells about)."""
    from factcheck.services import mail

    _send_e_mail(make)
    make.assigned_claim()

    def run():
        assert mail.deliver_due(ctx(), send=lambda message, sender, recipient: None).sent == 1
        return []
    return run


@write("users.set_email_notifications")
def _set_email_notifications(make):
    user = make.user("checker")

    def run():
        users.set_email_notifications(ctx(), actor=user, user=user, on=False)
        return [E(user, "user.email_notifications_changed", "user", user.id, None,
                  {"email_notifications": (True, False)})]
    return run


@write("revisions.revise")
def _revise(make):
    editor = make.user("editor")
    claim = make.claim(editor=editor)
    article = claim.article
    first_revision = claim.revision_id

    def run():
        report = revisions.revise(ctx(), actor=editor, article=article, text=article.text + "One more line.\n")
        return [
            E(editor, "revision.created", "revision", report.revision.id, article.id,
              {"number": (None, 2)}, partial=True),
            E(editor, "claim.reanchored", "claim", claim.id, article.id,
              {"revision_id": (first_revision, report.revision.id)}, partial=True),
        ]
    return run


@write("users.change_password")
def _change_password(make):
    user = make.user("checker")

    def run():
        users.change_password(ctx(), actor=user, current_password=Factory.PASSWORD, new_password="a new password")
        return [E(user, "user.password_changed", "user", user.id, None, {})]
    return run


@write("users.authenticate")
def _authenticate(make):
    user = make.user("checker")

    def run():
        users.authenticate(ctx(), user.email, Factory.PASSWORD)
        with pytest.raises(Exception, match="Wrong email or password"):
            users.authenticate(ctx(), user.email, "wrong password")
        return [E(user, "auth.login", "user", user.id, None, {}),
                E(user.email, "auth.login_failed", "user", user.id, None, {})]
    return run


@write("users.record_logout")
def _record_logout(make):
    user = make.user("checker")

    def run():
        users.record_logout(ctx(), user)
        return [E(user, "auth.logout", "user", user.id, None, {})]
    return run


@write("users.sign_out_everywhere")
def _sign_out_everywhere(make):
    user = make.user("checker")
    for _ in range(2):
        users.authenticate(ctx(), user.email, Factory.PASSWORD)
    mark = _last_id()

    def run():
        assert _last_id() == mark
        users.sign_out_everywhere(ctx(), actor=user)
        return [E(user, "auth.signed_out_everywhere", "user", user.id, None, {"sessions": (2, 0)})]
    return run


@write("notifications.mark_read")
def _mark_read(make):
    editor = make.user("editor")
    checker = make.user("checker")
    with transaction(db.session):
        notification = notifications.notify(ctx(), recipient=checker, kind="test", message="Look", actor=editor)
    assert notification is not None

    def run():
        assert notifications.mark_read(ctx(), actor=checker, notification=notification) is True
        assert notifications.mark_read(ctx(), actor=checker, notification=notification) is False  # nothing recorded
        return [E(checker, "notifications.read", "notification", notification.id, None, {"unread": (1, 0)})]
    return run


@write("notifications.mark_claim_read")
def _mark_claim_read(make):
    checker = make.user("checker")
    claim = make.assigned_claim(checker)  # the assignment notified the checker

    def run():
        assert notifications.mark_claim_read(ctx(), actor=checker, claim_id=claim.id) == 1
        assert notifications.mark_claim_read(ctx(), actor=checker, claim_id=claim.id) == 0  # nothing left: no event
        return [E(checker, "notifications.read", "claim", claim.id, None, {"unread": (1, 0)})]
    return run


# ---- the audit trail itself -------------------------------------------------------------------------

@write("audit.record")
def _record(make):
    user = make.user("editor")

    def run():
        with transaction(db.session):
            audit.record(ctx(), actor=user, action="test.recorded", object_type="test", object_id=7,
                         article_id=3, changes=audit.diff({"x": 1}, {"x": 2}))
        return [E(user, "test.recorded", "test", 7, 3, {"x": (1, 2)})]
    return run


@write("audit.record_many")
def _record_many(make):
    user = make.user("editor")

    def run():
        with transaction(db.session):
            audit.record_many(ctx(), actor=user, action="test.recorded", object_type="test", article_id=3,
                              objects=[(7, audit.created({"x": 1})), (8, audit.created({"x": 2}))])
        return [E(user, "test.recorded", "test", 7, 3, {"x": (None, 1)}),
                E(user, "test.recorded", "test", 8, 3, {"x": (None, 2)})]
    return run


@write("audit.verify_and_record")
def _verify_and_record(make):
    manager = make.user("manager")
    count = _last_id()

    def run():
        audit.verify_and_record(ctx(), actor=manager)
        audit.verify_and_record(ctx(), actor=None, actor_label="cli")
        return [E(manager, "audit.verified", "audit", None, None, {"intact": (None, True), "count": (None, count)}),
                E("cli", "audit.verified", "audit", None, None, {"intact": (None, True), "count": (None, count + 1)})]
    return run


@write("audit_log.record_export")
def _record_export(make):
    manager = make.user("manager")

    def run():
        filters = audit_log.Filters(action="claim.assigned", date_from=date(2030, 1, 1))
        audit_log.record_export(ctx(), actor=manager, filters=filters, fmt="jsonl")
        return [E(manager, "audit.exported", "audit", None, None,
                  {"format": (None, "jsonl"),
                   "filters": (None, {"action": "claim.assigned", "date_from": "2030-01-01"})})]
    return run


# ---- background jobs --------------------------------------------------------------------------------

@write("jobs.submit")
def _submit_job(make):
    editor = make.user("editor")

    def run():
        jobs.submit(ctx(), actor=editor, kind="article.import", params={"title": "T"}, payload=b"text")
        return []  # bookkeeping: what the job changes is audited by the services it calls
    return run


@write("jobs.retry")
def _retry_job(make):
    editor = make.user("editor")
    job = jobs.submit(ctx(), actor=editor, kind="article.import", params={}, payload=b"")
    jobs.take(db.session, job.id, ctx().now())
    jobs.fail(db.session, job.id, "Paste the article text or choose a file.", ctx().now(), field="text")
    db.session.refresh(job)

    def run():
        jobs.retry(ctx(), actor=editor, job=job)
        return []
    return run


def _machine_bookkeeping(step):
    """A running job's bookkeeping is the machine's, not a change to the newsroom's record: no event
    (the job's own service calls record theirs)."""
    def scenario(make):
        job = jobs.submit(ctx(), actor=make.user("editor"), kind="audit.verify", params={})

        def run():
            step(job.id)
            return []
        return run
    return scenario


write("jobs.take")(_machine_bookkeeping(lambda job_id: jobs.take(db.session, job_id, ctx().now())))
write("jobs.report_progress")(_machine_bookkeeping(lambda job_id: jobs.report_progress(db.session, job_id, 50, "Half")))
write("jobs.succeed")(_machine_bookkeeping(lambda job_id: jobs.succeed(db.session, job_id, {"ok": True}, ctx().now())))
write("jobs.fail")(_machine_bookkeeping(lambda job_id: jobs.fail(db.session, job_id, "No.", ctx().now())))
write("jobs.store_output")(_machine_bookkeeping(lambda job_id: jobs.store_output(db.session, job_id, [b"a,b\n"])))
write("jobs.discard")(_machine_bookkeeping(lambda job_id: (
    jobs.take(db.session, job_id, ctx().now()), jobs.fail(db.session, job_id, "No.", ctx().now()),
    jobs.discard(db.session, job_id))))
write("jobs.purge_finished")(_machine_bookkeeping(
    lambda _job_id: jobs.purge_finished(db.session, older_than=ctx().now() + timedelta(days=1))))
write("jobs.abandon_stalled")(_machine_bookkeeping(
    lambda _job_id: jobs.abandon_stalled(db.session, now=ctx().now(), timeout=timedelta(minutes=1))))


# ---- the tests --------------------------------------------------------------------------------------

def _last_id() -> int:
    return db.session.scalar(select(sa.func.max(AuditEvent.id))) or 0


def test_every_write_has_a_scenario():
    writes = discover_writes()
    missing = sorted(writes - set(WRITES))
    assert not missing, (
        f"These service functions write but have no scenario in {__file__}: {', '.join(missing)}. "
        "Add one to WRITES (@write('module.function')) naming the audit events the call must record."
    )
    stale = sorted(set(WRITES) - writes)
    assert not stale, f"WRITES names functions that no longer exist or no longer write: {', '.join(stale)}"


def _function(name: str) -> Callable[..., object]:
    module, function = name.split(".")
    return getattr(importlib.import_module(f"factcheck.services.{module}"), function)


def _check(event: AuditEvent, expected: E) -> None:
    where = f"event {event.id} ({event.action}), expected {expected.action}"
    assert event.action == expected.action, where
    if isinstance(expected.actor, str):
        assert event.actor_id is None and event.actor_label == expected.actor, where
    else:
        assert event.actor_id == expected.actor.id and event.actor_label == expected.actor.email, where
    assert (event.object_type, event.object_id) == (expected.object_type, expected.object_id), where
    assert event.article_id == expected.article_id, where
    if expected.changes is not None:
        wanted = {key: {"before": audit._jsonable(before), "after": audit._jsonable(after)}
                  for key, (before, after) in expected.changes.items()}
        got = event.changes if not expected.partial else {k: v for k, v in event.changes.items() if k in wanted}
        assert got == wanted, where


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_write_records_exactly_its_events(app, make, name):
    run = WRITES[name](make)
    mark = _last_id()
    expected = run()
    db.session.rollback()  # what was recorded must already be committed, with the change
    with db.engine.connect() as connection:  # seen from another connection: committed
        committed = connection.scalar(select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.id > mark))
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > mark).order_by(AuditEvent.id)))
    assert committed == len(events)
    assert [e.action for e in events] == [e.action for e in expected], name
    for event, wanted in zip(events, expected, strict=True):
        _check(event, wanted)
    if "action" not in inspect.signature(_function(name)).parameters:  # not a recorder of its caller's action
        unnamed = {(e.object_type, e.action) for e in events} - {
            (kind, action) for kind, actions in audit_log.EVENT_KINDS.items() for action in actions}
        assert not unnamed, f"add {unnamed} to audit_log.EVENT_KINDS: the audit log's filter offers only those"
    assert audit.verify(ctx()).intact
