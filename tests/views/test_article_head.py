"""The article page's head and bulk-assignment form (written by views/article_head.py, not the template):
the markup the template wrote, for every branch, with every value escaped as autoescaping escapes it."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

from flask import render_template_string
from markupsafe import Markup

from factcheck.views import article_head

# templates/articles/show.html's head and bulk form before they were written in Python, as they were.
OLD_HEAD = """<div class="page-head">
  <div>
    <h1>{{ article.title }}</h1>
    <p class="meta">{{ article.outlet }}{% if article.byline %} · {{ article.byline }}{% endif %} · <span id="article-status">{{ status_badge(article.status) }}</span>
      {% if article.current_revision %} · <a href="{{ revision_url }}">revision {{ article.current_revision.number }}</a>{% endif %}
      {% if actions.timeline %} · <a href="{{ timeline_url }}">Audit timeline</a>{% endif %}</p>
  </div>
  <div class="actions">
    {% if actions.approve %}
      {# What button_form writes, its token and key without building a form. #}
  <form method="post" action="{{ link('articles.approve') }}" class="inline">
    {{ token_and_key(with_id=True) }}
    <button type="submit" class="primary">Approve article</button>
  </form>

    {% endif %}
    <a class="button" href="{{ link('articles.fact_check_report') }}">Report</a>
    {% if actions.revise %}
      <a class="button" href="{{ link('articles.revise') }}">Revise text</a>
    {% endif %}
    {% if actions.publish %}
      <form method="post" action="{{ link('articles.publish') }}" class="inline publish-form" novalidate>
        {{ publish_form }}
        <button type="submit">Mark as published</button>
      </form>
    {% endif %}
  </div>
</div>
"""
OLD_BULK = """    {% if assignable %}
    <form method="post" action="{{ layout_url('claims.bulk_assign') }}" id="bulk-assign" class="bulk-assign"
          hx-post="{{ layout_url('claims.bulk_assign') }}" hx-select="#claims-list" hx-target="#claims-list" hx-swap="outerHTML" hx-select-oob="#flashes,#article-text:innerHTML,#gate,#article-status">
      {{ token_and_key() }}
      <input type="hidden" name="return_to" value="{{ link('articles.show') }}">
      <fieldset>
        <legend>Assign the ticked claims</legend>
        <label for="bulk-assignee">Checker</label>
        <select id="bulk-assignee" name="assignee_id">{{ bulk_options.assignee }}</select>
        <label for="bulk-due">Due</label><input type="date" id="bulk-due" name="due_date">
        <label for="bulk-priority">Priority</label>
        <select id="bulk-priority" name="priority">{{ bulk_options.priority }}</select>
        <button type="submit" class="primary">Assign</button>
      </fieldset>
    </form>
    {% endif %}
"""
HOSTILE = '<script>alert("x")</script> & \'quotes\''


def _token_and_key(with_id: bool = False) -> Markup:
    field_id = 'id="csrf_token" ' if with_id else ""
    return Markup(f'<input {field_id}name="csrf_token" value="T">')


def test_the_head_is_the_templates_for_every_branch(app):
    links = {name: f"/articles/7/{name}?a=1&b=<2>" for name in ("articles.approve", "articles.revise",
                                                                  "articles.publish", "articles.fact_check_report")}
    publish_form = Markup('<input name="published_url">')
    with app.test_request_context():
        for approve, revise, publish, timeline, byline, revised in itertools.product((True, False), repeat=6):
            actions = SimpleNamespace(approve=approve, revise=revise, publish=publish, timeline=timeline)
            revision = SimpleNamespace(number=3) if revised else None
            article = SimpleNamespace(title=HOSTILE, outlet="Wire & <Co>", byline=HOSTILE if byline else None,
                                      status="in_check", current_revision=revision)
            context = {"article": article, "actions": actions, "revision_url": "/rev?a=1&b=2" if revised else None,
                       "timeline_url": "/audit?x=<1>" if timeline else None, "link": links.__getitem__,
                       "token_and_key": _token_and_key, "publish_form": publish_form if publish else None}
            old = render_template_string(OLD_HEAD, **context)
            new = article_head.head(article, revision=revision, revision_url=context["revision_url"],
                                    timeline_url=context["timeline_url"], actions=actions, link=links,
                                    token_and_key=_token_and_key, publish_form=context["publish_form"])
            assert isinstance(new, Markup)
            assert "<script>" not in new
            # (Jinja drops a template's last newline: the fragment ends at the head's closing tag.)
            assert old == str(new), (approve, revise, publish, timeline, byline, revised)


def test_the_bulk_form_is_the_templates(app):
    options = {"assignee": Markup('<option value="1">A &amp; B</option>'), "priority": Markup("<option>low</option>")}
    with app.test_request_context():
        context = {"assignable": {1}, "layout_url": lambda endpoint: "/claims/bulk?x=<1>&y",
                   "link": {"articles.show": "/articles/7?q=\"&"}.__getitem__, "token_and_key": _token_and_key,
                   "bulk_options": options}
        old = render_template_string(OLD_BULK, **context)
        new = article_head.bulk_form(action="/claims/bulk?x=<1>&y", return_to="/articles/7?q=\"&",
                                     token_and_key=_token_and_key, assignees=options["assignee"],
                                     priorities=options["priority"])
        # The template's fragment is the lines from "{% if assignable %}" to "{% endif %}" (Jinja drops
        # its last newline): the page writes "    {{ bulk_form }}" in their place.
        assert old == "    " + str(new)
        assert render_template_string(OLD_BULK, **{**context, "assignable": set()}) == "    "
