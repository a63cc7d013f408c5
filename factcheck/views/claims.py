from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from factcheck.extensions import db
from factcheck.forms import choices
from factcheck.forms.articles import ActionForm
from factcheck.forms.claims import (
    AcceptSuggestionForm, AssignForm, DismissForm, EvidenceForm, ProposeForm, ResolveForm, ReturnForm,
)
from factcheck.models import Claim, User
from factcheck.security import Action, require
from factcheck.services import audit_log
from factcheck.services import claims as claim_service
from factcheck.services import users as user_service
from factcheck.services.errors import DomainError, EditConflict, NotFound
from factcheck.views.common import actor

bp = Blueprint("claims", __name__, url_prefix="/claims")


def _forms(claim: Claim, **bound: FlaskForm) -> dict[str, FlaskForm]:
    """Every form of the claim page; the one that was just submitted keeps its input and errors."""
    version = str(claim.version)
    forms: dict[str, FlaskForm] = {
        "evidence_form": bound.get("evidence_form") or EvidenceForm(formdata=None),
        "propose_form": bound.get("propose_form") or ProposeForm(formdata=None, version=version),
        "return_form": bound.get("return_form") or ReturnForm(formdata=None, version=version),
        "accept_form": bound.get("accept_form") or ActionForm(formdata=None),
        "dismiss_form": bound.get("dismiss_form") or DismissForm(formdata=None, version=version),
        "triage_form": bound.get("triage_form") or AcceptSuggestionForm(
            formdata=None, version=version, statement=claim.statement, claimant=claim.claimant or "",
            via=", ".join(claim.via or [])),
        "resolve_form": bound.get("resolve_form") or ResolveForm(formdata=None),
        "action_form": ActionForm(formdata=None),
    }
    assign_form = bound.get("assign_form") or AssignForm(
        formdata=None, version=version, assignee_id=claim.assignee_id, due_date=claim.due_date,
        priority=claim.priority)
    assign_form.assignee_id.choices = choices((u.id, u.display_name) for u in user_service.checkers(db.session))
    forms["assign_form"] = assign_form
    return forms


def _render(claim: Claim, status: int = 200, conflict: EditConflict | None = None, problem: str | None = None,
            **bound: FlaskForm):
    history = audit_log.object_timeline(db.session, "claim", claim.id)
    return render_template(
        "claims/show.html", claim=claim, article=claim.article, history=history, conflict=conflict, problem=problem,
        verdicts=current_app.config["FACTCHECK_VERDICT_SCALE"],
        needs_resolution=claim.verdict in current_app.config["FACTCHECK_VERDICTS_NEEDING_RESOLUTION"],
        **_forms(claim, **bound),
    ), status


def _done(claim: Claim, message: str):
    flash(message, "success")
    # Triage and assignment also happen from the article page; send the editor back where they were.
    if request.form.get("return_to") == "article":
        return redirect(url_for("articles.show", article_id=claim.article_id, _anchor=f"claim-{claim.id}"))
    return redirect(url_for("claims.show", claim_id=claim.id))


def _submit(claim: Claim, form_name: str, form: FlaskForm, action, success: str):
    """Validate the form, run the service call, and on any refusal re-render with the input kept."""
    if not form.validate_on_submit():
        return _render(claim, 422, **{form_name: form})
    try:
        action()
    except EditConflict as conflict:
        db.session.refresh(claim)
        return _render(claim, 409, conflict=conflict, **{form_name: form})
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        return _render(claim, error.status_code, problem=error.message, **{form_name: form})
    return _done(claim, success)


@bp.get("/<int:claim_id>")
@login_required
def show(claim_id: int):
    return _render(claim_service.load_claim_page(db.session, claim_id))


@bp.post("/<int:claim_id>/assign")
@login_required
def assign(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.CLAIM_ASSIGN, claim)
    form = AssignForm()
    form.assignee_id.choices = choices((u.id, u.display_name) for u in user_service.checkers(db.session))

    def run():
        assignee = db.session.get(User, form.assignee_id.data)
        if assignee is None:
            raise NotFound("There is no such checker.")
        claim_service.assign(db.session, actor=actor(), claim=claim, assignee=assignee, due_date=form.due_date.data,
                             priority=form.priority.data, expected_version=form.expected_version())

    return _submit(claim, "assign_form", form, run, "Claim assigned.")


@bp.post("/<int:claim_id>/start")
@login_required
def start(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.CLAIM_WORK, claim)
    return _submit(claim, "action_form", ActionForm(),
                   lambda: claim_service.start_work(db.session, actor=actor(), claim=claim), "Work started.")


@bp.post("/<int:claim_id>/evidence")
@login_required
def add_evidence(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.CLAIM_WORK, claim)
    form = EvidenceForm()
    return _submit(claim, "evidence_form", form, lambda: claim_service.add_evidence(
        db.session, actor=actor(), claim=claim, url=form.url.data, title=form.title.data, stance=form.stance.data,
        excerpt=form.excerpt.data or "", publisher=form.publisher.data or "", published_on=form.published_on.data,
        source_type=form.source_type.data), "Evidence added.")


@bp.post("/<int:claim_id>/propose")
@login_required
def propose(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.VERDICT_PROPOSE, claim)
    form = ProposeForm()
    return _submit(claim, "propose_form", form, lambda: claim_service.propose_verdict(
        db.session, actor=actor(), claim=claim, verdict=form.verdict.data, rationale=form.rationale.data,
        expected_version=form.expected_version()), "Verdict proposed; an editor will review it.")


@bp.post("/<int:claim_id>/accept-verdict")
@login_required
def accept_verdict(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.VERDICT_REVIEW, claim)
    form = ActionForm()
    return _submit(claim, "accept_form", form, lambda: claim_service.accept_verdict(
        db.session, actor=actor(), claim=claim), "Verdict accepted; the claim is final.")


@bp.post("/<int:claim_id>/return-verdict")
@login_required
def return_verdict(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.VERDICT_REVIEW, claim)
    form = ReturnForm()
    return _submit(claim, "return_form", form, lambda: claim_service.return_verdict(
        db.session, actor=actor(), claim=claim, note=form.note.data, expected_version=form.expected_version()),
        "Verdict returned to the checker.")


@bp.post("/<int:claim_id>/accept")
@login_required
def accept_suggestion(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.CLAIM_TRIAGE, claim)
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
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.CLAIM_TRIAGE, claim)
    form = DismissForm()
    return _submit(claim, "dismiss_form", form, lambda: claim_service.dismiss(
        db.session, actor=actor(), claim=claim, reason=form.reason.data, expected_version=form.expected_version()),
        "Claim dismissed.")


@bp.post("/<int:claim_id>/resolve")
@login_required
def resolve(claim_id: int):
    claim = claim_service.load_claim_page(db.session, claim_id)
    require(actor(), Action.CLAIM_RESOLVE, claim)
    form = ResolveForm()
    return _submit(claim, "resolve_form", form, lambda: claim_service.resolve(
        db.session, actor=actor(), claim=claim, resolution=form.resolution.data, note=form.note.data or ""),
        "Resolution recorded.")
