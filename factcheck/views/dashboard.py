"""The manager's dashboard."""
from __future__ import annotations

import dataclasses
import weakref
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required
from markupsafe import Markup
from wtforms.fields.core import UnboundField

from factcheck.forms.dashboard import PeriodForm
from factcheck.security import Action
from factcheck.services import dashboard
from factcheck.views import links, list_rows
from factcheck.views.charts import kept_chart
from factcheck.views.common import actor, context
from factcheck.views.kept import Kept

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 72 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _days_before(day: date, days: int) -> date:
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def _label(rows: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple([(value.replace("_", " "), count) for value, count in rows])


@bp.get("")
@login_required
def index() -> Any:
    ctx = context()
    ctx.require(actor(), Action.DASHBOARD_READ)
    today = ctx.now().date()
    default = dashboard.Period.last_days(today=today)
    errors: list[str] = []
    if _PERIOD_NAMES.isdisjoint(request.args):
        period, status, fields = default, 200, _default_period_fields(default)
    else:
        period, status, errors, fields = _chosen_period(today, default)
    board = dashboard.summary(ctx, viewer=actor(), period=period, today=today)
    charts, rows = _markup(board)
    return render_template("dashboard/index.html", board=board, charts=charts, rows=rows,
                           period_fields=fields, errors=errors, hours=_hours), status


# Per app, the board last written and its charts and tables. ``summary`` gives the very same board again
# while the database has not changed (SQLite: services.unchanged), so its markup is taken as it was,
# without the charts' and tables' keys built from its rows (a tenth of the view's own time).
_last: weakref.WeakKeyDictionary[Any, tuple[dashboard.Dashboard, str, dict[str, Markup], dict[str, Markup]]] = \
    weakref.WeakKeyDictionary()


def _markup(board: dashboard.Dashboard) -> tuple[dict[str, Markup], dict[str, Markup]]:
    app, root = current_app._get_current_object(), request.script_root  # type: ignore[attr-defined]
    last = _last.get(app)
    if last is not None and last[0] is board and last[1] == root:
        return last[2], last[3]
    charts, rows = _charts(board), _rows(board)
    _last[app] = (board, root, charts, rows)
    return charts, rows


def _charts(board: dashboard.Dashboard) -> dict[str, Markup]:
    return {
        "status": kept_chart("chart-status", "Claims brought in, by status now", _label(board.claims_by_status),
                             label_header="Status", value_header="Claims"),
        "verdicts": kept_chart("chart-verdicts", "Final verdicts", tuple(board.verdicts),
                               label_header="Verdict", value_header="Claims"),
        "workload": kept_chart("chart-workload", "Open claims per checker",
                               tuple([(w.name, w.total) for w in board.workload]),
                               label_header="Checker", value_header="Open claims"),
        "gate": kept_chart("chart-gate", "Articles at the gate", _label(board.gate),
                           label_header="Article status", value_header="Articles"),
    }


# The tables' rows, kept per process by the exact rows (and addresses) they write, as the charts are:
# written afresh they were a quarter of the view's time outside its statements, for rows that change only
# when a claim does.
_kept_rows: Kept[Markup] = Kept(at_most=32)


# A row's every field as a plain tuple, for the key: hashed and compared in C, where the frozen
# dataclasses' own __hash__ and __eq__ run in Python for each of the 40 rows.
_overdue_fields = attrgetter(*(f.name for f in dataclasses.fields(dashboard.OverdueClaim)))
_waiting_fields = attrgetter(*(f.name for f in dataclasses.fields(dashboard.WaitingArticle)))


def _rows(board: dashboard.Dashboard) -> dict[str, Markup]:
    claim_url, article_url = links.by_id("claims.show", "claim_id"), links.by_id("articles.show", "article_id")
    # A sample address of each kind stands for how the rows' links are written (script root, URL map).
    addresses = (claim_url(0), article_url(0))
    overdue, waiting = tuple(map(_overdue_fields, board.overdue)), tuple(map(_waiting_fields, board.waiting))
    workload = tuple([(w.name, tuple(w.counts.items()), w.overdue) for w in board.workload])
    return {
        "overdue": _kept_rows.get(("overdue", overdue, addresses), lambda: list_rows.overdue_rows(
            board.overdue, claim_url=claim_url, article_url=article_url)),
        "workload": _kept_rows.get(("workload", workload), lambda: list_rows.workload_rows(board.workload)),
        "waiting": _kept_rows.get(("waiting", waiting, addresses), lambda: list_rows.waiting_rows(
            board.waiting, article_url=article_url)),
    }


# The query-string names of the period form; a view without them shows the default period.
_PERIOD_NAMES = frozenset(name for name, value in vars(PeriodForm).items() if isinstance(value, UnboundField))
_PERIOD_ORDER = tuple(sorted(_PERIOD_NAMES))
_default_fields: dict[dashboard.Period, Markup] = {}


# A bound: typed values cannot make it grow.
_chosen: Kept[tuple[dashboard.Period, int, tuple[str, ...], Markup]] = Kept(at_most=64)


def _chosen_period(today: date, default: dashboard.Period) -> tuple[dashboard.Period, int, list[str], Markup]:
    """The period the query string asks for, its status (400 when it cannot be used), its errors and
    its fields: worked out once per process for the exact values typed and the day, not a form built,
    validated and written on every view (a chosen period's link is followed again and again)."""
    key = (today, tuple([tuple(request.args.getlist(name)) for name in _PERIOD_ORDER]))
    period, status, errors, fields = _chosen.get(key, lambda: _read_period(today, default))
    return period, status, list(errors), fields


def _read_period(today: date, default: dashboard.Period) -> tuple[dashboard.Period, int, tuple[str, ...], Markup]:
    form = PeriodForm(formdata=request.args)
    form.validate()
    errors, status = tuple(form.error_messages()), 200
    if form.errors:
        period, status = default, 400
    else:
        date_to = form.date_to.data or today
        period = dashboard.Period(form.date_from.data or _days_before(date_to, dashboard.DEFAULT_DAYS - 1), date_to)
    return period, status, errors, _period_fields(form, period)


def _period_fields(form: PeriodForm, period: dashboard.Period) -> Markup:
    """The period's two date fields, showing the dates the board covers (a date left out, or a period
    that cannot be used, shows the one taken instead)."""
    if not form.date_from.data or form.errors:
        form.date_from.data = period.date_from
    if not form.date_to.data or form.errors:
        form.date_to.data = period.date_to
    return Markup(current_app.jinja_env.get_template("dashboard/_period_fields.html").render(form=form))


def _default_period_fields(period: dashboard.Period) -> Markup:
    """The fields of the default period (the dashboard's usual view): written once a day and kept, not
    a form built, validated and written on every view."""
    fields = _default_fields.get(period)
    if fields is None:
        _default_fields.clear()  # yesterday's
        fields = _default_fields[period] = _period_fields(PeriodForm(formdata=None), period)
    return fields
