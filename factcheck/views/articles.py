from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from markupsafe import Markup, escape

from factcheck.errors import GateClosed, ValidationFailed
from factcheck.extensions import db
from factcheck.forms import token_writer
from factcheck.forms.articles import ActionForm, ArticleForm, ClaimForm, PublishForm, ReviseForm
from factcheck.forms.claims import BulkAssignForm
from factcheck.models import Article, ArticleStatus, Claim
from factcheck.security import Action, can
from factcheck.security.permission_shapes import viewer_shape
from factcheck.services import article_page, intake, report, revisions, suggestions
from factcheck.services import articles as article_service
from factcheck.services import claims as claim_service
from factcheck.services.users import Checker
from factcheck.settings import Settings
from factcheck.views import (
    article_cards,
    article_head,
    article_text,
    jobs,
    kept_article_pages,
    layout,
    links,
    stand_ins,
)
from factcheck.views.common import actor, context, layout_url, text_arg
from factcheck.views.kept import Kept
from factcheck.views.list_rows import article_rows, html_text, kept_options, kept_page, status_label
from factcheck.views.pager import current_pager
from factcheck.views.template_macros import field

bp = Blueprint("articles", __name__, url_prefix="/articles")
# The bulk-assignment form's priorities and the one chosen at first, as the form defines them.
_PRIORITIES = BulkAssignForm.priority
_PRIORITY_CHOICES = tuple((c.value, c.label) for c in _PRIORITIES.kwargs["choices"])


# The status filter's options for each status chosen (or none), written once: the template's loop
# over the statuses wrote the same markup on every view.
_ARTICLE_STATUSES = tuple(s.value for s in ArticleStatus)


@functools.lru_cache(maxsize=len(_ARTICLE_STATUSES) + 1)
def _status_options(chosen: str | None) -> Markup:
    return Markup("".join(f'<option value="{html_text(s)}" {"selected" if s == chosen else ""}>{status_label(s)}</option>'
                          for s in _ARTICLE_STATUSES))


@bp.get("")
@login_required
def index() -> Any:
    status = request.args.get("status") or None
    if status not in _ARTICLE_STATUSES:
        status = None
    query = text_arg("q")
    pager = current_pager()
    # One row past the page says whether a next page exists.
    found = article_service.list_articles(db.session, context().settings, status=status, query=query,
                                          limit=pager.size + 1, offset=pager.offset)
    shown = found[:pager.size]
    return render_template("articles/index.html", articles=shown, status=status, query=query or "",
                           status_options=_status_options(status),
                           # Written again only when the articles read differ (``kept_page``).
                           rows=kept_page(("articles",), shown, lambda: article_rows(
                               shown, article_url=links.by_id("articles.show", "article_id"))),
                           pages=pager.links("articles.index", len(shown), more=len(found) > pager.size,
                                             kept={"q": query, "status": status}))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    context().require(actor(), Action.ARTICLE_CREATE)
    form = ArticleForm()
    status = 200
    if form.validate_on_submit():
        file = form.upload.data
        filename = (file.filename or "") if file else ""
        # Reading and suggesting run as a job (a long article takes a while); the page waits briefly
        # and answers with the article, or with the job's progress page.
        job = jobs.run("article.import", payload=file.read() if filename else (form.text.data or "").encode(),
                       params={"title": form.title.data or "", "outlet": form.outlet.data or "",
                               "byline": form.byline.data or "", "source_url": form.source_url.data or "",
                               "filename": filename or None})
        refused = jobs.refusal(job, "upload" if filename else "text")
        if refused is None:
            return jobs.follow(job)
        getattr(form, refused[0]).errors.append(refused[1])
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("articles/new.html", form=form), status


@bp.post("/<id:article_id>/furniture/<int:index>/restore")
@login_required
def restore_furniture(article_id: int, index: int) -> Any:
    article = article_page.load(db.session, article_id)
    context().require(actor(), Action.ARTICLE_REVISE, article)
    if ActionForm().validate_on_submit():
        added = suggestions.restore_furniture(context(), actor=actor(), article=article, index=index)
        flash(f"Line brought back into the article; {added} claim(s) suggested from it.", "success")
    return redirect(url_for("articles.show", article_id=article.id))


@functools.cache
def _empty_claim_inputs() -> tuple[str, str]:
    """An empty add-claim form's hidden inputs (the selection's place) and its fields, around where the
    token goes: the same markup on every view until something is posted, rendered once per process
    (building and rendering the form was about 0.1 ms of the page)."""
    form = ClaimForm(formdata=None, meta={"csrf": False})
    return str(form.hidden_tag()), "\n        ".join(field(form[name]) for name in ("quote", "statement", "claimant"))


def _empty_claim_form(token_and_key: Callable[..., Markup]) -> Markup:
    """What ``hidden_tag`` and the fields of a new, empty ``ClaimForm`` render, with this page's token
    and a new idempotency key."""
    hidden, fields = _empty_claim_inputs()
    return Markup(f"{hidden}\n{token_and_key(with_id=True)}\n        {fields}")


@functools.cache
def _publish_input() -> str:
    """The publish form's address field, empty: the page never shows a posted one (a refused publish
    redirects with its errors flashed), so it is the same markup on every view, rendered once per
    process (building the form on every view of an approved article was a fiftieth of the page)."""
    form = PublishForm(formdata=None, meta={"csrf": False})
    return str(field(form.published_url, type="url", placeholder="https://…"))


def _publish_form(token_and_key: Callable[..., Markup]) -> Markup:
    """What ``csrf_token(id=False)`` and the address field of a new ``PublishForm`` render, with this
    page's token and a new idempotency key."""
    return Markup(f"{token_and_key()}\n        {_publish_input()}")


# The article's own addresses the page links to, by endpoint.
_ARTICLE_ENDPOINTS = ("articles.show", "articles.approve", "articles.publish", "articles.revise",
                      "articles.fact_check_report", "articles.add_claim")


class _Addresses(NamedTuple):
    """Every address the page writes but the revision's, each a function of an id (``links.by_id``)."""

    claim: Callable[[int], str]
    accept: Callable[[int], str]
    dismiss: Callable[[int], str]
    timeline: Callable[[int], str]
    article: dict[str, Callable[[int], str]]


# Per app and mount point: asking ``links.by_id`` for each of the page's ten addresses on every view
# (its key built and looked up each time) was about a fiftieth of the page.
_addresses: weakref.WeakKeyDictionary[Flask, dict[str, _Addresses]] = weakref.WeakKeyDictionary()


def _page_addresses() -> _Addresses:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept = _addresses.setdefault(app, {})
    found = kept.get(request.script_root)
    if found is None:
        found = kept[request.script_root] = _Addresses(
            links.by_id("claims.show", "claim_id"), links.by_id("claims.accept_suggestion", "claim_id"),
            links.by_id("claims.dismiss", "claim_id"),
            links.by_id("audit.timeline", "object_id", object_type="article"),
            {endpoint: links.by_id(endpoint, "article_id") for endpoint in _ARTICLE_ENDPOINTS})
    return found


class _Blocker(NamedTuple):
    """A claim holding the article back, as the gate lists it (``articles.Blocker`` of a row)."""

    claim: article_page.ArticleClaim
    reason: str


@functools.lru_cache(maxsize=16)
def _assignee_options(checkers: tuple[Checker, ...]) -> Markup:
    """The bulk form's checkers as options, kept by the checkers (``article_page`` keeps the same tuple's
    contents until one joins, leaves or is renamed): making their pairs again was a hundredth of the page."""
    return kept_options(tuple((c.id, c.choice_label) for c in checkers))


# The gate's list and its markup, kept under the claims as read (``ArticleClaims.key``: every value of
# every claim), the settings the rule reads and the claims' address: the same on every view until a
# claim changes (the rule of each claim and the list's markup were a fortieth of the page).
_kept_gates: Kept[tuple[tuple[_Blocker, ...], Markup]] = Kept(at_most=512)


def _gate(claims: article_page.ArticleClaims, settings: Settings, claim_url: Callable[[int], str]
          ) -> tuple[tuple[_Blocker, ...], Markup]:
    """The claims holding the article back (a row has every field the gate's rule reads), and their list."""
    def make() -> tuple[tuple[_Blocker, ...], Markup]:
        gate = tuple(_Blocker(c, reason) for c in claims
                     if (reason := article_service.blocking_reason(settings, cast(Claim, c))) is not None)
        return gate, article_cards.blockers(gate, claim_url=claim_url)
    return _kept_gates.get((claims.key, settings, claim_url(0)), make)


def render_article(article: Article, *, claim_form: ClaimForm | None = None,
                   blockers: list[article_service.Blocker] | None = None, status: int = 200,
                   read: tuple[article_page.ArticleClaims, list[Checker]] | None = None,
                   keep: Any = None) -> tuple[str, int]:
    """The article page. ``read``: its claims (and checkers) read already for this view; ``keep``: the
    article's row (``article_page.article_row``) of a plain view, for the body to be kept for it and the
    claims read (``kept_article_pages``)."""
    settings = context().settings
    viewer = actor()
    actions = article_service.allowed_actions(settings, viewer, article)
    # Every form of the page carries the session's token, written once, and a key of its own.
    token_and_key = token_writer()
    # A plain view's body is written with stand-ins for the tokens and keys, filled in below (and on
    # every view of the body kept).
    holes = kept_article_pages.Holes() if keep is not None else None
    writer: Callable[..., Markup] = holes if holes is not None else token_and_key
    # The checkers (as rows: their options are written, not a form's choices) are read only for a viewer
    # who may assign, with the claims; the forms are built only for a viewer the page shows them to
    # (building all four on every view was a tenth of the page).
    if read is None:
        read = (article_page.claims_and_checkers(db.session, article) if actions.assign
                else (article_page.claim_rows(db.session, article), []))
    claims, checkers = read
    if not actions.assign:  # read for a viewer who may assign, but not on an article signed off
        checkers = []
    # Asked once per kind of claim (an article's claims come in a handful of kinds), whose answers are
    # kept between requests for viewers of the same roles (``ActionsByKind``): each claim's kind worked
    # out once for both steps a card offers, not once for each (a fortieth of a first view).
    by_kind = claim_service.ActionsByKind(settings, viewer)
    answers = [(c.id, by_kind.of_row(c)) for c in claims]
    triage = {claim_id for claim_id, may in answers if may.accept}
    # Claims the bulk-assignment form may tick (none when nobody can be chosen).
    assignable = {claim_id for claim_id, may in answers if may.assign} if checkers else set()
    # The bulk-assignment form sends nothing the page fills in: its token and its options are written
    # without building it (a WTForms form with its select fields cost more than the rest of its markup).
    # Both lists of options are kept by their contents (``kept_options``): the same on every view.
    bulk_options = {
        "assignee": _assignee_options(tuple(checkers)),
        "priority": kept_options(_PRIORITY_CHOICES, _PRIORITIES.kwargs["default"]),
    } if assignable else None
    addresses = _page_addresses()
    claim_url = addresses.claim
    gate: Sequence[Any]
    if blockers is None:
        gate, blocking = _gate(claims, settings, claim_url)
    else:  # a refused approval's own list
        gate, blocking = blockers, article_cards.blockers(blockers, claim_url=claim_url)
    revision = article.current_revision
    article_links = {endpoint: address(article.id) for endpoint, address in addresses.article.items()}
    revision_url = links.by_id("articles.revision", "article_id", number=revision.number)(article.id) if revision else None
    timeline_url = addresses.timeline(article.id) if actions.timeline else None
    # Rendered without Flask's template context (the body reads none of its names).
    body = current_app.jinja_env.get_template("articles/_body.html").render(
        article=article, claims=claims,
        claim_form=claim_form if actions.add_claim else None,
        empty_claim_form=_empty_claim_form(writer) if actions.add_claim and claim_form is None else None,
        head=article_head.head(article, revision=revision, revision_url=revision_url, timeline_url=timeline_url,
                               actions=actions, link=article_links, token_and_key=writer,
                               publish_form=_publish_form(writer) if actions.publish else None),
        bulk_form=article_head.bulk_form(
            action=layout_url("claims.bulk_assign"), return_to=article_links["articles.show"],
            token_and_key=writer, assignees=bulk_options["assignee"], priorities=bulk_options["priority"],
        ) if bulk_options else "",
        cards=article_cards.cards(
            claims, triage=triage, assignable=assignable, claim_url=claim_url,
            accept_url=addresses.accept, dismiss_url=addresses.dismiss, token_and_key=writer),
        # Claims left on an older revision (orphaned ones) are listed but cannot be marked in this text;
        # the marked text is kept per text and marks (``article_text``).
        article_text=article_text.marked_claims(article.text, article.current_revision_id, claims),
        token_and_key=writer,
        # The article's own addresses, each asked of the URL map once per process (``links``), not per view.
        link=article_links.__getitem__, blockers=gate,
        blocking=blocking if gate and actions.show_gate else "",
        actions=actions, english=intake.english(article),
    )
    if holes is None:
        return _whole_page(article.title, (body,)), status
    parts, whole = kept_article_pages.split(body, holes)
    if whole and status == 200 and claim_form is None and blockers is None:
        kept_article_pages.keep(current_app, article.id, viewer.id, kept_article_pages.Body(
            keep, _viewer_key(viewer, settings), claims.key, article.status, article.title, parts))
    return _whole_page(article.title, kept_article_pages.fill(parts, token_and_key)), status


def _viewer_key(viewer: Any, settings: Settings) -> tuple[Any, ...]:
    """What a kept body was written for besides the article's and its claims' rows and the viewer's id:
    their roles, the settings the rules read and where the app is mounted (the page's addresses)."""
    return (viewer_shape(viewer), settings, request.script_root)


# The title's and the body's places in the layout, filled in here. ``layout.page`` keeps a layout per set
# of values, so with the title among them every article's first view rendered base.html anew (a fifth of
# the article's own work on a first view, issue 15); with a stand-in there, one layout per session serves
# every article. The body goes in at the same time, as the pieces it is written in: the page is joined
# once, where the body's text, the layout around it and the title put in it were each a copy of the
# whole page (some 30 kB). Private-use characters around a nonce made when the process starts, which no
# page shows and autoescaping leaves as they are.
_PLACES = stand_ins.StandIns("tb")
_TITLE, _BODY = str(_PLACES.mark("t")), _PLACES.mark("b")


def _whole_page(title: str, body: Sequence[str]) -> str:
    """The page: the layout with ``title`` (escaped as ``{{ title }}`` escapes it) and the body's pieces."""
    around = layout.page("articles/show.html", _BODY, title=_TITLE)
    at_title = around.find(_TITLE)
    at_body = around.find(_BODY, at_title)
    if at_title < 0 or at_body < 0 or around.count(_TITLE) != 1 or around.count(_BODY) != 1:
        # Not the layout this expects (the title shown twice?): each put in wherever it stands.
        return around.replace(_TITLE, escape(title)).replace(_BODY, "".join(body))
    return "".join([around[:at_title], escape(title), around[at_title + len(_TITLE):at_body], *body,
                    around[at_body + len(_BODY):]])


@bp.get("/<id:article_id>")
@login_required
def show(article_id: int) -> Any:
    # The article's row and its claims (with the checkers, for a viewer who may assign) in one statement,
    # the claims as the rows the page shows, not loaded as objects. The body written for the same article
    # row, claims, viewer and settings is the same body: kept, its tokens filled in
    # (``kept_article_pages``); the article's objects, its actions and the body are made only when not.
    viewer = actor()
    settings = context().settings
    read = article_page.page_rows(db.session, article_id, with_checkers=_may_assign(viewer, settings))
    kept = kept_article_pages.kept(current_app, article_id, viewer.id)
    if kept is not None and kept.row == read.as_read and kept.viewer == _viewer_key(viewer, settings):
        claims = article_page.page_claims(db.session, article_id, kept.status, read)
        if claims[0].key == kept.claims:
            return _whole_page(kept.title, kept_article_pages.fill(kept.parts, token_writer()))
    article = article_page.article_of_row(db.session, read.article)
    return render_article(article, read=article_page.page_claims(db.session, article_id, article.status, read),
                          keep=read.as_read)


def _may_assign(viewer: Any, settings: Settings) -> bool:
    """Whether the viewer's roles let them assign claims at all: the checkers are read with the claims
    for them (``actions.assign`` also asks that the article is open)."""
    return can(viewer, Action.CLAIM_ASSIGN, settings=settings)


@bp.post("/<id:article_id>/claims")
@login_required
def add_claim(article_id: int) -> Any:
    article = article_page.load(db.session, article_id)
    context().require(actor(), Action.CLAIM_CREATE, article)
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            claim = claim_service.add_claim(
                context(), actor=actor(), article=article, quote=form.quote.data, statement=form.statement.data or "",
                claimant=form.claimant.data, start=form.start.data, end=form.end.data,
            )
        except ValidationFailed as error:
            form.quote.errors.append(error.message)
        else:
            flash(f"Claim {claim.id} added.", "success")
            return redirect(url_for("articles.show", article_id=article.id, _anchor=f"claim-{claim.id}"))
    return render_article(article, claim_form=form, status=422)


@bp.post("/<id:article_id>/approve")
@login_required
def approve(article_id: int) -> Any:
    article = article_page.load(db.session, article_id)
    context().require(actor(), Action.ARTICLE_APPROVE, article)
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for("articles.show", article_id=article.id))
    try:
        article_service.approve(context(), actor=actor(), article=article)
    except GateClosed as error:
        flash(error.message, "error")
        return render_article(article, blockers=error.details.get("blocking", []), status=409)
    flash("Article approved for publication.", "success")
    return redirect(url_for("articles.show", article_id=article.id))


@bp.post("/<id:article_id>/publish")
@login_required
def publish(article_id: int) -> Any:
    article = article_service.get_article(db.session, article_id)
    context().require(actor(), Action.ARTICLE_PUBLISH, article)
    form = PublishForm()
    if not form.validate_on_submit():
        flash("Could not publish: " + " ".join(e for errors in form.errors.values() for e in errors), "error")
    else:
        article_service.publish(context(), actor=actor(), article=article, published_url=form.published_url.data or "")
        flash("Article marked as published.", "success")
    return redirect(url_for("articles.show", article_id=article.id))


@bp.route("/<id:article_id>/revise", methods=["GET", "POST"])
@login_required
def revise(article_id: int) -> Any:
    article = article_page.load(db.session, article_id)
    context().require(actor(), Action.ARTICLE_REVISE, article)
    form = ReviseForm(data={"text": article.text}) if request.method == "GET" else ReviseForm()
    if form.validate_on_submit():
        job = jobs.run("article.revise", params={"article_id": article.id}, payload=form.text.data.encode(),
                       article_id=article.id)
        refused = jobs.refusal(job, "text")
        if refused is None:
            return jobs.follow(job)
        form.text.errors.append(refused[1])
    status = 422 if request.method == "POST" else 200
    return render_template("articles/revise.html", article=article, form=form,
                           actions=article_service.allowed_actions(context().settings, actor(), article)), status


@bp.get("/<id:article_id>/revisions/<id:number>")
@login_required
def revision(article_id: int, number: int) -> Any:
    article = article_service.get_article(db.session, article_id)
    shown = revisions.get_revision(db.session, article, number)
    previous = revisions.get_revision(db.session, article, number - 1) if number > 1 else None
    return render_template("articles/revision.html", article=article, revision=shown, previous=previous,
                           segments=revisions.diff_segments(previous.text, shown.text) if previous else None,
                           history=article_service.revision_list(db.session, article))


@bp.get("/<id:article_id>/report")
@login_required
def fact_check_report(article_id: int) -> Any:
    """A printable account of the check, with the ClaimReview JSON-LD of every final claim."""
    settings = context().settings
    article = report.load_for_report(db.session, article_id)
    url = report.report_url(settings, article, url_for("articles.fact_check_report", article_id=article.id,
                                                       _external=True))
    return render_template("articles/report.html", article=article, claims=report.claims_in_order(article),
                           blockers=article_service.blocking_claims(settings, article),
                           finals={c.id for c in article.claims if claim_service.allowed_actions(
                               settings, actor(), c).final},
                           json_ld=report.json_ld(report.claim_reviews(settings, article, url)))
