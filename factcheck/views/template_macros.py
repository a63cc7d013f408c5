"""The macros nearly every page uses, as globals of the templates.

``{% from "macros/forms.html" import field %}`` costs about 26 µs per template per render: before
reusing the macro template's cached module, Jinja compares the importing context's globals with the
macro template's (a set difference over a ``ChainMap``), on every render. As globals, the same macros
are looked up like ``url_for``. They are imported the way ``{% from … import %}`` imports them:
without the caller's context, so a macro sees only the environment's globals and its own arguments.
A template may still import them by name; the import then wins, as a local name.
"""
from __future__ import annotations

from flask import Flask

from factcheck.views import layout

# template: the macros of it every template may call without importing them
SHARED = {
    "macros/forms.html": ("field", "form_errors", "button_form"),
    "macros/claims.html": ("status_badge",),
}


def init_app(app: Flask) -> None:
    """Call last, once every other global is set: the macros' module is made with the globals of now."""
    env = app.jinja_env
    for template, names in SHARED.items():
        module = env.get_template(template).module
        for name in names:
            env.globals[name] = getattr(module, name)
    # The layout's signed-in header: its macro, rendered once for each distinct header (views/layout.py).
    header = getattr(env.get_template("macros/layout.html").module, "signed_in_header")  # noqa: B009 (a macro)
    env.globals["signed_in_header"] = layout.header_renderer(header)
