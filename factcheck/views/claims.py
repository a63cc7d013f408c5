from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.forms import choices
from factcheck.forms.articles import ActionForm
from factcheck.forms.claims import (
    AcceptSuggestionForm, AssignForm, DismissForm, EvidenceForm, NoteForm, ProposeForm, RemoveEvidenceForm,
    ResolveForm, ReturnForm,
)
from factcheck.models import Claim, ClaimStatus, User
from factcheck.security import Action, require
from factcheck.services import audit_log, claim_queries, evidence, notes
from factcheck.services import claims as claim_service
from factcheck.services import users as user_service
from factcheck.services.claim_queries import ClaimFilters
from factcheck.services.errors import DomainError, EditConflict, NotFound
from factcheck.views.common import actor, int_arg, text_arg

bp = Blueprint("claims", __name__, url_prefix="/claims")


def _checker_choices():
    return choices((u.id, u.display_name) for u in user_service.checkers(db.session))


def _forms(claim: Claim, **bound: FlaskForm) -> dict[str, FlaskForm]:
    """Every form of the claim page; the one that was just submitted keeps its input and errors."""
    version = str(claim.version)
    defaults: dict[str, Callable[[], FlaskForm]] = {
        "evidence_form": lambda: EvidenceForm(formdata=None),
        "propose_form": lambda: ProposeForm(formdata=None, version=version),
        "return_form": lambda: ReturnForm(formdata=None, version=version),
        "accept_form": lambda: ActionForm(formdata=None),
        "dismiss_form": lambda: DismissForm(formdata=None, version=version),
        "triage_form": lambda: AcceptSuggestionForm(
            formdata=None, version=version, statement=claim.statement, claimant=claim.claimant or "",
            via=", ".join(claim.via or [])),
        "resolve_form": lambda: ResolveForm(formdata=None),
        "note_form": lambda: NoteForm(formdata=None),
        "remove_evidence_form": lambda: RemoveEvidenceForm(formdata=None),
        "action_form": lambda: ActionForm(formdata=None),
        "assign_form": lambda: AssignForm(formdata=None, version=version, assignee_id=claim.assignee_id,
                                          due_date=claim.due_date, priority=claim.priority),
    }
    forms = {name: bound.get(name) or make() for name, make in defaults.items()}
    forms["assign_form"].assignee_id.choices = _checker_choices()
    return forms


def _shown(field: str, value: object) -> str:
    """A conflict table cell a person can read: names rather than user ids."""
    if value is None or value == "":
        return "—"
    if field.endswith("_id") and isinstance(value, int):
        user = db.session.get(User, value)
        return user.display_name if user else f"#{value}"
    return str(value)


def _conflict_rows(conflict: EditConflict | None) -> list[tuple[str, str, str]]:
    if conflict is None:
        return []
    current = conflict.details.get("current", {})
    return [(field.removesuffix("_id").replace("_", " "), _shown(field, current.get(field)), _shown(field, value))
            for field, value in conflict.details.get("attempted", {}).items()]


def _render(claim: Claim, status: int = 200, conflict: EditConflict | None = None, problem: str | None = None,
            **bound: FlaskForm):
    history = audit_log.claim_timeline(db.session, claim)
    return render_template(
        "claims/show.html", claim=claim, article=claim.article, history=history, conflict=conflict, problem=problem,
        conflict_rows=_conflict_rows(conflict),
        verdicts=current_app.config["FACTCHECK_VERDICT_SCALE"],
        needs_resolution=claim.verdict in current_app.config["FACTCHECK_VERDICTS_NEEDING_RESOLUTION"],
        render_markdown=notes.render_markdown,
        **_forms(claim, **bound),
    ), status


def _done(claim: Claim, message: str):
    flash(message, "success")
    # Triage and assignment also happen from the article page; send the editor back where they were.
    if request.form.get("return_to") == "article":
        return redirect(url_for("articles.show", article_id=claim.article_id, _anchor=f"claim-{claim.id}"))
    return redirect(url_for("claims.show", claim_id=claim.id))


def _submit(claim: Claim, form_name: str, form: FlaskForm, action: Callable[[], object], success: str):
    """Validate the form, run the service call, and on any refusal re-render with the input kept."""
    if not form.validate_on_submit():
        return _render(claim, 422, **{form_name: form})
    try:
        action()
    except EditConflict as conflict:
        db.session.rollback()
        db.session.refresh(claim)
        return _render(claim, 409, conflict=conflict, **{form_name: form})
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        return _render(claim, error.status_code, problem=error.message, **{form_name: form})
    return _done(claim, success)


def _load(claim_id: int, action: Action) -> Claim:
    claim = claim_queries.load_claim_page(db.session, claim_id)
    require(actor(), action, claim)
    return claim


@bp.get("")
@login_required
def index():
    filters = ClaimFilters(
        status=text_arg("status", 20) if text_arg("status", 20) in {s.value for s in ClaimStatus} else None,
        assignee_id=int_arg("assignee"), article_id=int_arg("article"),
        verdict=text_arg("verdict", 40) if text_arg("verdict", 40) in current_app.config["FACTCHECK_VERDICT_SCALE"] else None,
        overdue=request.args.get("overdue") == "1", unassigned=request.args.get("unassigned") == "1",
    )
    page = claim_queries.list_claims(db.session, filters, before_id=int_arg("before"),
                                     limit=current_app.config["FACTCHECK_PAGE_SIZE"])
    assign_form = AssignForm(formdata=None)
    assign_form.assignee_id.choices = _checker_choices()
    kept = {key: value for key, value in request.args.items() if key != "before"}
    return render_template(
        "claims/index.html", page=page, filters=filters, assign_form=assign_form,
        newest_url=url_for("claims.index", **kept) if "before" in request.args else None,
        older_url=url_for("claims.index", before=page.next_before_id, **kept) if page.next_before_id else None,
        statuses=[s.value for s in ClaimStatus], verdicts=current_app.config["FACTCHECK_VERDICT_SCALE"],
        checkers=assign_form.assignee_id.choices, action_form=ActionForm(formdata=None),
    )


@bp.post("/bulk-assign")
@login_required
def bulk_assign():
    require(actor(), Action.CLAIM_ASSIGN)
    form = AssignForm()
    form.assignee_id.choices = _checker_choices()
    back = request.form.get("return_to") or url_for("claims.index")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("claims.index")
    ids = sorted({int(v) for v in request.form.getlist("claim_ids") if v.isdigit()})
    if not form.validate_on_submit():
        flash("Could not assign: " + " ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    selected = list(db.session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)))
    assignee = db.session.get(User, form.assignee_id.data)
    try:
        if assignee is None:
            raise NotFound("There is no such checker.")
        claim_service.bulk_assign(db.session, actor=actor(), claims=selected, assignee=assignee,
                                  due_date=form.due_date.data, priority=form.priority.data)
    except DomainError as error:
        if error.status_code == 403:
            raise
        flash(error.message, "error")
        return redirect(back)
    flash(f"{len(selected)} claim(s) assigned to {assignee.display_name}.", "success")
    return redirect(back)


@bp.get("/<int:claim_id>")
@login_required
def show(claim_id: int):
    return _render(claim_queries.load_claim_page(db.session, claim_id))


@bp.post("/<int:claim_id>/assign")
@login_required
def assign(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_ASSIGN)
    form = AssignForm()
    form.assignee_id.choices = _checker_choices()

    def run():
        assignee = db.session.get(User, form.assignee_id.data)
        if assignee is None:
            raise NotFound("There is no such checker.")
        claim_service.assign(db.session, actor=actor(), claim=claim, assignee=assignee, due_date=form.due_date.data,
                             priority=form.priority.data, expected_version=form.expected_version())

    return _submit(claim, "assign_form", form, run, "Claim assigned.")


@bp.post("/<int:claim_id>/take")
@login_required
def take(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_TAKE)
    return _submit(claim, "action_form", ActionForm(),
                   lambda: claim_service.take_from_pool(db.session, actor=actor(), claim=claim),
                   "The claim is yours; it is in your queue.")


@bp.post("/<int:claim_id>/start")
@login_required
def start(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_WORK)
    return _submit(claim, "action_form", ActionForm(),
                   lambda: claim_service.start_work(db.session, actor=actor(), claim=claim), "Work started.")


def _evidence_fields(form: EvidenceForm) -> dict:
    return {"url": form.url.data, "title": form.title.data, "stance": form.stance.data,
            "excerpt": form.excerpt.data or "", "publisher": form.publisher.data or "",
            "published_on": form.published_on.data, "source_type": form.source_type.data,
            "question": form.question.data, "credibility": form.credibility.data or None}


@bp.post("/<int:claim_id>/evidence")
@login_required
def add_evidence(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_WORK)
    form = EvidenceForm()
    return _submit(claim, "evidence_form", form, lambda: evidence.add_evidence(
        db.session, actor=actor(), claim=claim, **_evidence_fields(form)), "Evidence added.")


@bp.route("/<int:claim_id>/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
@login_required
def edit_evidence(claim_id: int, evidence_id: int):
    claim = _load(claim_id, Action.CLAIM_WORK)
    item = evidence.get_evidence(db.session, claim, evidence_id)
    form = EvidenceForm(obj=item) if request.method == "GET" else EvidenceForm()
    if request.method == "GET":
        form.credibility.data = item.credibility or ""
    elif form.validate_on_submit():
        try:
            evidence.edit_evidence(db.session, actor=actor(), evidence=item, **_evidence_fields(form))
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            form.form_errors.append(error.message)
        else:
            return _done(claim, "Evidence updated; the earlier version is in the history.")
    status = 422 if request.method == "POST" else 200
    return render_template("claims/edit_evidence.html", claim=claim, evidence=item, form=form), status


@bp.post("/<int:claim_id>/evidence/<int:evidence_id>/remove")
@login_required
def remove_evidence(claim_id: int, evidence_id: int):
    claim = _load(claim_id, Action.CLAIM_WORK)
    item = evidence.get_evidence(db.session, claim, evidence_id)
    form = RemoveEvidenceForm()
    return _submit(claim, "remove_evidence_form", form, lambda: evidence.remove_evidence(
        db.session, actor=actor(), evidence=item, reason=form.reason.data),
        "Evidence removed; it stays in the claim's history.")


@bp.post("/<int:claim_id>/notes")
@login_required
def add_note(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_WORK)
    form = NoteForm()
    return _submit(claim, "note_form", form, lambda: notes.add_note(
        db.session, actor=actor(), claim=claim, body=form.body.data), "Note posted.")


@bp.post("/<int:claim_id>/propose")
@login_required
def propose(claim_id: int):
    claim = _load(claim_id, Action.VERDICT_PROPOSE)
    form = ProposeForm()
    return _submit(claim, "propose_form", form, lambda: claim_service.propose_verdict(
        db.session, actor=actor(), claim=claim, verdict=form.verdict.data, rationale=form.rationale.data,
        attribution_verdict=form.attribution_verdict.data or None, expected_version=form.expected_version()),
        "Verdict proposed; an editor will review it.")


@bp.post("/<int:claim_id>/accept-verdict")
@login_required
def accept_verdict(claim_id: int):
    claim = _load(claim_id, Action.VERDICT_REVIEW)
    return _submit(claim, "accept_form", ActionForm(), lambda: claim_service.accept_verdict(
        db.session, actor=actor(), claim=claim), "Verdict accepted; the claim is final.")


@bp.post("/<int:claim_id>/return-verdict")
@login_required
def return_verdict(claim_id: int):
    claim = _load(claim_id, Action.VERDICT_REVIEW)
    form = ReturnForm()
    return _submit(claim, "return_form", form, lambda: claim_service.return_verdict(
        db.session, actor=actor(), claim=claim, note=form.note.data, expected_version=form.expected_version()),
        "Verdict returned to the checker.")


@bp.post("/<int:claim_id>/accept")
@login_required
def accept_suggestion(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_TRIAGE)
    form = AcceptSuggestionForm()
    # The one-click accept on the article page sends no fields: keep the suggestion's values then.
    submitted = set(request.form)
    via = [part.strip() for part in (form.via.data or "").split(",") if part.strip()] if "via" in submitted else None
    return _submit(claim, "triage_form", form, lambda: claim_service.accept_suggestion(
        db.session, actor=actor(), claim=claim, statement=form.statement.data if "statement" in submitted else None,
        claimant=form.claimant.data if "claimant" in submitted else None, via=via,
        expected_version=form.expected_version()), "Suggestion accepted as a claim.")


@bp.post("/<int:claim_id>/dismiss")
@login_required
def dismiss(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_TRIAGE)
    form = DismissForm()
    return _submit(claim, "dismiss_form", form, lambda: claim_service.dismiss(
        db.session, actor=actor(), claim=claim, reason=form.reason.data, expected_version=form.expected_version()),
        "Claim dismissed.")


@bp.post("/<int:claim_id>/resolve")
@login_required
def resolve(claim_id: int):
    claim = _load(claim_id, Action.CLAIM_RESOLVE)
    form = ResolveForm()
    return _submit(claim, "resolve_form", form, lambda: claim_service.resolve(
        db.session, actor=actor(), claim=claim, resolution=form.resolution.data, note=form.note.data or ""),
        "Resolution recorded.")
