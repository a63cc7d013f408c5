"""The claims list's filter form and bulk-assignment form (templates/macros/claim_lists.html, kept by
views/list_forms.py): the markup the page's template wrote before they were kept, for every branch,
every value escaped as autoescaping escapes it; and through the app, a hostile name and address."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

from flask import render_template_string
from markupsafe import Markup

from factcheck.extensions import db
from factcheck.services.claim_queries import ClaimFilters
from factcheck.views import claims as claims_view
from factcheck.views import list_rows

# templates/claims/index.html's two forms before they were written by the view (41389a2^), as they were.
OLD_FILTER = """<form method="get" class="filters" role="search" aria-label="Filter claims">
  <label for="f-status">Status</label>
  <select id="f-status" name="status"><option value="">Any</option>
    {{ options.status }}
  </select>
  <label for="f-assignee">Assignee</label>
  <select id="f-assignee" name="assignee"><option value="">Anyone</option>
    {{ options.assignee }}
  </select>
  <label for="f-verdict">Verdict</label>
  <select id="f-verdict" name="verdict"><option value="">Any</option>
    {{ options.verdict }}
  </select>
  <label for="f-article">Article id</label>
  <input id="f-article" name="article" inputmode="numeric" size="6" value="{{ filters.article_id or '' }}">
  <span class="checkbox"><input type="checkbox" id="f-overdue" name="overdue" value="1" {% if filters.overdue %}checked{% endif %}> <label for="f-overdue">Overdue</label></span>
  <span class="checkbox"><input type="checkbox" id="f-unassigned" name="unassigned" value="1" {% if filters.unassigned %}checked{% endif %}> <label for="f-unassigned">Unassigned</label></span>
  <button type="submit">Filter</button>
</form>"""
OLD_BULK = """<form method="post" action="{{ layout_url('claims.bulk_assign') }}" id="bulk-assign" class="bulk-assign panel">
  {{ bulk_token }}
  <input type="hidden" name="return_to" value="{{ request.full_path }}">
  <fieldset>
    <legend>Assign the selected claims</legend>
    <label for="bulk-assignee">Checker</label>
    <select id="bulk-assignee" name="assignee_id">{{ options.bulk_assignee }}</select>
    <label for="bulk-due">Due</label><input type="date" id="bulk-due" name="due_date">
    <label for="bulk-priority">Priority</label>
    <select id="bulk-priority" name="priority">{{ options.bulk_priority }}</select>
    <button type="submit" class="primary">Assign selected</button>
  </fieldset>
</form>"""
HOSTILE = '<script>alert("x")</script> & \'quotes\''
VERDICTS = ("true", 'mostly "true"', "<false>")


def _people(names: tuple[str, ...]) -> claims_view._People:
    return claims_view._people([SimpleNamespace(id=n + 1, choice_label=name) for n, name in enumerate(names)])


def test_the_filter_form_is_the_templates_for_every_branch(app):
    people = _people((HOSTILE, "Ann (ann@example.org)"))
    with app.test_request_context("/claims"):
        for status, assignee, verdict, article, overdue, unassigned in itertools.product(
                (None, "in_check"), (None, 1, 2), (None, 'mostly "true"'), (None, 7), (False, True), (False, True)):
            filters = ClaimFilters(status=status, assignee_id=assignee, verdict=verdict, article_id=article,
                                   overdue=overdue, unassigned=unassigned)
            options = {"status": list_rows.options(claims_view._STATUSES, status),
                       "assignee": list_rows.options(people.pairs, assignee),
                       "verdict": list_rows.options(((v, v) for v in VERDICTS), verdict)}
            old = render_template_string(OLD_FILTER, options=options, filters=filters)
            new = claims_view._filter_form(filters, people, VERDICTS)
            assert isinstance(new, Markup) and "<script>" not in new
            assert old == str(new), filters
            assert claims_view._filter_form(filters, people, VERDICTS) is new  # kept


def test_the_filter_form_follows_another_list_of_checkers(app):
    with app.test_request_context("/claims"):
        before = claims_view._filter_form(ClaimFilters(), _people(("Ann",)), VERDICTS)
        after = claims_view._filter_form(ClaimFilters(), _people(("Bea & Co",)), VERDICTS)
    assert ">Ann<" in before and ">Ann<" not in after and ">Bea &amp; Co<" in after


def test_the_bulk_form_is_the_templates(app):
    people = _people((HOSTILE, "Ann"))
    token = Markup('<input name="csrf_token" value="T">')
    for path in ("/claims", '/claims?status=x"><script>&verdict=\'a\'', "/claims?before=12"):
        with app.test_request_context(path):
            old = render_template_string(OLD_BULK, bulk_token=token, options={
                "bulk_assignee": people.options, "bulk_priority": claims_view._BULK_PRIORITIES})
            new = claims_view._bulk_form(people, token)
            assert isinstance(new, Markup) and "<script>" not in new
            assert old == str(new), path
            # Another view's token and address are its own, the rest kept.
            other = claims_view._bulk_form(people, Markup('<input name="csrf_token" value="U">'))
            assert other == str(new).replace('value="T"', 'value="U"')


def test_through_the_app_names_and_the_address_are_escaped(make, login_as):
    editor = make.user("editor")
    checker = make.user("checker")
    make.claim(editor=editor)
    checker.display_name = '<b>Bold</b> & "quoted"'
    db.session.commit()
    client = login_as(editor)
    client.get("/claims")  # the sign-in's message shown
    page = client.get('/claims?article=&x="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<b>Bold</b>" not in page
    assert page.count(f'<option value="{checker.id}">&lt;b&gt;Bold&lt;/b&gt; &amp; &#34;quoted&#34;') == 2
    assert 'name="return_to" value="/claims?article=&amp;x=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
