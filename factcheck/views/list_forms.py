"""The forms above the lists of claims (templates/macros/claim_lists.html), rendered once per what they
show and kept.

The claims list's filter form and the bulk-assignment form (the claims list's and the article page's)
were written as Python strings for speed (issue 15: the template's per-view expressions and option
lists were some 10 % of the claims list): their markup is in the macros again, and a view still pays no
more than a lookup. Each is kept with the option lists it shows, by their identity (the same objects
come back while the checkers are unchanged: ``claims_list``, ``article_page``), and the values that
choose the rest. The bulk form's token and the address it returns to differ from view to view: the
macro is rendered with stand-ins for them, split there, and each view writes its own in between.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from markupsafe import Markup

from factcheck.kept_by_identity import KeptByIdentity
from factcheck.services.claim_queries import ClaimFilters
from factcheck.views import stand_ins
from factcheck.views.list_rows import html_text

_TEMPLATE = "macros/claim_lists.html"

# Per filters asked for, verdict scale and checkers' options: a few filters in use times the checkers'
# list of the moment (each some 5 KB of options).
_FILTER_FORMS: KeptByIdentity[Markup] = KeptByIdentity(at_most=64)


def _macro(name: str) -> Any:
    # The template's module is Jinja's, kept by the environment (rendered only when a form is not kept).
    return getattr(current_app.jinja_env.get_template(_TEMPLATE).module, name)


def kept_claims_filter(filters: ClaimFilters, verdicts: tuple[str, ...], pairs: object,
                       options: Any) -> Markup:
    """The filter form for ``filters`` under ``verdicts`` offering the checkers ``pairs`` (by identity),
    kept; ``options()`` gives its three option lists (status, assignee, verdict) the first time."""
    def make() -> Markup:
        status, assignee, verdict = options()
        return Markup(_macro("claims_filter")(filters, status, assignee, verdict))
    return _FILTER_FORMS.get(pairs, (filters, verdicts), make)


# The bulk form's two variants: the claims list's, and the article page's (posted through htmx, its
# answer swapping in the claims list and what changes with it; indented as the article's body has it).
_VARIANTS = {
    "claims list": {"legend": "Assign the selected claims", "button": "Assign selected",
                    "class": "bulk-assign panel", "htmx": ""},
    "article": {"legend": "Assign the ticked claims", "button": "Assign", "class": "bulk-assign",
                "htmx": Markup('hx-select="#claims-list" hx-target="#claims-list" hx-swap="outerHTML" '
                               'hx-select-oob="#flashes,#article-text:innerHTML,#gate,#article-status"')},
}
_TOKEN, _RETURN_TO = "t", "r"
_STAND_INS = stand_ins.StandIns(_TOKEN + _RETURN_TO)
# Per variant, mount point (in the action) and option lists: a few.
_BULK_FORMS: KeptByIdentity[tuple[str, str, str]] = KeptByIdentity(at_most=16)


def _bulk_parts(variant: str, action: str, assignees: Markup, priorities: Markup) -> tuple[str, str, str]:
    text = str(_macro("bulk_assign")(action, _STAND_INS.mark(_TOKEN), _STAND_INS.mark(_RETURN_TO), assignees,
                                     priorities, **_VARIANTS[variant]))
    if variant == "article":  # where the article's body writes it: "    {{ bulk_form }}"
        text = "\n    " + text.replace("\n", "\n    ") + "\n    "
    parts = _STAND_INS.split(text)
    if parts[1::2] != [_TOKEN, _RETURN_TO]:  # the macro names each once, in this order
        raise RuntimeError(f"{_TEMPLATE}: bulk_assign writes its token, then its return address, once each")
    return parts[0], parts[2], parts[4]


def bulk_assign(variant: str, *, action: str, token: Markup, return_to: str, assignees: Markup,
                priorities: Markup) -> Markup:
    """The form that assigns the ticked claims (the lists' tick boxes name it): ``assignees`` and
    ``priorities`` are its options, written already (``assignees`` stands for its contents by identity
    while kept: the kept options of the checkers); ``token`` the session's token and the form's key;
    ``return_to`` where the answer sends the person (escaped here)."""
    head, middle, tail = _BULK_FORMS.get(assignees, (variant, action, priorities),
                                         lambda: _bulk_parts(variant, action, assignees, priorities))
    return Markup(f"{head}{token}{middle}{html_text(return_to)}{tail}")
