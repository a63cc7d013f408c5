from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, SelectField

from factcheck.errors import EditConflict
from factcheck.extensions import db
from factcheck.forms import token_and_key, token_writer
from factcheck.forms.articles import ActionForm
from factcheck.forms.claims import (
    MISSING_EVIDENCE_VERSION,
    MISSING_VERSION,
    AcceptSuggestionForm,
    AcceptVerdictForm,
    AssignForm,
    BulkAssignForm,
    DismissForm,
    EditEvidenceForm,
    EvidenceForm,
    NoteForm,
    ProposeForm,
    ReanchorForm,
    RemoveEvidenceForm,
    ResolveForm,
    ReturnForm,
)
from factcheck.kept_by_identity import KeptByIdentity
from factcheck.models import Claim, ClaimStatus, Evidence
from factcheck.security import Action, can
from factcheck.security.permission_shapes import kept_answers, viewer_shape
from factcheck.services import (
    claim_page,
    claim_queries,
    claims_list,
    evidence,
    idempotency,
    notes,
    notifications,
    presence,
)
from factcheck.services import claims as claim_service
from factcheck.services import users as user_service
from factcheck.services.claim_queries import ClaimFilters
from factcheck.views import (
    claim_forms,
    claim_items,
    kept_claim_pages,
    layout,
    links,
    list_forms,
    list_rows,
    note_html,
)
from factcheck.views.common import (
    actor,
    checker_choices,
    context,
    int_arg,
    layout_url,
    parse_id,
    safe_local_url,
    shown_on_the_form,
    text_arg,
)
from factcheck.views.history import describe, named_people
from factcheck.views.list_rows import html_text

bp = Blueprint("claims", __name__, url_prefix="/claims")
# A note's HTML depends on nothing but its text: rendered (markdown, then sanitised) once per process for
# the notes viewed most rather than on every view of their claim, where it was a twentieth of the page.
# Notes are short; were all at the form's 10,000 characters, the cache would hold about 12 MB. A note not
# kept (a claim seen for the first time) is written directly when it is plain words (``note_html``).
_note_html = functools.lru_cache(maxsize=512)(note_html.render)
# The bulk form's priorities as its field offers them, its default chosen.
_BULK_PRIORITIES = list_rows.options(((c.value, c.label) for c in BulkAssignForm.priority.kwargs["choices"]),
                                     BulkAssignForm.priority.kwargs["default"])
_STATUSES = tuple((s.value, list_rows.status_text(s.value)) for s in ClaimStatus)
_LIST_FILTERS = ("status", "verdict", "assignee", "article", "overdue", "unassigned")
# What a note posted through htmx swaps in besides the notes panel.
_NOTES_OOB = ("#flashes,#history-panel,#claim-status,#triage-version,#dismiss-version,#assign-version,"
              "#propose-version,#return-version,#accept-version,#resolve-version,#reanchor-version")


# Which of the claim page's forms each of the viewer's allowed actions needs.
_FORMS_OF_ACTION = {
    "accept": ("triage_form",), "dismiss": ("dismiss_form",), "assign": ("assign_form",),
    "take": ("action_form",), "start": ("action_form",), "evidence": ("evidence_form", "remove_evidence_form"),
    "note": ("note_form",), "propose": ("propose_form",), "review": ("accept_form", "return_form"),
    "resolve": ("resolve_form",), "reanchor": ("reanchor_form",),
}


def _forms(claim: Claim, offered: set[str], checkers: list[Any], bound: dict[str, FlaskForm]) -> dict[str, Markup]:
    """The insides of the claim page's forms the viewer may use (building all eleven on every view cost
    an eighth of the page's time; building those offered, a seventh of a checker's): written from kept
    markup with the claim's values (``claim_forms``); the one just submitted keeps its input and errors.
    The note form and the evidence's removal forms send nothing the page must fill in: their markup is
    written without them (views/claim_items.py). ``checkers``: those the assignment form offers."""
    settings = context().settings
    posted_assign = bound.get("assign_form")
    if posted_assign is not None:
        posted_assign.assignee_id.choices = checkers
    return {name: claim_forms.inside(name, claim, settings=settings, checkers=checkers, posted=bound.get(name))
            for name in offered if name in claim_forms.FORMS}


def _conflict_rows(conflict: EditConflict | None) -> list[tuple[str, str, str]]:
    if conflict is None:
        return []
    current = conflict.details.get("current", {})
    attempted = conflict.details.get("attempted", {})
    names = user_service.display_names(db.session, [v for v in (*current.values(), *attempted.values())
                                                     if isinstance(v, int)])

    def shown(field: str, value: object) -> str:
        """A conflict table cell a person can read: names rather than user ids."""
        if value is None or value == "":
            return "—"
        if field.endswith("_id") and isinstance(value, int):
            return names.get(value, f"#{value}")
        return str(value)

    return [(field.removesuffix("_id").replace("_", " "), shown(field, current.get(field)), shown(field, value))
            for field, value in attempted.items()]


def _has_errors(form: FlaskForm | None) -> bool:
    return form is not None and bool(form.errors or form.form_errors)


def _kept_input(forms: dict[str, FlaskForm], shown: set[str]) -> list[tuple[str, str]]:
    """What the person typed into a form the page no longer offers (they may not take that step any
    more): shown back to them, so nothing they wrote is lost."""
    kept = []
    for name, form in forms.items():
        if name in shown:
            continue
        for field in form:
            if field.type in ("CSRFTokenField", "HiddenField") or not isinstance(field.data, str) or not field.data.strip():
                continue
            kept.append((str(field.label.text), field.data))
    return kept


def _page(claim: Claim) -> Claim:
    """The claim with everything its page shows, once a write that loaded only what it needed (or a
    rollback that expired it) shows the page again."""
    return claim_queries.load_claim_page(db.session, claim.id)


def _again(claim: Claim, status: int, **page: Any) -> tuple[str, int]:
    """The claim page shown again after a write did not happen, with the reason and the input kept."""
    return _render(_page(claim), status, **page)


def _render(claim: Claim, status: int = 200, conflict: EditConflict | None = None, problem: str | None = None,
            present: list[presence.Present] | None = None, history: claim_queries.ClaimHistory | None = None,
            keep: tuple[Hashable, Hashable, Any] | None = None, opening: claim_page.Opening | None = None,
            **bound: FlaskForm) -> tuple[str, int]:
    """The claim page; ``keep``: what a plain view's viewer and settings, rows and their stamp were
    (``show``), for the body to be kept for them (``kept_claim_pages``); ``opening``: what the view read
    on opening the claim, whose probe says whether the checkers kept are still the checkers."""
    viewer = actor()
    actions = claim_service.page_actions(context().settings, viewer, claim)
    offered = _offered(actions)
    checkers = _checkers(opening) if "assign_form" in offered else None
    forms = _forms(claim, offered, checkers or [], bound)
    if history is None:
        history = claim_queries.claim_history(db.session, claim)
    # The body is written with stand-ins for the forms' tokens and keys and for the presence region,
    # filled in below (and on every view of a body kept).
    holes = kept_claim_pages.Holes()
    # Counted and grouped here once rather than by Jinja filters over the evidence in the template.
    by_question: dict[str, list[Evidence]] = {"attribution": [], "substance": []}
    for item in claim.evidence:
        by_question.setdefault(item.question, []).append(item)
    claim_id = claim.id
    # The evidence's edit and removal links only for a viewer who may change it (each asks the URL map).
    changes = (links.by_id("claims.edit_evidence", "evidence_id", claim_id=claim_id),
               links.by_id("claims.remove_evidence", "evidence_id", claim_id=claim_id)) if actions.evidence else None
    evidence_items = functools.partial(claim_items.evidence_items, changes=changes,
                                       token_and_key=holes.token_and_key) if claim.evidence else None
    # The form's links, built once rather than in every thread's reply form.
    conversation = claim_items.conversation(
        notes.threads(claim.notes), may_note=actions.note, sent=claim_items.NoteInput.of(bound.get("note_form")),
        note_url=html_text(links.by_id("claims.add_note", "claim_id")(claim_id)) if actions.note else "",
        mentions_url=html_text(layout_url("conversation.mention_suggestions")) if actions.note else "",
        oob=_NOTES_OOB, render_markdown=_note_html, token_and_key=holes.token_and_key)
    known = _people_shown(claim)
    described = describe(db.session, history.events, known=known)
    heartbeat = presence.editing(actions)
    if present is None:
        present = presence.others_present(db.session, claim_id, viewer, context().now())
    # Rendered without Flask's template context: its one name the body reads (``current_user``) given.
    body = current_app.jinja_env.get_template("claims/_body.html").render(
        current_user=viewer, claim=claim, article=claim.article,
        article_url=links.by_id("articles.show", "article_id")(claim.article_id),
        # The claim's own addresses, each asked of the URL map once per process (``links``), not per view.
        link=lambda endpoint: links.by_id(endpoint, "claim_id")(claim_id),
        timeline_url=links.by_id("audit.timeline", "object_id", object_type="claim")(claim_id),
        anchor_json=claim_items.anchor_json(claim, current_app.jinja_env), history=claim_items.history(described),
        history_count=len(described), history_more=history.more, conflict=conflict, problem=problem,
        conflict_rows=_conflict_rows(conflict), actions=actions,
        forms=forms, token_and_key=holes.token_and_key, action_form=holes,
        remove_evidence_form=bound.get("remove_evidence_form"), evidence_errors=_has_errors(bound.get("evidence_form")),
        still_missing=claim_service.evidence_still_missing(claim) if actions.propose else [],
        conversation=conversation, presence_region=kept_claim_pages.PRESENCE, evidence_by_question=by_question,
        evidence_items=evidence_items, evidence_count=sum(1 for item in claim.evidence if item.removed_at is None),
    )
    parts, whole = kept_claim_pages.split(body, holes)
    # Kept only for a plain view whose history names no one but the people the page loaded (their names
    # are in the rows the key holds).
    if (whole and keep is not None and status == 200 and not bound and conflict is None and problem is None
            and all(person in known for person in named_people(history.events))):
        shown_to, rows, stamp = keep
        kept_claim_pages.keep(current_app, claim_id, viewer.id,
                              kept_claim_pages.Body(shown_to, rows, parts, heartbeat, checkers, stamp))
    return _whole_page(claim_id, kept_claim_pages.fill(parts, _presence_region(claim_id, present, heartbeat),
                                                       token_writer()),
                       problem, _kept_input(bound, offered)), status


def _checkers(opening: claim_page.Opening | None) -> list[Any]:
    """The assignment form's checkers, kept while the users and their roles are unchanged (``claim_page.checkers``)."""
    return claim_page.checkers(db.session, opening, checker_choices)


def _whole_page(claim_id: int, body: Markup, problem: str | None = None,
                kept_input: list[tuple[str, str]] | None = None) -> str:
    if problem is None:  # the layout kept (``layout.page``); what was typed is shown only with a problem
        return layout.page("claims/show.html", body, claim_id=claim_id)
    return render_template("claims/show.html", claim_id=claim_id, body=body, problem=problem, kept_input=kept_input)


def _presence_region(claim_id: int, present: list[presence.Present], heartbeat: bool) -> Markup:
    url = links.by_id("conversation.presence_now", "claim_id")(claim_id)
    if not present:  # most views: nobody else there, the same region every time
        return _nobody_present(url, heartbeat)
    return claim_items.presence_region(present, heartbeat=heartbeat, url=url)


@functools.lru_cache(maxsize=1024)
def _nobody_present(url: str, heartbeat: bool) -> Markup:
    return claim_items.presence_region((), heartbeat=heartbeat, url=url)


def _people_shown(claim: Claim) -> dict[int, str]:
    """The names of the people the page has loaded with the claim (its assignee and proposer, who added
    and removed its evidence, who wrote its notes) and of the viewer: the history names no one else on
    most claims, so its names need no statement of their own."""
    viewer = actor()
    people = [viewer, claim.assignee, claim.proposed_by, *(n.author for n in claim.notes)]
    for item in claim.evidence:
        people += (item.added_by, item.removed_by)
    return {person.id: person.display_name for person in people if person is not None}


def presence_of(claim: Claim, actions: claim_service.ClaimActions | None = None,
                present: list[presence.Present] | None = None) -> dict[str, Any]:
    """Who else has the claim open to change it (``present``, when the view has read it already), and
    whether this viewer's page tells others so."""
    if present is None:
        present = presence.others_present(db.session, claim.id, actor(), context().now())
    heartbeat = presence.editing(actions) if actions is not None else presence.may_edit(context(), actor(), claim)
    return {"presence_region": claim_items.presence_region(
        present, heartbeat=heartbeat, url=links.by_id("conversation.presence_now", "claim_id")(claim.id))}


class _Where(NamedTuple):
    """The claim's ids, read before the service's commit expires it (reading them after would load the
    claim again, issue 15)."""

    claim_id: int
    article_id: int


def _where(claim: Claim) -> _Where:
    return _Where(claim.id, claim.article_id)


def _done(where: _Where, message: str) -> Any:
    flash(message, "success")
    return redirect(_done_location(where))


def _done_location(where: _Where) -> str:
    """Where a step carried out sends the person (``_done``)."""
    claim_id = where.claim_id
    # Triage and assignment also happen from the article page; send the editor back where they were.
    if request.form.get("return_to") == "article":
        return url_for("articles.show", article_id=where.article_id, _anchor=f"claim-{claim_id}")
    return url_for("claims.show", claim_id=claim_id)


def _offered(actions: claim_service.ClaimActions) -> set[str]:
    return {name for action, names in _FORMS_OF_ACTION.items() if getattr(actions, action) for name in names}


def _submit(claim: Claim, step: str, form_name: str, form: FlaskForm, action: Callable[[], object],
            success: str, errors_on: str | None = None) -> Any:
    """Check the person may take the step, validate the form, run the service call; on any refusal
    re-render the claim page with the reason where they are looking and their input kept (under the
    field ``errors_on`` when given: a note's unclear mention is told beside the note)."""
    refused = claim_service.step_refusal(context().settings, actor(), claim, step)
    if refused is not None:
        claim = _page(claim)
        return _render(claim, 403, problem=claim_service.explain_refusal(claim, actor(), refused), **{form_name: form})
    if not form.validate_on_submit():
        if "version" in form.errors:  # not a typing mistake: the page that sent it is broken or forged
            return _again(claim, 400, problem=MISSING_VERSION, **{form_name: form})
        return _again(claim, 422, **{form_name: form})
    where = _where(claim)
    with shown_on_the_form() as outcome:
        action()
    if isinstance(outcome.error, EditConflict):
        db.session.rollback()  # the page is loaded again: the other person's version
        return _again(claim, 409, conflict=outcome.error, **{form_name: form})
    if outcome.error is not None and errors_on is not None:
        field = getattr(form, errors_on)
        field.errors = [*field.errors, outcome.error.message]
        return _again(claim, outcome.error.status_code, **{form_name: form})
    if outcome.error is not None:
        return _again(claim, outcome.error.status_code, problem=outcome.error.message, **{form_name: form})
    return _done(where, success)


def _load(claim_id: int, step: str) -> Claim:
    """The claim as the step reads it (404 when there is none): its row, with its article when the step
    checks that the article is open. Whether the person may take the step is checked by ``_submit``,
    which loads the rest of the page only to show it again."""
    return claim_queries.load_claim_for_step(db.session, claim_id, with_article=claim_service.reads_article(step))


@bp.get("")
@login_required
def index() -> Any:
    settings = context().settings
    # The list as most open it, unfiltered: none of the seven arguments looked up (2 % of the page), and
    # no query string parsed into werkzeug's arguments (another 2 %).
    args = request.args if request.query_string else _NO_ARGS
    filters = _list_filters(args, settings) if args else _NO_FILTERS
    # The page's claims and the checkers its filter and bulk form offer, in one statement.
    page, checkers = claims_list.claims_and_checkers(db.session, filters, before_id=int_arg("before") if args else None,
                                                     limit=settings.page_size, today=context().now().date())
    # Only the filters travel to the page links: any other name (``endpoint``, ``_external``…) would be
    # an argument of url_for itself.
    kept: dict[str, Any] = {key: value for key, value in args.items() if key in _LIST_FILTERS} if args else {}
    viewer = actor()
    shape = viewer_shape(viewer)
    may_assign = _may_assign(viewer, settings) and bool(checkers)

    def write() -> Markup:
        # Only those who may assign need the per-claim check, asked once per kind of claim on the page.
        actions = claim_service.ActionsByKind(settings, viewer)
        return list_rows.kept_claims_list_rows(
            page.claims, claim_url=links.by_id("claims.show", "claim_id"),
            article_url=links.by_id("articles.show", "article_id"), may_assign=may_assign,
            assignable={c.id for c in page.claims if actions.may("assign", c)} if may_assign else set())
    # Written again only when the claims read differ: the rows depend besides on whether the viewer may
    # assign and, through the check per claim, on the viewer's id, roles and the settings.
    rows = list_rows.kept_page(("claims", may_assign, viewer.id, shape), page.claims, write, written_for=settings)
    people = _people(checkers)
    # The bulk form shows nothing the request sent (building the WTForms form to write its token and
    # priorities was 6 % of the page); ``bulk_assign`` builds it to read what is sent.
    bulk_form = _bulk_form(people, token_and_key()) if may_assign else None
    return render_template(
        "claims/index.html", page=page, rows=rows, filter_form=_filter_form(filters, people, settings.verdict_scale),
        bulk_form=bulk_form,
        newest_url=url_for("claims.index", **kept) if "before" in args else None,
        older_url=_older_url(page.next_before_id, kept) if page.next_before_id else None,
        may_assign=may_assign,
    )


def _may_assign(viewer: Any, settings: Any) -> bool:
    """``can(viewer, CLAIM_ASSIGN)``, asked once per kind of viewer and settings (some 3 % of the page)."""
    return kept_answers(Action.CLAIM_ASSIGN, viewer, settings,
                        lambda: can(viewer, Action.CLAIM_ASSIGN, settings=settings))


class _People(NamedTuple):
    """The checkers the list offers as (id, "Name (e-mail)") pairs, with the list they were made from."""

    checkers: list[Any]
    pairs: tuple[tuple[int, str], ...]
    options: Markup  # every checker's ``<option>``, none chosen (the bulk form's)


# The last list of checkers' pairs and options (one list is current at a time).
_PEOPLE: KeptByIdentity[_People] = KeptByIdentity(at_most=1)


def _people(checkers: list[Any]) -> _People:
    """The checkers' pairs and options, made again only when the list of checkers is another object:
    the same list comes back while the database has not changed (``claims_list``), and making the
    pairs and hashing them to find their options was some 5 % of the page."""
    def make() -> _People:
        pairs = tuple((c.id, c.choice_label) for c in checkers)
        return _People(checkers, pairs, list_rows.options(pairs))
    return _PEOPLE.get(checkers, (), make)


def _filter_form(filters: ClaimFilters, people: _People, verdicts: tuple[str, ...]) -> Markup:
    """The list's filter form, its options and the values chosen: the same on most views (a template's
    seven expressions and three option lists looked up by their contents were some 6 % of the page), so
    kept per filters, verdict scale and checkers (``list_forms``)."""
    return list_forms.kept_claims_filter(filters, verdicts, people.pairs, lambda: (
        list_rows.kept_options(_STATUSES, filters.status), list_rows.options(people.pairs, filters.assignee_id),
        list_rows.options(((v, v) for v in verdicts), filters.verdict)))


def _bulk_form(people: _People, token: Markup) -> Markup:
    """The bulk-assign form: its token and key (new every view) and the address it returns to (this one,
    escaped as the template's ``{{ request.full_path }}`` escaped it) written into the markup kept with
    the checkers it offers (``list_forms``)."""
    return list_forms.bulk_assign("claims list", action=layout_url("claims.bulk_assign"), token=token,
                                  return_to=request.full_path, assignees=people.options,
                                  priorities=_BULK_PRIORITIES)


_NO_FILTERS = ClaimFilters()
_NO_ARGS: dict[str, str] = {}
_STATUS_VALUES = frozenset(s.value for s in ClaimStatus)


def _list_filters(args: Any, settings: Any) -> ClaimFilters:
    """The claims list's filters from the query string ``args``: a value it does not know is no filter."""
    status = text_arg("status", 20)
    verdict = text_arg("verdict", 40)
    return ClaimFilters(
        status=status if status in _STATUS_VALUES else None,
        assignee_id=int_arg("assignee"), article_id=int_arg("article"),
        verdict=verdict if verdict in settings.verdict_scale else None,
        overdue=args.get("overdue") == "1", unassigned=args.get("unassigned") == "1",
    )


def _older_url(before_id: int, kept: dict[str, Any]) -> str:
    """The next page's address. Without filters, the list's kept address and the id (what ``url_for``
    builds: digits need no quoting), as on most views: ``url_for`` was 2 % of the page."""
    if kept:
        return url_for("claims.index", before=before_id, **kept)
    return f"{layout_url('claims.index')}?before={before_id}"


@bp.post("/bulk-assign")
@login_required
def bulk_assign() -> Any:
    context().require(actor(), Action.CLAIM_ASSIGN)
    form = BulkAssignForm()
    form.assignee_id.choices = checker_choices()
    back = safe_local_url(request.form.get("return_to")) or url_for("claims.index")
    ids = sorted({claim_id for v in request.form.getlist("claim_ids") if (claim_id := parse_id(v)) is not None})
    if not form.validate_on_submit():
        flash("Could not assign: " + " ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    with shown_on_the_form() as outcome:
        assignee = user_service.get_checker(db.session, form.assignee_id.data)
        selected = claim_queries.claims_by_id(db.session, ids)
        claim_service.bulk_assign(context(), actor=actor(), claims=selected, assignee=assignee,
                                  due_date=form.due_date.data, priority=form.priority.data)
    if outcome.error is not None:
        flash(outcome.error.message, "error")
        return redirect(back)
    flash(f"{len(selected)} claim(s) assigned to {assignee.display_name}.", "success")
    return redirect(back)


@bp.get("/<id:claim_id>")
@login_required
def show(claim_id: int) -> Any:
    # Opening the claim is reading what was notified about it (first: its commit would expire the
    # claim's loaded conversation, which the page and the manager's note permission read). Whether there
    # is anything to read is asked with who else has the claim open: one statement for both.
    # The claim, its items and its history are read in the same go (one round trip on PostgreSQL), and
    # loaded again after the commit only when there was something to mark read.
    viewer = actor()
    settings = context().settings
    # The body written for the same rows, viewer and settings (and checkers, where it offers them) is the
    # same body: kept, its tokens and presence filled in (``kept_claim_pages``). While the database has
    # not changed since it was written (its stamp), its rows are not read again.
    shown_to = (viewer.display_name, viewer_shape(viewer), settings)
    kept = kept_claim_pages.kept(current_app, claim_id, viewer.id)
    if kept is not None and kept.viewer != shown_to:
        kept = None
    opening = claim_page.open_claim(db.session, claim_id, viewer, context().now(),
                                    stamp=kept.stamp if kept is not None else None)
    if opening.unread:
        notifications.mark_claim_read(context(), actor=actor(), claim_id=claim_id, unread=True)
        return _render(claim_queries.load_claim_page(db.session, claim_id), present=opening.present)
    if kept is not None and (opening.unchanged or kept.rows == opening.rows) \
            and (kept.checkers is None or kept.checkers == _checkers(opening)):
        if not opening.unchanged and opening.stamp != kept.stamp:  # the same rows, read in a later state
            kept_claim_pages.keep(current_app, claim_id, viewer.id, kept._replace(stamp=opening.stamp))
        body = kept_claim_pages.fill(kept.parts, _presence_region(claim_id, opening.present, kept.heartbeat),
                                     token_writer())
        return _whole_page(claim_id, body)
    claim, history = opening.objects()
    return _render(claim, present=opening.present, history=history, keep=(shown_to, opening.rows, opening.stamp),
                   opening=opening)


@bp.post("/<id:claim_id>/assign")
@login_required
def assign(claim_id: int) -> Any:
    claim = _load(claim_id, "assign")
    form = AssignForm()
    form.assignee_id.choices = checker_choices()

    def run() -> None:
        assignee = user_service.get_checker(db.session, form.assignee_id.data)
        claim_service.assign(context(), actor=actor(), claim=claim, assignee=assignee, due_date=form.due_date.data,
                             priority=form.priority.data, expected_version=form.expected_version())

    return _submit(claim, "assign", "assign_form", form, run, "Claim assigned.")


@bp.post("/<id:claim_id>/take")
@login_required
def take(claim_id: int) -> Any:
    claim = _load(claim_id, "take")
    return _submit(claim, "take", "action_form", ActionForm(),
                   lambda: claim_service.take_from_pool(context(), actor=actor(), claim=claim),
                   "The claim is yours; it is in your queue.")


@bp.post("/<id:claim_id>/start")
@login_required
def start(claim_id: int) -> Any:
    claim = _load(claim_id, "start")
    return _submit(claim, "start", "action_form", ActionForm(),
                   lambda: claim_service.start_work(context(), actor=actor(), claim=claim), "Work started.")


def _evidence_fields(form: EvidenceForm) -> dict[str, Any]:
    return {"url": form.url.data, "title": form.title.data, "stance": form.stance.data,
            "excerpt": form.excerpt.data or "", "publisher": form.publisher.data or "",
            "published_on": form.published_on.data, "source_type": form.source_type.data,
            "question": form.question.data, "credibility": form.credibility.data or None}


@bp.post("/<id:claim_id>/evidence")
@login_required
def add_evidence(claim_id: int) -> Any:
    claim = _load(claim_id, "evidence")
    form = EvidenceForm()
    return _submit(claim, "evidence", "evidence_form", form, lambda: evidence.add_evidence(
        context(), actor=actor(), claim=claim, **_evidence_fields(form)), "Evidence added.")


EVIDENCE_CONFLICT_HINT = ("What you typed is kept in the form below, which now starts from their version: "
                          "saving it again replaces theirs with yours.")


def _as_shown(field: Field, value: object) -> str:
    """A value as the form shows it: a choice by its label rather than its stored value."""
    if value is None or value == "":
        return "—"
    if isinstance(field, SelectField):
        labels = {str(choice[0]): str(choice[1]) for choice in field.iter_choices()}
        return labels.get(str(value), str(value))
    return str(value).strip()


def _evidence_conflict_rows(item: Evidence, form: EditEvidenceForm) -> list[tuple[str, str, str]]:
    """The fields where the saved evidence and this person's input differ, named as on the form."""
    yours = _evidence_fields(form)
    shown = ((form[name], getattr(item, name), yours[name]) for name in evidence.EDITABLE_FIELDS)
    return [(str(field.label.text), theirs, mine) for field, saved, typed in shown
            if (theirs := _as_shown(field, saved)) != (mine := _as_shown(field, typed))]


@bp.route("/<id:claim_id>/evidence/<id:evidence_id>/edit", methods=["GET", "POST"])
@login_required
def edit_evidence(claim_id: int, evidence_id: int) -> Any:
    claim = _load(claim_id, "evidence")
    context().require(actor(), claim_service.permission_of("evidence"), claim)
    item = evidence.get_evidence(db.session, claim, evidence_id)
    page: dict[str, Any] = {}
    if request.method == "GET":
        form = EditEvidenceForm(obj=item, version=evidence.version_of(item))
        form.credibility.data = item.credibility or ""
        status = 200
    else:
        form = EditEvidenceForm()
        status = 422
        if not form.validate_on_submit():
            if "version" in form.errors:  # not a typing mistake: the page that sent it is broken or forged
                form.form_errors.append(MISSING_EVIDENCE_VERSION)
                status = 400
        else:
            where = _where(claim)
            with shown_on_the_form() as outcome:
                evidence.edit_evidence(context(), actor=actor(), evidence=item, expected_version=form.version.data,
                                       **_evidence_fields(form))
            if outcome.error is None:
                return _done(where, "Evidence updated; the earlier version is in the history.")
            status = outcome.error.status_code
            if isinstance(outcome.error, EditConflict):
                db.session.rollback()
                db.session.refresh(item)
                page = {"conflict": outcome.error, "conflict_rows": _evidence_conflict_rows(item, form),
                        "conflict_hint": EVIDENCE_CONFLICT_HINT}
                # Told what the other person saved, they may now knowingly save theirs over it.
                form.version.data = evidence.version_of(item)
            else:
                form.form_errors.append(outcome.error.message)
    return render_template("claims/edit_evidence.html", claim=claim, evidence=item, form=form,
                           **page, **presence_of(claim)), status


@bp.post("/<id:claim_id>/evidence/<id:evidence_id>/remove")
@login_required
def remove_evidence(claim_id: int, evidence_id: int) -> Any:
    claim = _load(claim_id, "evidence")
    item = evidence.get_evidence(db.session, claim, evidence_id)
    form = RemoveEvidenceForm()
    return _submit(claim, "evidence", "remove_evidence_form", form, lambda: evidence.remove_evidence(
        context(), actor=actor(), evidence=item, reason=form.reason.data),
        "Evidence removed; it stays in the claim's history.")


@bp.post("/<id:claim_id>/notes")
@login_required
def add_note(claim_id: int) -> Any:
    claim = _load(claim_id, "note")
    form = NoteForm()
    # A form sent with an idempotency key: the key's row is written, in the note's transaction, with
    # where the answer sends the person, rather than by a transaction of its own after the answer.
    if idempotency.expecting(db.session):
        idempotency.answer_to(db.session, _done_location(_where(claim)))
    return _submit(claim, "note", "note_form", form, lambda: notes.add_note(
        context(), actor=actor(), claim=claim, body=form.body.data, reply_to=form.reply_to.data),
        "Reply posted." if form.reply_to.data else "Note posted.", errors_on="body")


@bp.post("/<id:claim_id>/propose")
@login_required
def propose(claim_id: int) -> Any:
    claim = _load(claim_id, "propose")
    form = ProposeForm(verdicts=context().settings.verdict_scale)
    return _submit(claim, "propose", "propose_form", form, lambda: claim_service.propose_verdict(
        context(), actor=actor(), claim=claim, verdict=form.verdict.data, rationale=form.rationale.data,
        attribution_verdict=form.attribution_verdict.data or None, expected_version=form.expected_version()),
        "Verdict proposed; an editor will review it.")


@bp.post("/<id:claim_id>/accept-verdict")
@login_required
def accept_verdict(claim_id: int) -> Any:
    claim = _load(claim_id, "accept_verdict")
    form = AcceptVerdictForm()
    return _submit(claim, "accept_verdict", "accept_form", form, lambda: claim_service.accept_verdict(
        context(), actor=actor(), claim=claim, expected_version=form.expected_version()),
        "Verdict accepted; the claim is final.")


@bp.post("/<id:claim_id>/return-verdict")
@login_required
def return_verdict(claim_id: int) -> Any:
    claim = _load(claim_id, "return_verdict")
    form = ReturnForm()
    return _submit(claim, "return_verdict", "return_form", form, lambda: claim_service.return_verdict(
        context(), actor=actor(), claim=claim, note=form.note.data, expected_version=form.expected_version()),
        "Verdict returned to the checker.")


@bp.post("/<id:claim_id>/accept")
@login_required
def accept_suggestion(claim_id: int) -> Any:
    claim = _load(claim_id, "accept")
    form = AcceptSuggestionForm()
    # The one-click accept on the article page sends no fields: keep the suggestion's values then.
    submitted = set(request.form)
    via = [part.strip() for part in (form.via.data or "").split(",") if part.strip()] if "via" in submitted else None
    return _submit(claim, "accept", "triage_form", form, lambda: claim_service.accept_suggestion(
        context(), actor=actor(), claim=claim, statement=form.statement.data if "statement" in submitted else None,
        claimant=form.claimant.data if "claimant" in submitted else None, via=via,
        expected_version=form.expected_version()), "Suggestion accepted as a claim.")


@bp.post("/<id:claim_id>/dismiss")
@login_required
def dismiss(claim_id: int) -> Any:
    claim = _load(claim_id, "dismiss")
    form = DismissForm()
    return _submit(claim, "dismiss", "dismiss_form", form, lambda: claim_service.dismiss(
        context(), actor=actor(), claim=claim, reason=form.reason.data, expected_version=form.expected_version()),
        "Claim dismissed.")


@bp.post("/<id:claim_id>/resolve")
@login_required
def resolve(claim_id: int) -> Any:
    claim = _load(claim_id, "resolve")
    form = ResolveForm()
    return _submit(claim, "resolve", "resolve_form", form, lambda: claim_service.resolve(
        context(), actor=actor(), claim=claim, resolution=form.resolution.data, note=form.note.data or "",
        revision_number=form.revision_number.data, expected_version=form.expected_version()),
        "Resolution recorded.")


@bp.post("/<id:claim_id>/reanchor")
@login_required
def reanchor(claim_id: int) -> Any:
    claim = _load(claim_id, "reanchor")
    form = ReanchorForm()
    return _submit(claim, "reanchor", "reanchor_form", form, lambda: claim_service.reanchor(
        context(), actor=actor(), claim=claim, quote=form.quote.data, start=form.start.data, end=form.end.data,
        expected_version=form.expected_version()), "Claim anchored to the new passage; it goes back to checking.")
