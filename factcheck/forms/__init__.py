"""Forms check shape only (required, lengths, formats); rules belong to the services.

Input hygiene, for every field of every form (the base ``Form`` below):

* NUL (U+0000) is dropped from text as it arrives: no person types it, PostgreSQL cannot store it,
  and some tools append it to pasted text; dropping it keeps the rest of what was typed.
* Every other control character (U+0001–U+001F except tab, line feed and carriage return, U+007F
  and U+0080–U+009F) is refused with a message on the field: it is invisible on the page, breaks
  exports and terminals, and is never part of what a person means to write.
* An uploaded file whose name holds any control character, NUL included, is refused the same way.

Every form that carries the CSRF token (``form.csrf_token()`` or ``form.hidden_tag()``) also carries
an idempotency key, rendered with the token: a new random key each time the form is rendered, so a
submission sent twice is carried out once (factcheck/services/idempotency.py). Rendering the two
together keeps "every form has a key" true of every form, present and future, with no template to
remember it in.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput

from factcheck.forms import rendering
from factcheck.security.csrf_tokens import FormCSRF, csrf_token
from factcheck.services import idempotency


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip_nul(value: object) -> object:
    return value.replace("\x00", "") if isinstance(value, str) else value


# Control characters other than tab, LF and CR (NUL is dropped before this check runs).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_character_problem(value: str, *, file_name: bool = False) -> str | None:
    """The message for a value holding a control character, or None when it holds none."""
    found = (_ANY_CONTROL if file_name else _CONTROL).search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if file_name:
        return (f"The file name contains an invisible control character ({code}); rename the file and "
                "upload it again.")
    return (f"This contains an invisible control character ({code}), often carried over when text is "
            "copied from another program; remove it and try again.")


def _problem(data: Any) -> str | None:
    if isinstance(data, str):
        return control_character_problem(data)
    if isinstance(data, list | tuple):
        return next((p for item in data if isinstance(item, str) and (p := control_character_problem(item))), None)
    file_name = getattr(data, "filename", None)  # an uploaded file (FileStorage)
    if isinstance(file_name, str):
        return control_character_problem(file_name, file_name=True)
    return None


def _key_input() -> str:
    return f'<input type="hidden" name="{escape(idempotency.FIELD)}" value="{escape(idempotency.new_key())}">'


class _TokenAndKey(HiddenInput):
    """The CSRF token's hidden input, then a hidden input with a new idempotency key."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        return Markup(str(rendering.input_markup(self, field, kwargs)) + _key_input())


def token_and_key(*, with_id: bool = False) -> Markup:
    """What ``form.csrf_token(id=False)`` renders (the session's token and a new idempotency key), or
    with ``with_id`` what ``form.csrf_token()`` and ``hidden_tag`` render, without building a form: for
    a page's forms that send nothing else the page must check or keep (building a WTForms form to
    write two hidden inputs cost more than the rest of its markup)."""
    name = escape(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    field_id = f'id="{name}" ' if with_id else ""
    return Markup(f'<input {field_id}name="{name}" type="hidden" value="{escape(csrf_token())}">{_key_input()}')


def token_writer() -> Callable[..., Markup]:
    """``token_and_key`` for one page that writes many forms: the session's token (the same for the
    whole request) and its two inputs are written once, each call adds only a new idempotency key (the
    article page writes five to forty-five; looking up and escaping the token again for each was a
    twentieth of the page)."""
    name = escape(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    token = f'name="{name}" type="hidden" value="{escape(csrf_token())}">'
    plain, identified = f"<input {token}", f'<input id="{name}" {token}'

    def write(*, with_id: bool = False) -> Markup:
        return Markup((identified if with_id else plain) + _key_input())
    return write


class _KeyedCSRFTokenField(CSRFTokenField):
    widget = _TokenAndKey()


class Form(FlaskForm):
    """Base of every form: NUL characters are dropped and other control characters refused, and the
    CSRF token comes with an idempotency key (above)."""

    class Meta(FlaskForm.Meta):
        csrf_class = FormCSRF  # the session's token signed once, not once a request

        def build_csrf(self, form):
            csrf = super().build_csrf(form)
            if csrf is not None:
                csrf.field_class = _KeyedCSRFTokenField
            return csrf

        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), _strip_nul]
            field = unbound_field.bind(form=form, filters=filters, **options)
            field.label = rendering.FastLabel(field.label.field_id, field.label.text)
            return field

        def render_field(self, field, render_kw):
            # The same markup as WTForms' widgets, without their slow attribute writer (rendering.py).
            fast = rendering.render(field, render_kw)
            return fast if fast is not None else super().render_field(field, render_kw)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            problem = _problem(field.data)
            if problem is not None:
                field.errors = [*field.errors, problem]
                valid = False
        return valid
