"""The article page's head (title, byline, status, revision, its buttons and forms), written in Python
rather than in its template, and its bulk-assignment form (the claims list's macro, ``list_forms``).

Each is a dozen values and conditions a view: as Jinja, every one an attribute lookup, a call or an
escape through its runtime, they were the larger part of the template's own work on the page (issue 15).
The markup is the template's (``templates/articles/show.html`` before), byte for byte; every value is
escaped as autoescaping would (``list_rows.shown``), the tokens and options are markup already.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from factcheck.views import list_forms
from factcheck.views.list_rows import shown, status_badge


def head(article: Any, *, revision: Any, revision_url: str | None, timeline_url: str | None, actions: Any,
         link: Mapping[str, str], token_and_key: Callable[..., Markup], publish_form: Markup | None) -> Markup:
    """The page's head: the article's title, outlet, byline, status and revision, and the buttons and
    forms of what the viewer may do with it."""
    byline = f" · {shown(article.byline)}" if article.byline else ""
    revised = f' · <a href="{shown(revision_url)}">revision {shown(revision.number)}</a>' if revision else ""
    timeline = f' · <a href="{shown(timeline_url)}">Audit timeline</a>' if actions.timeline else ""
    # (where the template had a comment, its line's indent stays)
    approve = "\n      " f"""
  <form method="post" action="{shown(link["articles.approve"])}" class="inline">
    {token_and_key(with_id=True)}
    <button type="submit" class="primary">Approve article</button>
  </form>

    """ if actions.approve else ""
    revise = f"""
      <a class="button" href="{shown(link["articles.revise"])}">Revise text</a>
    """ if actions.revise else ""
    publish = f"""
      <form method="post" action="{shown(link["articles.publish"])}" class="inline publish-form" novalidate>
        {publish_form}
        <button type="submit">Mark as published</button>
      </form>
    """ if actions.publish else ""
    return Markup(f"""<div class="page-head">
  <div>
    <h1>{shown(article.title)}</h1>
    <p class="meta">{shown(article.outlet)}{byline} · <span id="article-status">{status_badge(article.status)}</span>
      {revised}
      {timeline}</p>
  </div>
  <div class="actions">
    {approve}
    <a class="button" href="{shown(link["articles.fact_check_report"])}">Report</a>
    {revise}
    {publish}
  </div>
</div>""")


def bulk_form(*, action: str, return_to: str, token_and_key: Callable[..., Markup], assignees: Markup,
              priorities: Markup) -> Markup:
    """The form that assigns the ticked claims (the cards' tick boxes name it), with its lists of options:
    the bulk-assignment macro the claims list shows too, kept per options (``list_forms``)."""
    return list_forms.bulk_assign("article", action=action, token=token_and_key(), return_to=return_to,
                                  assignees=assignees, priorities=priorities)
