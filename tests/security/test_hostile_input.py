"""Hostile bytes in every form field, query parameter and path number: never a 5xx, nothing stored
half-way (issue 11, point 4).

The routes come from the app's URL map, so a new route without an entry here fails
``test_every_route_is_covered``. For each POST route a role that may use it builds valid data on
fresh objects, then each field in turn gets each hostile value; a 4xx answer must leave every
table's row count as it was. A request that succeeds may change the objects, so the objects are
built again after it. GET routes get each hostile value in each of their query parameters; every
number in a path gets out-of-range and non-ASCII spellings and must answer 404.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask

from factcheck.extensions import db
from factcheck.models import Claim, ClaimStatus
from factcheck.services import articles, evidence, intake, jobs, revisions
from tests.support.context import configure, ctx
from tests.support.factories import ARTICLE_TEXT, FIRST_CLAIM, SECOND_CLAIM, Factory


class _InvalidUtf8:
    """Stands for bytes that are not UTF-8 (sent percent-encoded as %FF%FE)."""

    def __repr__(self) -> str:
        return "<%FF%FE>"


INVALID_UTF8 = _InvalidUtf8()
# Every field gets the core values; number-like fields get every number, the other fields share the
# text values round-robin, so each value reaches some field of each form while a run stays short.
CORE: list[Any] = [INVALID_UTF8, "a\x00\x1b[2J", "x" * 10_000]
NUMBERS: list[Any] = ["²", "٣", "-1", "0", "2147483648", "99999999999999999999"]
TEXTS: list[Any] = ["%", "_", "²", "a\x00b", "\u202etxt.exe", "=cmd|' /C calc'!A0", "@SUM(A1)", "-1"]
NUMBER_FIELDS = {"version", "start", "end", "assignee_id", "revision_number", "claim_ids", "due_date", "published_on",
                 "before", "after", "assignee", "article", "object_id", "actor", "date_from", "date_to"}
# Fresh objects after a success at most this often per route; later cases run on the used objects
# (the forms still see every value, the service may then refuse for the objects' state).
REBUILDS = 2


def hostile_cases(fields: tuple[str, ...]) -> list[tuple[str, Any]]:
    texts = [f for f in fields if f not in NUMBER_FIELDS]
    cases = []
    for field in fields:
        extra = NUMBERS if field in NUMBER_FIELDS else TEXTS[texts.index(field)::len(texts)]
        cases += [(field, value) for value in [*CORE, *extra]]
    return cases


# Numbers in paths: out of PostgreSQL's integer range, negative, other scripts' digits, not digits.
BAD_PATH_NUMBERS = ["0", "-1", "2147483648", "99999999999999999999", "%D9%A3", "%C2%B2", "%FF", "1e3", "%201"]

WIRE = ARTICLE_TEXT + "Photo: Harbour Press Agency\n"


def _encode(value: Any) -> str:
    return "%FF%FE" if value is INVALID_UTF8 else quote(str(value), safe="")


def _body(pairs: list[tuple[str, Any]]) -> str:
    return "&".join(f"{quote(name, safe='')}={_encode(value)}" for name, value in pairs)


class World:
    """The people of a test and fresh objects for each route."""

    def __init__(self, app: Flask, make: Factory, login_as: Callable[..., Any]) -> None:
        configure(app, checker_pool=True)
        self.make = make
        self.admin = make.user("admin", "editor", "manager")
        self.checker = make.user("checker")
        self.clients = {"admin": login_as(self.admin), "checker": login_as(self.checker)}
        self.anonymous = app.test_client()
        self.created = 0

    # ---- objects -------------------------------------------------------------------------------
    def article(self) -> Any:
        return self.make.article(editor=self.admin)

    def wire_article(self) -> Any:
        return intake.import_article(ctx(), actor=self.admin, title="Wire", text=WIRE).article

    def claim(self) -> Claim:
        return self.make.claim(editor=self.admin)

    def failed_job(self) -> Any:
        """A job whose worker died: the kind a person tries again."""
        job = jobs.submit(ctx(), actor=self.admin, kind="article.import", params={"title": "Wire", "filename": None},
                          payload=WIRE.encode())
        jobs.take(db.session, job.id, ctx().now())
        jobs.fail(db.session, job.id, "The worker stopped.", ctx().now())
        return job

    def webhook(self) -> Any:
        return _webhook(self)

    def export_job(self) -> Any:
        job = jobs.submit(ctx(), actor=self.admin, kind="audit.export", params={"fmt": "csv", "filters": {}})
        jobs.take(db.session, job.id, ctx().now())
        jobs.store_output(db.session, job.id, [b"id,action\n"])
        jobs.succeed(db.session, job.id, {"fmt": "csv", "bytes": 10, "filename": "audit-0.csv"}, ctx().now())
        return job

    def assigned(self) -> Claim:
        return self.make.assigned_claim(self.checker, editor=self.admin)

    def with_evidence(self) -> tuple[Claim, Any]:
        claim = self.assigned()
        item = evidence.add_evidence(ctx(), actor=self.checker, claim=claim, url="https://example.org/minutes",
                                     title="Council minutes", stance="supports")
        return claim, item

    def approved(self) -> Any:
        article = self.make.final_claim(reviewer=self.admin, editor=self.admin).article
        articles.approve(ctx(), actor=self.admin, article=article)
        return article

    def proposed(self) -> Claim:
        return self.make.proposed_claim(self.checker, editor=self.admin)

    def suggested(self) -> Claim:
        article = self.wire_article()
        return next(c for c in article.claims if c.status == ClaimStatus.SUGGESTED)

    def orphaned(self) -> Claim:
        claim = self.claim()
        revisions.revise(ctx(), actor=self.admin, article=claim.article,
                         text=ARTICLE_TEXT.replace(FIRST_CLAIM, "The council met on Tuesday"))
        db.session.refresh(claim)
        return claim


@dataclass(frozen=True)
class Post:
    role: str  # "admin", "checker" or "anonymous"
    build: Callable[[World], tuple[str, list[tuple[str, Any]]]]  # url and valid form data
    fields: tuple[str, ...]
    ok: bool = True  # whether the valid data succeeds (a 2xx or 3xx answer)
    # Whether a success uses the objects up (a second one would be refused for their state, not
    # for the input), so the next case needs fresh ones.
    rebuild: bool = True


def _version(claim: Claim) -> tuple[str, Any]:
    return ("version", str(claim.version))


def _evidence_data() -> list[tuple[str, Any]]:
    return [("url", "https://example.org/report"), ("title", "Report"), ("publisher", "Stats office"),
            ("published_on", "2024-05-01"), ("excerpt", "It says so."), ("source_type", "dataset"),
            ("stance", "supports"), ("question", "substance"), ("credibility", "")]


EVIDENCE_FIELDS = ("url", "title", "publisher", "published_on", "excerpt", "source_type", "stance", "question",
                   "credibility")


def _assign(w: World) -> tuple[str, list]:
    c = w.claim()
    return f"/claims/{c.id}/assign", [("assignee_id", str(w.checker.id)), ("due_date", "2030-01-01"),
                                      ("priority", "high"), _version(c)]


def _bulk_assign(w: World) -> tuple[str, list]:
    c = w.claim()
    return "/claims/bulk-assign", [("assignee_id", str(w.checker.id)), ("due_date", "2030-01-01"),
                                   ("priority", "normal"), ("claim_ids", str(c.id)), ("return_to", "/claims")]


def _edit_evidence(w: World) -> tuple[str, list]:
    c, item = w.with_evidence()
    return f"/claims/{c.id}/evidence/{item.id}/edit", [*_evidence_data(), ("version", evidence.version_of(item))]


def _remove_evidence(w: World) -> tuple[str, list]:
    c, item = w.with_evidence()
    return f"/claims/{c.id}/evidence/{item.id}/remove", [("reason", "Duplicate")]


def _propose(w: World) -> tuple[str, list]:
    c, _item = w.with_evidence()
    return f"/claims/{c.id}/propose", [("attribution_verdict", ""), ("verdict", "verified"),
                                       ("rationale", "The minutes say so."), _version(c)]


def _resolve(w: World) -> tuple[str, list]:
    c = w.make.final_claim(verdict="false", reviewer=w.admin)
    return f"/claims/{c.id}/resolve", [("resolution", "kept_with_attribution"), ("revision_number", ""),
                                       ("note", "Attributed."), _version(c)]


def _reanchor(w: World) -> tuple[str, list]:
    c = w.orphaned()
    return f"/claims/{c.id}/reanchor", [("quote", "The council met on Tuesday"), ("start", ""), ("end", ""),
                                        _version(c)]


def _restore(w: World) -> tuple[str, list]:
    return f"/articles/{w.wire_article().id}/furniture/0/restore", []


def _new_user(w: World) -> tuple[str, list]:
    w.created += 1
    return "/users", [("email", f"new{w.created}@desk.example"),
                      ("display_name", "New Person"), ("password", "a long enough password"),
                      ("roles", "checker")]


def _set_roles(w: World) -> tuple[str, list]:
    user = w.make.user("checker")
    return f"/users/{user.id}/roles", [(f"u{user.id}-roles", "checker"), (f"u{user.id}-roles", "editor")]


def _revoke_token(w: World) -> tuple[str, list]:
    from factcheck.services import tokens

    issued = tokens.issue_token(ctx(), actor=w.admin, user=w.checker, name="Bot", scopes=["read"], days=30)
    return f"/users/tokens/{issued.token.id}/revoke", []


def _webhook(w: World) -> Any:
    from factcheck.services import webhooks

    return webhooks.register_webhook(ctx(), actor=w.admin, url="https://cms.example/hook",
                                     events=["article.approved"]).webhook


POSTS: dict[str, Post] = {
    "auth.login": Post("anonymous", lambda w: ("/login", [("email", w.checker.email),
                                                         ("password", Factory.PASSWORD)]), ("email", "password")),
    "auth.logout": Post("checker", lambda w: ("/logout", []), ()),
    "auth.sign_out_everywhere": Post("checker", lambda w: ("/account/sign-out-everywhere", []), ()),
    "auth.email_notifications": Post("checker", lambda w: ("/account/email-notifications/off", []), ()),
    # One field changes at a time, so the new password and its confirmation never agree: no change.
    "auth.change_password": Post("checker", lambda w: ("/account/password", [
        ("current_password", Factory.PASSWORD), ("new_password", "another long password"),
        ("confirm", "another long password")]), ("current_password", "new_password", "confirm")),
    "articles.new": Post("admin", lambda w: ("/articles/new", [
        ("title", "Tram"), ("outlet", "Wire"), ("byline", "A. Writer"), ("source_url", "https://news.example/a"),
        ("text", ARTICLE_TEXT)]), ("title", "outlet", "byline", "source_url", "text"), rebuild=False),
    "articles.restore_furniture": Post("admin", _restore, ()),
    "articles.add_claim": Post("admin", lambda w: (f"/articles/{w.article().id}/claims", [
        ("quote", SECOND_CLAIM), ("statement", "It costs 210 million euros."), ("claimant", "transport office"),
        ("start", ""), ("end", "")]), ("quote", "statement", "claimant", "start", "end"), rebuild=False),
    "articles.approve": Post("admin", lambda w: (f"/articles/{w.make.final_claim(reviewer=w.admin).article_id}"
                                                 "/approve", []), ()),
    "articles.publish": Post("admin", lambda w: (f"/articles/{w.approved().id}/publish", [
        ("published_url", "https://news.example/tram")]), ("published_url",)),
    "articles.revise": Post("admin", lambda w: (f"/articles/{w.article().id}/revise", [
        ("text", ARTICLE_TEXT + "A new last line was added.\n")]), ("text",), rebuild=False),
    # Refusals here are a flash and a redirect, not a 4xx; assigning the claim again is no different.
    "claims.bulk_assign": Post("admin", _bulk_assign, ("assignee_id", "due_date", "priority", "claim_ids",
                                                       "return_to"), rebuild=False),
    "claims.assign": Post("admin", _assign, ("assignee_id", "due_date", "priority", "version")),
    "claims.take": Post("checker", lambda w: (f"/claims/{w.claim().id}/take", []), ()),
    "claims.start": Post("checker", lambda w: (f"/claims/{w.assigned().id}/start", []), ()),
    "claims.add_evidence": Post("checker", lambda w: (f"/claims/{w.assigned().id}/evidence", _evidence_data()),
                                EVIDENCE_FIELDS, rebuild=False),
    "claims.edit_evidence": Post("checker", _edit_evidence, (*EVIDENCE_FIELDS, "version"), rebuild=False),
    "claims.remove_evidence": Post("checker", _remove_evidence, ("reason",)),
    "claims.add_note": Post("checker", lambda w: (f"/claims/{w.assigned().id}/notes", [
        ("body", "Looked at the minutes.")]), ("body",), rebuild=False),
    "claims.propose": Post("checker", _propose, ("attribution_verdict", "verdict", "rationale", "version")),
    "claims.accept_verdict": Post("admin", lambda w: (lambda c: (f"/claims/{c.id}/accept-verdict", [_version(c)]))(
        w.proposed()), ("version",)),
    "claims.return_verdict": Post("admin", lambda w: (lambda c: (f"/claims/{c.id}/return-verdict", [
        ("note", "Check the date."), _version(c)]))(w.proposed()), ("note", "version")),
    "claims.accept_suggestion": Post("admin", lambda w: (lambda c: (f"/claims/{c.id}/accept", [
        ("statement", "The council approved the line."), ("claimant", "council chair"), ("via", "Wire"),
        _version(c)]))(w.suggested()), ("statement", "claimant", "via", "version")),
    "claims.dismiss": Post("admin", lambda w: (lambda c: (f"/claims/{c.id}/dismiss", [
        ("reason", "Opinion."), _version(c)]))(w.claim()), ("reason", "version")),
    "claims.resolve": Post("admin", _resolve, ("resolution", "revision_number", "note", "version")),
    "claims.reanchor": Post("admin", _reanchor, ("quote", "start", "end", "version")),
    "conversation.presence_now": Post("checker", lambda w: (f"/claims/{w.assigned().id}/presence", []), (),
                                      rebuild=False),
    "audit.verify": Post("admin", lambda w: ("/audit/verify", []), ()),
    "audit.export_job": Post("admin", lambda w: ("/audit/export.csv", []), ()),
    "jobs.retry": Post("admin", lambda w: (f"/jobs/{w.failed_job().id}/retry", []), ()),
    "notifications.mark_read": Post("checker", lambda w: ("/notifications/read", []), ()),
    "users.create": Post("admin", _new_user, ("email", "display_name", "password", "roles")),
    "users.set_roles": Post("admin", _set_roles, ("roles",)),
    "users.issue_token": Post("admin", lambda w: ("/users/tokens", [
        ("user_id", str(w.checker.id)), ("name", "CMS"), ("scopes", "read"), ("days", "30")]),
        ("user_id", "name", "scopes", "days")),
    "users.revoke_token": Post("admin", _revoke_token, ()),
    "users.set_active": Post("admin", lambda w: (f"/users/{w.make.user('checker').id}/deactivate", []), ()),
    "users.set_email_notifications": Post("admin", lambda w: (
        f"/users/{w.make.user('checker').id}/email-notifications/off", []), ()),
    "webhooks.register": Post("admin", lambda w: ("/webhooks", [
        ("url", "https://cms.example/hook"), ("events", "article.approved"), ("active", "y")]),
        ("url", "events", "active"), rebuild=False),
    "webhooks.set_active": Post("admin", lambda w: (f"/webhooks/{_webhook(w).id}/disable", []), ()),
    "webhooks.delete": Post("admin", lambda w: (f"/webhooks/{_webhook(w).id}/delete", []), ()),
}

# GET routes and the query parameters each reads.
AUDIT_FILTERS = ("actor", "action", "object_type", "object_id", "article", "date_from", "date_to", "before", "after")
GETS: dict[str, tuple[str, Callable[[World], str], tuple[str, ...]]] = {
    "main.home": ("admin", lambda w: "/", ()),
    "main.healthz": ("anonymous", lambda w: "/healthz", ()),
    "main.readyz": ("anonymous", lambda w: "/readyz", ()),
    "auth.login": ("anonymous", lambda w: "/login", ("next",)),
    "auth.change_password": ("checker", lambda w: "/account/password", ()),
    "articles.index": ("admin", lambda w: "/articles", ("status", "q")),
    "articles.new": ("admin", lambda w: "/articles/new", ()),
    "articles.show": ("admin", lambda w: f"/articles/{w.article().id}", ()),
    "articles.revise": ("admin", lambda w: f"/articles/{w.article().id}/revise", ()),
    "articles.revision": ("admin", lambda w: f"/articles/{w.article().id}/revisions/1", ()),
    "articles.fact_check_report": ("admin", lambda w: f"/articles/{w.article().id}/report", ()),
    "claims.index": ("admin", lambda w: "/claims", ("status", "verdict", "assignee", "article", "overdue",
                                                    "unassigned", "before")),
    "claims.show": ("admin", lambda w: f"/claims/{w.claim().id}", ()),
    "claims.edit_evidence": ("checker", lambda w: (lambda c, e: f"/claims/{c.id}/evidence/{e.id}/edit")(
        *w.with_evidence()), ()),
    "conversation.presence_now": ("checker", lambda w: f"/claims/{w.claim().id}/presence", ()),
    "conversation.mention_suggestions": ("checker", lambda w: "/people/mentions", ("q",)),
    "queues.mine": ("checker", lambda w: "/queue", ()),
    "queues.review": ("admin", lambda w: "/review", ()),
    "audit.index": ("admin", lambda w: "/audit", AUDIT_FILTERS),
    "audit.export": ("admin", lambda w: "/audit/export.csv", AUDIT_FILTERS),
    "jobs.show": ("admin", lambda w: f"/jobs/{w.failed_job().id}", ()),
    "jobs.download": ("admin", lambda w: f"/jobs/{w.export_job().id}/download", ()),
    "audit.timeline": ("admin", lambda w: f"/audit/timeline/claim/{w.claim().id}", ("after",)),
    "dashboard.index": ("admin", lambda w: "/dashboard", ("date_from", "date_to")),
    "notifications.index": ("checker", lambda w: "/notifications", ()),
    "users.index": ("admin", lambda w: "/users", ()),
    "webhooks.index": ("admin", lambda w: "/webhooks", ()),
    "webhooks.show": ("admin", lambda w: f"/webhooks/{_webhook(w).id}", ("before",)),
    "static": ("anonymous", lambda w: "/static/css/app.css", ()),
}


def _endpoints(app: Flask, method: str) -> set[str]:
    """The pages' routes. The API (/api/v1) is walked with hostile input by its own conformance test
    (schemathesis over its OpenAPI document, tests/api/test_conformance.py)."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if method in (rule.methods or ())
            and not rule.rule.startswith("/api/")}


def test_every_route_is_covered(app):
    assert _endpoints(app, "POST") == set(POSTS)
    assert _endpoints(app, "GET") == set(GETS)


def _row_counts(skip: set[str]) -> dict[str, int]:
    tables = [t for t in db.metadata.sorted_tables if t.name not in skip]
    row = db.session.execute(sa.select(*(sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name)
                                         for t in tables))).one()
    return dict(row._mapping)


def _client(world: World, role: str) -> Any:
    return world.anonymous if role == "anonymous" else world.clients[role]


def _send(client: Any, url: str, pairs: list[tuple[str, Any]]) -> Any:
    body = _body([("csrf_token", client.csrf_token()), *pairs])
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


def _replace(pairs: list[tuple[str, Any]], field: str, value: Any) -> list[tuple[str, Any]]:
    names = [name for name, _ in pairs]
    target = next((n for n in names if n == field or n.endswith(f"-{field}")), field)
    kept = [(n, v) for n, v in pairs if n != target]
    return [*kept, (target, value)]


@pytest.mark.parametrize("endpoint", sorted(POSTS))
def test_hostile_form_fields_are_never_a_5xx_and_store_nothing(app, make, login_as, monkeypatch, endpoint):
    spec = POSTS[endpoint]
    if endpoint == "auth.login":
        # Dozens of refused sign-ins from one address would be throttled (429, tested in test_sessions);
        # here each hostile value must reach the form itself.
        from factcheck.security.throttle import limiter

        monkeypatch.setattr(limiter, "enabled", False)
    world = World(app, make, login_as)
    client = _client(world, spec.role)
    # Failed sign-ins are audited by design; everything else must leave every table alone on a 4xx.
    skip = {"audit_events"} if endpoint == "auth.login" else set()
    url, base = spec.build(world)
    db.session.commit()
    rebuilds = REBUILDS if spec.rebuild else 0
    # csrf_token is the one field of a button-only form: hostile bytes there must be refused cleanly too.
    for field, value in hostile_cases(spec.fields or ("csrf_token",)):
        pairs = _replace(base, field, value)
        if field == "csrf_token":
            body = _body(pairs)
            before = _row_counts(skip)
            response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        else:
            before = _row_counts(skip)
            response = _send(client, url, pairs)
        status = response.status_code
        assert status < 500, (endpoint, field, value, response.get_data(as_text=True)[:2000])
        if 400 <= status < 500:
            assert _row_counts(skip) == before, (endpoint, field, value, status)
        elif rebuilds:  # it worked: later cases get fresh objects
            rebuilds -= 1
            url, base = spec.build(world)
            db.session.commit()
    # The valid data does work (on fresh objects), so the cases above reached past the form.
    url, base = spec.build(world)
    db.session.commit()
    response = _send(client, url, base)
    assert (response.status_code < 400) == spec.ok, (endpoint, response.status_code)


def test_a_file_name_with_control_characters_is_refused_and_nothing_stored(app, make, login_as):
    world = World(app, make, login_as)
    client = world.clients["admin"]
    for name in ("tram\x00.txt", "tram\x1b[2J.txt", "tram\r\n.txt", "\x7ftram.txt"):
        before = _row_counts(set())
        response = client.submit("/articles/new", {
            "title": "Tram", "upload": (io.BytesIO(ARTICLE_TEXT.encode()), name)})
        assert response.status_code == 422, name
        if "\r" not in name:  # a raw line break ends the multipart header: the file is not even seen
            assert "control character" in response.get_data(as_text=True)
        assert _row_counts(set()) == before
    response = client.submit("/articles/new", {"title": "Tram", "upload": (io.BytesIO(ARTICLE_TEXT.encode()),
                                                                            "tram.txt")})
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["x" * 10_000 + ".txt", "%.txt", "=cmd|' calc'!A0.txt", "²_.txt", "\u202etxt.exe"])
def test_odd_but_printable_file_names_are_no_5xx(app, make, login_as, name):
    client = World(app, make, login_as).clients["admin"]
    response = client.submit("/articles/new", {"title": "Tram", "upload": (io.BytesIO(ARTICLE_TEXT.encode()), name)})
    assert response.status_code < 500


@pytest.mark.parametrize("field, value", [
    ("claimant", "transport\x1b office"), ("statement", "cost\x07s"), ("quote", SECOND_CLAIM + "\x0b")])
def test_control_characters_in_text_are_refused_with_a_message(make, login_as, field, value):
    article = make.article()
    editor = login_as("editor")
    before = _row_counts(set())
    data = {"quote": SECOND_CLAIM, field: value}
    response = editor.submit(f"/articles/{article.id}/claims", data)
    assert response.status_code == 422
    assert "invisible control character" in response.get_data(as_text=True)
    assert _row_counts(set()) == before


def test_tabs_and_line_breaks_are_not_control_characters_here(make, login_as):
    article = make.article()
    response = login_as("editor").submit(f"/articles/{article.id}/claims", {
        "quote": SECOND_CLAIM, "statement": "Line one\r\nline\ttwo"})
    assert response.status_code == 302


@pytest.mark.parametrize("endpoint", sorted(e for e, (_r, _u, params) in GETS.items() if params))
def test_hostile_query_parameters_are_never_a_5xx(app, make, login_as, endpoint):
    role, build, params = GETS[endpoint]
    world = World(app, make, login_as)
    client = _client(world, role)
    url = build(world)
    db.session.commit()
    for name, value in hostile_cases(params):
        response = client.get(f"{url}?{name}={_encode(value)}")
        assert response.status_code < 500, (endpoint, name, value, response.get_data(as_text=True)[:2000])


def test_unknown_and_reserved_query_names_are_never_a_5xx(app, make, login_as):
    """Names url_for or the views could trip over (a list's page links keep its filters)."""
    world = World(app, make, login_as)
    query = "&".join(f"{name}=x" for name in (
        "endpoint", "_external", "_scheme", "_anchor", "_method", "_url", "values", "%FF", "before"))
    for endpoint, (role, build, _params) in sorted(GETS.items()):
        url = build(world)
        db.session.commit()
        response = _client(world, role).get(f"{url}?{query}&before=5")
        assert response.status_code < 500, (endpoint, response.get_data(as_text=True)[:2000])
        response.close()  # a static file's answer holds the file open until closed


def _path_cases(app: Flask) -> list[tuple[str, str, str]]:
    cases = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):  # the API answers 401 before routing ids; its own tests cover them
            continue
        numbers = re.findall(r"<(?:id|int):(\w+)>", rule.rule)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        for name in numbers:
            # Each number gets the two overflowing values and a share of the others.
            for bad in [*BAD_PATH_NUMBERS[2:4], *BAD_PATH_NUMBERS[len(cases) % 3::3]]:
                def fill(match: re.Match[str], name: str = name, bad: str = bad) -> str:
                    converter, arg = match.group(1), match.group(2)
                    if arg == name:
                        return bad
                    return {"any": "activate", None: "claim"}.get(converter, "1")
                url = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", fill, rule.rule)
                cases.append((method, url, rule.endpoint))
    return cases


def test_numbers_in_paths_outside_the_id_range_are_404(app, make, login_as):
    world = World(app, make, login_as)
    client = world.clients["admin"]
    cases = _path_cases(app)
    assert len(cases) > 80  # every claim, article, user, evidence, revision and furniture route
    for method, url, endpoint in cases:
        response = client.get(url) if method == "GET" else client.submit(url)
        assert response.status_code == 404, (method, url, endpoint, response.status_code)
