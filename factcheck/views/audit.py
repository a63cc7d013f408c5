"""The audit log: the manager's filtered listing, per-object timelines, verification and exports."""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from markupsafe import Markup
from wtforms import widgets
from wtforms.fields.core import UnboundField

from factcheck.extensions import db
from factcheck.forms import token_writer
from factcheck.forms.audit import AuditFilterForm, VerifyForm
from factcheck.kept_by_identity import KeptByIdentity
from factcheck.security import Action
from factcheck.services import audit_log
from factcheck.views import jobs
from factcheck.views.audit_rows import event_rows, events_table, kept_event_rows
from factcheck.views.common import actor, context, int_arg, layout_url, parse_id
from factcheck.views.history import describe
from factcheck.views.kept import Kept

bp = Blueprint("audit", __name__, url_prefix="/audit")

_EVENT_KIND = re.compile(r"[a-z0-9_]{1,40}(\.[a-z0-9_]{1,40}){0,2}")


class _SelectWrittenOnce(widgets.Select):
    """The filter's selects, each written once for its options, the chosen one and its attributes, and
    kept: the actor and article selects hold some 340 options, whose markup was a tenth of the page on
    every view, while they change only when someone joins or an article comes in.

    The option lists are shared by the requests that show the same ones (``forms.audit`` keeps them),
    so a list's identity stands for its contents; each kept select holds its list, so that identity is
    never another list's while it is kept.
    """

    _KEPT_AT_MOST = 64

    def __init__(self) -> None:
        super().__init__()
        # Another request's selected value or attribute past the bound: start over.
        self._kept: KeptByIdentity[Markup] = KeptByIdentity(at_most=self._KEPT_AT_MOST)

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        key = (field.name, field.id, field.data, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # an attribute's value that cannot be a key: written every time
            return self._written(field, kwargs)
        return self._kept.get(field.choices, key, lambda: self._written(field, kwargs))

    def _written(self, field: Any, kwargs: dict[str, Any]) -> Markup:
        # As any select of our forms is written (forms.rendering), by the plain widget.
        field.widget = _PLAIN_SELECT
        try:
            return Markup(field.meta.render_field(field, kwargs))
        finally:
            field.widget = self


_PLAIN_SELECT = widgets.Select()
_SELECTS = _SelectWrittenOnce()
# A filter's filters, its error messages and its fields' markup.
_Filtered = tuple[audit_log.Filters, list[str], Markup]


def _filter_form(choices: audit_log.FilterChoices | None = None) -> AuditFilterForm:
    form = AuditFilterForm(
        request.args, choices_from=choices or audit_log.filter_choices(db.session, parse_id(request.args.get("article"))),
        also_action=_recorded_outside_the_vocabulary("action"),
        also_object_type=_recorded_outside_the_vocabulary("object_type"),
    )
    form.validate()
    for select in (form.actor, form.action, form.object_type, form.article):
        select.widget = _SELECTS
    return form


def _recorded_outside_the_vocabulary(name: str) -> str | None:
    """A requested action or object type that the code no longer records but the log holds (an older
    kind of event): offered too, so the filter still finds it. Asked only for such a value."""
    value = request.args.get(name) or None
    known = audit_log.ACTIONS if name == "action" else audit_log.OBJECT_TYPES
    # Only what could name a kind of event is looked for (never a NUL, which PostgreSQL refuses).
    if value is None or value in known or not _EVENT_KIND.fullmatch(value):
        return None
    return value if audit_log.recorded(db.session, **{name: value}) else None


# The query-string names the filter reads (its fields); any other (before, after) pages the log.
_FILTER_NAMES = frozenset(name for name, value in vars(AuditFilterForm).items() if isinstance(value, UnboundField))
_FILTER_ORDER = tuple(sorted(_FILTER_NAMES))
# A filter's outcome by the choices it was validated against (by identity) and the values asked for.
_filtered_kept: KeptByIdentity[_Filtered] = KeptByIdentity(at_most=64)


def _filtered(choices: audit_log.FilterChoices) -> _Filtered:
    """The filter asked for, validated against ``choices``: its filters, its errors and its fields'
    markup. Kept by the values asked for and the very choices (the lists ``audit_log`` keeps until
    someone joins or an article comes in): building, validating and writing the form was a sixth of a
    filtered view. Not kept when an action or object type outside the vocabulary is asked for (whether
    the log holds it is asked of the database)."""
    args = request.args
    if not all(_plainly_known(name) for name in ("action", "object_type")):
        form = _filter_form(choices)
        return form.filters(), form.error_messages(), _fields(form)
    def made() -> _Filtered:
        form = _filter_form(choices)
        return form.filters(), form.error_messages(), _fields(form)

    return _filtered_kept.get(choices, tuple(tuple(args.getlist(name)) for name in _FILTER_ORDER), made)


def _validated(choices: audit_log.FilterChoices) -> tuple[audit_log.Filters | None, _Filtered]:
    """``_filtered`` as ``audit_log.log_page`` asks for it: the filters, or None when the filter asked
    for is not valid against ``choices``, with the filter's outcome."""
    filtered = _filtered(choices)
    return (None if filtered[1] else filtered[0]), filtered


def _plainly_known(name: str) -> bool:
    """Whether the action or object type asked for is decided without the database: none, one of
    the vocabulary, or a value that could name no kind of event (``_recorded_outside_the_vocabulary``)."""
    value = request.args.get(name) or None
    known = audit_log.ACTIONS if name == "action" else audit_log.OBJECT_TYPES
    return value is None or value in known or not _EVENT_KIND.fullmatch(value)
# Someone joined or an article came in: a new key (a few at most are ever current).
_unfiltered: Kept[Markup] = Kept(at_most=8)


def _fields(form: AuditFilterForm) -> Markup:
    return Markup(current_app.jinja_env.get_template("audit/_filter_fields.html").render(form=form))


def _unfiltered_fields(choices: audit_log.FilterChoices) -> Markup:
    """The filter's fields when nothing is filtered (the log's first view, and its older pages): the
    form at its defaults, which depend on nothing but the people and titles offered. Written once for
    each such list and kept: building, validating and writing the form was a tenth of the page. The
    very choices written last time (kept by ``audit_log`` until someone joins or an article comes in)
    are known by themselves, without their 350 people and titles made into a key."""
    global _last_fields
    last = _last_fields
    if last is not None and last[0] is choices:
        return last[1]
    fields = _unfiltered.get((tuple(choices.actors), tuple(choices.articles)),
                             lambda: _fields(_filter_form(choices)))
    _last_fields = (choices, fields)
    return fields


# The choices last written and their fields (the choices kept alive with them: their identity cannot
# stand for another's while they are here).
_last_fields: tuple[audit_log.FilterChoices, Markup] | None = None


_PLAIN_URLS: dict[tuple[str, str, str], str] = {}


def _log_url(filter_args: dict[str, str]) -> Any:
    """``url_for(endpoint, **values, **filter_args)`` for the page's links and forms. Unfiltered, the
    address of a page (``before`` or ``after`` an id) is the log's kept address and the id, and an
    export's is kept per format and mount point: ``url_for`` three times a view was 3 % of the page."""
    def url(endpoint: str, *, fmt: str | None = None, **page: int) -> str:
        if filter_args:
            values: dict[str, Any] = {**page, **filter_args}
            if fmt is not None:
                values["fmt"] = fmt
            return url_for(endpoint, **values)
        if fmt is None:  # digits need no quoting
            query = "&".join(f"{name}={int(value)}" for name, value in page.items())
            return f"{layout_url(endpoint)}?{query}" if query else layout_url(endpoint)
        key = (endpoint, fmt, request.script_root)
        kept = _PLAIN_URLS.get(key)
        if kept is None:
            kept = url_for(endpoint, fmt=fmt)
            if len(_PLAIN_URLS) < 64:
                _PLAIN_URLS[key] = kept
        return kept
    return url


@bp.get("")
@login_required
def index() -> Any:
    context().require(actor(), Action.AUDIT_READ)
    filtered = not _FILTER_NAMES.isdisjoint(request.args)
    # How the database is read (one statement on PostgreSQL, kept rows on SQLite) is the service's
    # choice; the view validates the filter against whichever choices the service read.
    choices, verification, page, outcome = audit_log.log_page(
        db.session, viewer=actor(), filtered=filtered, chosen_article=parse_id(request.args.get("article")),
        validate=_validated, before_id=int_arg("before"), after_id=int_arg("after"), limit=50)
    errors: list[str]
    if outcome is None:  # nothing filtered: the form at its defaults
        filters, errors, fields = audit_log.Filters(), [], _unfiltered_fields(choices)
    else:
        filters, errors, fields = outcome
    status = 400 if errors else 200
    filter_args = filters.query_args() if not errors else {}
    # The filter has read every user: the descriptions name people from it, and the titles come with
    # the events.
    rows = kept_event_rows(db.session, page.events, choices.names)
    # The verify and export forms send nothing but the token and an idempotency key: written as
    # ``hidden_tag`` writes them, without a form built to write them (7 % of the page); the session's
    # token looked up and escaped once for the three forms (``token_writer``).
    # The page's addresses made here, not by calls from the template (each a tenth of a millisecond
    # less on every view).
    log_url = _log_url(filter_args)
    return render_template(
        "audit/index.html", page=page, filter_fields=fields, errors=errors, verification=verification,
        events_table=events_table(rows, "Audit events, newest first"), hidden_tags=token_writer(),
        export_actions=() if errors else tuple((log_url("audit.export_job", fmt=fmt), label) for fmt, label in _EXPORTS),
        newer_url=log_url("audit.index", after=page.newer_after_id) if page.newer_after_id else None,
        older_url=log_url("audit.index", before=page.older_before_id) if page.older_before_id else None), status


_EXPORTS = (("csv", "CSV"), ("jsonl", "JSON Lines"))


@bp.get("/timeline/<object_type>/<id:object_id>")
@login_required
def timeline(object_type: str, object_id: int) -> Any:
    found = audit_log.timeline(db.session, viewer=actor(), object_type=object_type[:40], object_id=object_id,
                               after_id=int_arg("after"))
    return render_template("audit/timeline.html", timeline=found, events_table=events_table(
        event_rows(found.events, describe(db.session, found.events)), "History, oldest first"))


@bp.post("/verify")
@login_required
def verify() -> Any:
    context().require(actor(), Action.AUDIT_VERIFY)
    if VerifyForm().validate_on_submit():
        # Hashing a long log takes a while: a job, whose page shows progress and then the outcome.
        return jobs.follow(jobs.run("audit.verify", params={}))
    return redirect(url_for("audit.index"))


@bp.post("/export.<fmt>")
@login_required
def export_job(fmt: str) -> Any:
    """The page's export: a job writes the file (a million events take minutes), its page offers the
    download. The GET below streams the same file at once, for scripts."""
    context().require(actor(), Action.AUDIT_EXPORT)
    if fmt not in audit_log.EXPORT_FORMATS:
        abort(404, "Exports come as .csv or .jsonl.")
    form = _filter_form()
    if form.errors or not VerifyForm().validate_on_submit():
        flash("The export could not start: " + " ".join(e for errors in form.errors.values() for e in errors)
              if form.errors else "The form expired; please try again.", "error")
        return redirect(url_for("audit.index"))
    return jobs.follow(jobs.run("audit.export", params={"fmt": fmt, "filters": form.filters().plain()}))


@bp.get("/export.<fmt>")
@login_required
def export(fmt: str) -> Any:
    context().require(actor(), Action.AUDIT_EXPORT)
    if fmt not in audit_log.EXPORT_FORMATS:
        abort(404, "Exports come as .csv or .jsonl.")
    form = _filter_form()
    if form.errors:
        return index()
    filters = form.filters()
    # Audited and committed before the first byte is sent; the file stops below its own event.
    stop_below = audit_log.record_export(context(), actor=actor(), filters=filters, fmt=fmt)
    lines = audit_log.export_lines(db.engine, filters, stop_below, fmt, key=context().settings.audit_key)
    filename = f"audit-{stop_below - 1}.{fmt}"
    return Response(lines, mimetype=audit_log.EXPORT_FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Accel-Buffering": "no"})
