"""Our forms render their inputs, selects, text areas and labels without WTForms' attribute writer
(factcheck/forms/rendering.py, issue 15): the markup must stay exactly what WTForms' widgets write,
for every field of every form, with the attributes the templates pass and with errors shown."""
from __future__ import annotations

import datetime
import importlib
import pkgutil
import re

import pytest
from flask import Flask
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms.fields import BooleanField, EmailField
from wtforms.fields.core import Label

import factcheck.forms
from factcheck.forms import Form, rendering
from factcheck.forms.rendering import attributes
from factcheck.services.audit_log import FilterChoices

for _module in pkgutil.iter_modules(factcheck.forms.__path__):
    importlib.import_module(f"factcheck.forms.{_module.name}")


def _all_forms(base: type = Form) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_all_forms(sub))
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = _all_forms()
KEY = re.compile(r'name="idempotency_key" value="[^"]*"')
EXTRAS = [
    {},
    {"autocomplete": "username", "class_": "wide", "aria-describedby": "x-help x-error", "aria-invalid": "true"},
    {"rows": 3, "disabled": True, "required": False, "data_confirm": 'Say "yes" <now>', "placeholder": Markup("<b>&</b>"),
     "maxlength": 9, "value": "a\"b'c<d>&", "aria_label": "Ünïcode ✓"},
]
DATA = MultiDict({"email": 'a"b@c.test', "title": "<script>", "assignee_id": "7", "quote": "x & y", "due_date": "2026-01-02",
                  "priority": "high", "remember": "y", "body": "line\r\nline \"two\"", "roles": ["editor", "admin"],
                  "url": "https://example.test/?a=1&b=2", "start": "3", "reply_to": "7"})
CHOICES = [("", "—"), ("high", "High & mighty"), (7, '"Seven"'), (True, "yes")]
NUMBERED = [(1, "One <b>"), (7, '"Seven" & more')]


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=True)
    return app


# Forms whose constructor needs more than the form data.
ARGUMENTS = {"AuditFilterForm": {"choices_from": FilterChoices(actors=[(5, "Ed <itor>", "ed@x.test")],
                                                                articles=[(3, "A <title> & more")]),
                                 "also_action": "old.<kind>", "also_object_type": "thing & co"}}


def _forms(app: Flask, cls: type) -> list[Form]:
    arguments = ARGUMENTS.get(cls.__name__, {})
    with app.test_request_context("/", method="POST", data=DATA):
        submitted = cls(formdata=DATA, **arguments)
        for field in submitted:
            _give_choices(field)
        submitted.validate()
        for field in submitted:
            field.errors = [*field.errors, "<Wrong> & \"bad\""]
    with app.test_request_context("/"):
        blank = cls(formdata=None, **arguments)
    return [blank, submitted]


def _give_choices(field) -> None:
    if hasattr(field, "choices") and not field.choices:
        field.choices = NUMBERED if getattr(field, "coerce", str) is int else CHOICES


@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: cls.__name__)
def test_every_field_renders_as_wtforms_does(app, cls):
    assert FORMS, "no forms found"
    with app.test_request_context("/"):
        for form in _forms(app, cls):
            for field in form:
                _give_choices(field)
                for extra in EXTRAS:
                    ours = KEY.sub("", str(field(**extra)))
                    theirs = KEY.sub("", str(field.widget(field, **extra)))
                    assert ours == theirs, (cls.__name__, field.name, extra)
                assert str(field.label) == str(Label.__call__(field.label))
                assert str(field.label("Other <text>", class_="x")) == str(
                    Label.__call__(field.label, "Other <text>", class_="x"))
                assert str(field.label(for_="elsewhere")) == str(Label.__call__(field.label, for_="elsewhere"))


def test_the_sign_in_form_is_the_same_markup(app):
    from factcheck.forms.auth import LoginForm

    with app.test_request_context("/"):
        form = LoginForm()
        assert all(rendering.render(field, {}) is not None for field in (form.email, form.password, form.remember))
        assert str(form.email(autocomplete="username")) == (
            '<input autocomplete="username" id="email" maxlength="254" name="email" required type="email" value="">')
        assert str(form.password()) == (
            '<input id="password" maxlength="512" name="password" required type="password" value="">')
        assert str(form.remember()) == '<input id="remember" name="remember" type="checkbox" value="y">'
        hidden = str(form.hidden_tag())
        assert re.fullmatch(r'<input id="csrf_token" name="csrf_token" type="hidden" value="[^"]+">'
                            r'<input type="hidden" name="idempotency_key" value="[A-Za-z0-9_-]{24}">', hidden)


@pytest.mark.parametrize("params", [
    {"a": True, "b": False, "c": None, "d": 0, "class_": "x", "data_a_b": "1", "aria_x_y": "2"},
    {"v": datetime.date(2026, 1, 2), "w": Markup('"<i>"'), "x": "\"'<>&", "y": 1.5},
])
def test_attributes_are_those_of_wtforms(params):
    from wtforms.widgets.core import html_params

    assert attributes(params) == str(html_params(**params))


def test_the_field_helper_links_help_and_errors_for_screen_readers_and_escapes_them(app):
    """``field`` (views/template_macros.py, every template's global, and the macro of macros/forms.html
    that calls it): the label, the help text, the input and its errors, tied together by ids."""
    from factcheck.views.template_macros import field

    class _Sign(Form):
        email = EmailField("Email <address>", description='Your "work" address & no other')
        remember = BooleanField("Remember me")

    with app.test_request_context("/"):
        form = _Sign(formdata=None)
        form.email.errors = ["<Wrong> & \"bad\"", Markup("<b>Known</b>")]
        html = str(field(form.email, "wide <x>", autocomplete="username"))
        plain = str(field(form.remember))
    assert html.startswith('<div class="field wide &lt;x&gt; has-error">\n<label for="email">Email &lt;address&gt;</label>')
    assert '<small id="email-help" class="help">Your &#34;work&#34; address &amp; no other</small>' in html
    assert 'aria-describedby="email-help email-error" aria-invalid="true" autocomplete="username"' in html
    assert '<p class="error" id="email-error">&lt;Wrong&gt; &amp; &#34;bad&#34; <b>Known</b></p>\n</div>' in html
    assert plain == ('<div class="field ">\n<input id="remember" name="remember" type="checkbox" value="y">\n \n'
                     '<label for="remember">Remember me</label>\n</div>')
