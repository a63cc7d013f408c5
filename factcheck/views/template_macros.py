"""The macros nearly every page uses, as globals of the templates.

``{% from "macros/forms.html" import field %}`` costs about 26 µs per template per render: before
reusing the macro template's cached module, Jinja compares the importing context's globals with the
macro template's (a set difference over a ``ChainMap``), on every render. As globals, the same macros
are looked up like ``url_for``. They are imported the way ``{% from … import %}`` imports them:
without the caller's context, so a macro sees only the environment's globals and its own arguments.
A template may still import them by name; the import then wins, as a local name.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from factcheck.views import layout

# template: the macros of it every template may call without importing them
SHARED = {
    "macros/forms.html": ("form_errors", "button_form"),
    "macros/claims.html": ("status_badge",),
}


def field(f: Any, class_: str = "", **attrs: Any) -> Markup:
    """A form field: label, help text, the input and its errors, linked for screen readers. Extra
    keyword arguments become attributes of the input (autocomplete="username", rows=3, …).

    Written here rather than as a Jinja macro: the macro's own work (its lists and dicts, the call)
    cost more than the input it wrapped, for every field of every form (issue 15). The macro of the
    same name in macros/forms.html calls this, for the templates that import it."""
    errors = f.errors
    described = []
    if f.description:
        described.append(f"{f.id}-help")
    if errors:
        described.append(f"{f.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    # f-strings of escaped values: Markup.format goes through string.Formatter, slower than the macro.
    parts = [f'<div class="field {escape(class_)}{" has-error" if errors else ""}">']
    if f.type == "BooleanField":
        parts += [f(**attrs), " ", f.label()]
    else:
        parts.append(f.label())
        if f.description:
            parts.append(f'<small id="{escape(f.id)}-help" class="help">{escape(f.description)}</small>')
        parts.append(f(**attrs))
    if errors:
        parts.append(f'<p class="error" id="{escape(f.id)}-error">{Markup(" ").join(errors)}</p>')
    parts.append("</div>")
    return Markup("\n".join(parts))


def init_app(app: Flask) -> None:
    """Call last, once every other global is set: the macros' module is made with the globals of now."""
    env = app.jinja_env
    env.globals["field"] = env.globals["field_markup"] = field
    for template, names in SHARED.items():
        module = env.get_template(template).module
        for name in names:
            env.globals[name] = getattr(module, name)
    # The layout's signed-in header: its macro, rendered once for each distinct header (views/layout.py).
    header = getattr(env.get_template("macros/layout.html").module, "signed_in_header")  # noqa: B009 (a macro)
    env.globals["signed_in_header"] = layout.header_renderer(header)
