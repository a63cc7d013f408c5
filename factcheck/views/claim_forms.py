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
from typing import Any, NamedTuple, cast

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
            name = parts[n]
            value = values.get(name)
            if value is None:
                if not name.startswith(_OPTION):
                    raise KeyError(name)
                value = ""  # an option not selected
            out += (value, parts[n + 1])
        return Markup("".join(out))


# An option's marker: ``_OPTION`` + the select's name + "_" + the option's value (``_options_marked``).
_OPTION = "option_"
# A select's options as the fields write them (``forms.rendering._select``, and WTForms' own widget:
# ``selected`` sorts before ``value``), none selected: ``<option value="…">``.
_SELECT = re.compile(r'(<select [^>]*\bname="(\w+)"[^>]*>)(.*?)(</select>)', re.DOTALL)
_PLAIN_OPTION = re.compile(r'<option value="(\w+)">')


_UNMARKED = _Written(("",))  # kept for a shape whose options could not be marked


def _options_marked(markup: str, names: tuple[str, ...]) -> str | None:
    """The markup with a marker before the ``value`` of each option of the selects ``names`` (written with
    none selected), so that a view writes ``selected `` into the one the claim selects; None when an
    option is not written as expected (a value other than letters, digits and underscores)."""
    marked = 0

    def mark(select: re.Match[str]) -> str:
        nonlocal marked
        opening, name, options, closing = select.groups()
        if name not in names:
            return select.group(0)
        if options.count("<option") != len(_PLAIN_OPTION.findall(options)):
            raise ValueError(name)
        marked += 1
        return opening + _PLAIN_OPTION.sub(lambda o: f'<option {_marker(_OPTION + name + "_" + o.group(1))}value="{o.group(1)}">',
                                           options) + closing

    try:
        written = _SELECT.sub(mark, markup)
    except ValueError:
        return None
    return written if marked == len(names) else None


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
    # With no checker and no priority selected: the options are marked after (``_ASSIGN_SELECTS``).
    _attributed, choices, *selected = shape
    assignee_id, priority = selected if selected else (None, None)
    form = AssignForm(formdata=None, version=_marker("version"), assignee_id=assignee_id, priority=priority)
    form.assignee_id.choices = forms_choices(choices)
    form.due_date.raw_data = [_marker("due_date")]  # the date field writes its raw data when it has some
    return form


# The assignment form's selects, whose options are marked rather than written once for every assignee and
# priority: a desk's first views of its claims met a new pair on most claims (a WTForms form built and its
# fields rendered for each).
_ASSIGN_SELECTS = ("assignee_id", "priority")


def _assign_values(claim: Claim) -> dict[str, str]:
    due = claim.due_date
    return {"version": str(claim.version), "due_date": due.strftime("%Y-%m-%d") if due else "",
            f"{_OPTION}assignee_id_{claim.assignee_id}": "selected ", f"{_OPTION}priority_{claim.priority}": "selected "}


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
                             bool(claim.claimant), tuple((c.value, c.label) for c in checkers)),
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

    if name == "assign_form":
        def write_marked() -> _Written:
            marked = _options_marked(str(_macro(spec.macro)(spec.blank(shape), attributed)), _ASSIGN_SELECTS)
            return _Written.of(marked) if marked is not None else _UNMARKED

        # The app's templates are part of the key: an app of its own (a test's) may load other ones.
        written = _KEPT.get((name, shape, id(current_app.jinja_env)), write_marked)
        if written is _UNMARKED:  # options not written as expected: a shape for each assignee and priority
            shape = (*cast("tuple[Any, ...]", shape), claim.assignee_id, claim.priority)
            written = _KEPT.get((name, shape, id(current_app.jinja_env)), write)
        return written.fill(spec.values(claim))
    return _KEPT.get((name, shape, id(current_app.jinja_env)), write).fill(spec.values(claim))
