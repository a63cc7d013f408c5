"""The manager's dashboard."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required
from markupsafe import Markup
from wtforms.fields.core import UnboundField

from factcheck.forms.dashboard import PeriodForm
from factcheck.security import Action
from factcheck.services import dashboard
from factcheck.views import links, list_rows
from factcheck.views.charts import bar_chart
from factcheck.views.common import actor, context

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


def _label(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(value.replace("_", " "), count) for value, count in rows]


@bp.get("")
@login_required
def index() -> Any:
    ctx = context()
    ctx.require(actor(), Action.DASHBOARD_READ)
    today = ctx.now().date()
    default = dashboard.Period.last_days(today=today)
    status, errors = 200, []
    if _PERIOD_NAMES.isdisjoint(request.args):
        period, fields = default, _default_period_fields(default)
    else:
        form = PeriodForm(formdata=request.args)
        form.validate()
        errors = form.error_messages()
        if form.errors:
            period, status = default, 400
        else:
            date_to = form.date_to.data or today
            period = dashboard.Period(form.date_from.data or _days_before(date_to, dashboard.DEFAULT_DAYS - 1), date_to)
        fields = _period_fields(form, period)
    board = dashboard.summary(ctx, viewer=actor(), period=period, today=today)
    charts = {
        "status": bar_chart("chart-status", "Claims brought in, by status now", _label(board.claims_by_status),
                            label_header="Status", value_header="Claims"),
        "verdicts": bar_chart("chart-verdicts", "Final verdicts", board.verdicts,
                              label_header="Verdict", value_header="Claims"),
        "workload": bar_chart("chart-workload", "Open claims per checker",
                              [(w.name, w.total) for w in board.workload],
                              label_header="Checker", value_header="Open claims"),
        "gate": bar_chart("chart-gate", "Articles at the gate", _label(board.gate),
                          label_header="Article status", value_header="Articles"),
    }
    article_url = links.by_id("articles.show", "article_id")
    rows = {
        "overdue": list_rows.overdue_rows(board.overdue, claim_url=links.by_id("claims.show", "claim_id"),
                                          article_url=article_url),
        "workload": list_rows.workload_rows(board.workload),
        "waiting": list_rows.waiting_rows(board.waiting, article_url=article_url),
    }
    return render_template("dashboard/index.html", board=board, charts=charts, rows=rows, period_fields=fields,
                           errors=errors, hours=_hours), status


# The query-string names of the period form; a view without them shows the default period.
_PERIOD_NAMES = frozenset(name for name, value in vars(PeriodForm).items() if isinstance(value, UnboundField))
_default_fields: dict[dashboard.Period, Markup] = {}


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
