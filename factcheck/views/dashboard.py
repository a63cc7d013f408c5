"""The manager's dashboard."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import login_required

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
    form = PeriodForm(formdata=request.args)
    form.validate()
    status = 200
    if form.errors:
        period, status = default, 400
    else:
        date_to = form.date_to.data or today
        period = dashboard.Period(form.date_from.data or _days_before(date_to, dashboard.DEFAULT_DAYS - 1), date_to)
    if not form.date_from.data or form.errors:
        form.date_from.data = period.date_from
    if not form.date_to.data or form.errors:
        form.date_to.data = period.date_to
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
    return render_template("dashboard/index.html", board=board, charts=charts, rows=rows, form=form,
                           errors=form.error_messages(), hours=_hours), status
