"""The claim page's forms, written without building them on a plain view.

Building the WTForms forms the viewer may use (a dozen fields' objects each) and rendering their fields
were about a seventh of the page for a checker (issue 15). What a form shows on a plain view depends on
the viewer's actions (which forms), on little of the claim (whether it names a claimant; the assignee
and priority the assignment form selects) and on values written into it (the claim's version, its
statement, claimant and "via", its due date). So each form's inside (``templates/claims/_forms.html``,
everything after the token) is rendered once per process for each such shape, from a blank form whose
values are markers, and kept as the text between the markers; a view joins the claim's values, escaped
as the fields escape them, into it. The token and a new idempotency key are written for every form by
``forms.token_and_key``, as ``csrf_token(id=False)`` writes them.

A form just posted (a refusal, a conflict, a typing mistake) is rendered from itself, as before: it
shows its errors and what was typed.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple

from flask import current_app
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from factcheck.forms import choices as forms_choices
from factcheck.forms.claims import (
    AcceptSuggestionForm,
    AcceptVerdictForm,
    AssignForm,
    DismissForm,
    EvidenceForm,
    ProposeForm,
    ReanchorForm,
    ResolveForm,
    ReturnForm,
)
from factcheck.models import Claim
from factcheck.views.kept import Kept


def _marker(name: str) -> str:
    # Private-use characters: no escaping changes them, and no label or choice of these forms holds them.
    return f"\ue000{name}\ue001"


_MARKERS = re.compile("\ue000(\\w+)\ue001")


class _Written(NamedTuple):
    """A form's inside as text between the places of its values: literal, name, literal, …, literal."""

    parts: tuple[str, ...]

    @classmethod
    def of(cls, markup: str) -> _Written:
        return cls(tuple(_MARKERS.split(markup)))

    def fill(self, values: Mapping[str, str]) -> Markup:
        parts = self.parts
        out = [parts[0]]
        for n in range(1, len(parts), 2):
            out += (values[parts[n]], parts[n + 1])
        return Markup("".join(out))


def _text(value: object) -> str:
    """A value as a text field writes it (``_value()``, escaped)."""
    return "" if value is None else str(escape(str(value)))


class _Form(NamedTuple):
    macro: str  # in templates/claims/_forms.html
    # The form with markers for its values, for this shape (what else its markup depends on).
    blank: Callable[[Any], FlaskForm]
    # What its markup depends on besides the values: (claim, settings, checkers) → a key.
    shape: Callable[[Claim, Any, Sequence[Any]], Hashable]
    # The claim's values, escaped, by marker.
    values: Callable[[Claim], dict[str, str]]


def _versioned(form: type[FlaskForm]) -> Callable[[Any], FlaskForm]:
    return lambda _shape: form(formdata=None, version=_marker("version"))


def _version(claim: Claim) -> dict[str, str]:
    return {"version": str(claim.version)}


def _no_shape(claim: Claim, settings: Any, checkers: Sequence[Any]) -> Hashable:
    return bool(claim.claimant)


def _assign_blank(shape: Any) -> FlaskForm:
    _attributed, choices, assignee_id, priority = shape
    form = AssignForm(formdata=None, version=_marker("version"), assignee_id=assignee_id, priority=priority)
    form.assignee_id.choices = forms_choices(choices)
    form.due_date.raw_data = [_marker("due_date")]  # the date field writes its raw data when it has some
    return form


def _assign_values(claim: Claim) -> dict[str, str]:
    due = claim.due_date
    return {"version": str(claim.version), "due_date": due.strftime("%Y-%m-%d") if due else ""}


def _triage_values(claim: Claim) -> dict[str, str]:
    return {"version": str(claim.version), "statement": _text(claim.statement), "claimant": _text(claim.claimant or ""),
            "via": _text(", ".join(claim.via or []))}


FORMS: dict[str, _Form] = {
    "reanchor_form": _Form("reanchor", _versioned(ReanchorForm), _no_shape, _version),
    "triage_form": _Form("triage", lambda _shape: AcceptSuggestionForm(
        formdata=None, version=_marker("version"), statement=_marker("statement"), claimant=_marker("claimant"),
        via=_marker("via")), _no_shape, _triage_values),
    "dismiss_form": _Form("dismiss", _versioned(DismissForm), _no_shape, _version),
    "assign_form": _Form("assign", _assign_blank,
                         lambda claim, _settings, checkers: (
                             bool(claim.claimant), tuple((c.value, c.label) for c in checkers), claim.assignee_id,
                             claim.priority),
                         _assign_values),
    # An attributed claim's evidence answers one of two questions: the checker says which, first.
    "evidence_form": _Form("evidence", lambda shape: EvidenceForm(formdata=None, question="" if shape else "substance"),
                           _no_shape, lambda _claim: {}),
    "propose_form": _Form("propose", lambda shape: ProposeForm(formdata=None, version=_marker("version"),
                                                               verdicts=shape[1]),
                          lambda claim, settings, _checkers: (bool(claim.claimant), tuple(settings.verdict_scale)),
                          _version),
    "accept_form": _Form("accept", _versioned(AcceptVerdictForm), _no_shape, _version),
    "return_form": _Form("return_", _versioned(ReturnForm), _no_shape, _version),
    "resolve_form": _Form("resolve", _versioned(ResolveForm), _no_shape, _version),
}

# At most this many shapes kept (a few per form: the assignment form's are per assignee and priority).
_KEPT: Kept[_Written] = Kept(256)


def _macro(name: str) -> Any:
    return getattr(current_app.jinja_env.get_template("claims/_forms.html").module, name)


def inside(name: str, claim: Claim, *, settings: Any, checkers: Sequence[Any] = (),
           posted: FlaskForm | None = None) -> Markup:
    """The inside of the form ``name`` (a key of ``FORMS``) after its token: from the form just
    ``posted`` when there is one, else the kept markup of its shape with the claim's values."""
    spec = FORMS[name]
    attributed = bool(claim.claimant)
    if posted is not None:
        return Markup(_macro(spec.macro)(posted, attributed))
    shape = spec.shape(claim, settings, checkers)

    def write() -> _Written:
        return _Written.of(str(_macro(spec.macro)(spec.blank(shape), attributed)))

    # The app's templates are part of the key: an app of its own (a test's) may load other ones.
    return _KEPT.get((name, shape, id(current_app.jinja_env)), write).fill(spec.values(claim))
