"""The shortcuts the list pages take (issue 15) write exactly what the slow way wrote: links from a
prefix, a select's options, a chart's cut labels."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import url_for
from jinja2 import Environment
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import Select

from factcheck.forms import choices, rendering
from factcheck.forms.quick_select import QuickSelectField
from factcheck.views import charts, links, list_rows
from factcheck.views.list_rows import html_text


@pytest.mark.parametrize(("endpoint", "id_name", "values"), [
    ("articles.show", "article_id", {}),
    ("claims.show", "claim_id", {}),
    ("claims.accept_suggestion", "claim_id", {}),  # the id is not the path's last part
    ("audit.timeline", "object_id", {"object_type": "claim"}),
    ("audit.timeline", "object_id", {"object_type": "odd type/é"}),
])
def test_links_by_id_are_url_for(app, endpoint, id_name, values):
    with app.test_request_context("/"):
        link = links.by_id(endpoint, id_name, **values)
        for row_id in (1, 7, 2147483647, 123456):
            assert link(row_id) == url_for(endpoint, **values, **{id_name: row_id})


def test_links_kept_between_requests_follow_the_root_the_app_is_served_under(app):
    for root in ("", "/newsroom", "", "/other"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for endpoint, id_name, values in (("claims.show", "claim_id", {}),
                                              ("audit.timeline", "object_id", {"object_type": "note"})):
                link = links.by_id(endpoint, id_name, **values)
                assert link(42) == url_for(endpoint, **values, **{id_name: 42})
                assert link(42).startswith(f"{root}/")


@pytest.mark.parametrize("value", [
    datetime(2026, 11, 27, 8, 5, 9, 230789, tzinfo=UTC), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC),
    datetime(9999, 12, 31, 0, 0, tzinfo=timezone(timedelta(hours=-5))),
])
def test_times_cut_from_isoformat_are_strftime(value):
    assert list_rows.minutes_text(value) == value.strftime("%Y-%m-%d %H:%M")
    assert list_rows.seconds_text(value, value.isoformat()) == value.strftime("%Y-%m-%d %H:%M:%S")


class _Pick(Form):
    plain = SelectField("Plain")
    slow = SelectField("Slow")
    needed = SelectField("Needed", validators=[DataRequired()])


def _quick(field, **render_kw) -> str:
    """The field as our forms render it (``rendering.render``), not through WTForms' widget."""
    return str(rendering.render(field, render_kw))


@pytest.mark.parametrize("chosen", ["", "2", "<b>&\"", "missing"])
def test_quick_select_writes_what_wtforms_writes(chosen):
    pairs = [("", "Any"), ("2", "Two <2>"), ("<b>&\"", ""), ("4", "Quote \" and 'apostrophe'")]
    form = _Pick(data={"plain": chosen, "slow": chosen, "needed": chosen})
    for field in (form.plain, form.slow, form.needed):
        field.choices = choices(pairs)
    assert _quick(form.plain, **{"aria-invalid": "true"}) == str(form.slow(**{"aria-invalid": "true"})).replace(
        'name="slow"', 'name="plain"').replace('id="slow"', 'id="plain"')
    assert _quick(form.needed) == str(Select()(form.needed))  # the "required" flag is carried over


def test_quick_select_leaves_options_with_attributes_to_wtforms():
    form = _Pick(data={"plain": "a"})
    form.plain.choices = [SelectChoice("a", "A", render_kw={"disabled": True}), SelectChoice("b", "B")]
    assert _quick(form.plain) == str(Select()(form.plain))
    assert "disabled" in _quick(form.plain)


def test_chart_labels_are_cut_like_jinjas_truncate():
    truncate = Environment().from_string("{{ label|truncate(26, true, '…') }}")
    for length in range(0, 40):
        label = "".join(chr(ord("a") + i % 26) for i in range(length))
        assert charts._short(label) == truncate.render(label=label)
    bar = charts.bar_chart("c", "Title", [("x" * 40, 3), ("y", 1)], label_header="L", value_header="V").bars[1]
    assert (bar.text_y, bar.value_x) == (bar.y + charts.BAR_HEIGHT * 0.7, charts.LABEL_WIDTH + bar.width + 6)


class _Checked(Form):
    quick = QuickSelectField("Quick")
    slow = SelectField("Slow")


@pytest.mark.parametrize("chosen", ["", "2", "7", "<b>"])
def test_quick_select_field_accepts_what_select_field_accepts(chosen):
    form = _Checked(MultiDict({"quick": chosen, "slow": chosen}))
    for field in (form.quick, form.slow):
        field.choices = choices([("", "Any"), ("2", "Two"), ("<b>", "Bold")])
    form.validate()
    assert form.quick.errors == form.slow.errors
    assert bool(form.quick.errors) == (chosen == "7")


@pytest.mark.parametrize("text", ["", "plain", "<script>alert('x')</script>", 'a "quoted" & <b>bold</b>', "&amp; already",
                                  "é ü — “curly”", "\x00\t\n"])
def test_the_rows_escape_text_as_markupsafe_does(text):
    assert html_text(text) == str(escape(text))
