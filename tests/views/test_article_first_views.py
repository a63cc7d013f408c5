"""The article page's first views (another article at each view, issue 15): the layout around the body
is kept once per session for every article, the title and the body put in its places
(``views/articles._whole_page``); the page is, byte for byte, the one ``render_template`` writes with
the title and the body. Also the marked text of marks that do not overlap, written apart."""
from __future__ import annotations

import random
import re
from types import SimpleNamespace

from flask import render_template, template_rendered
from markupsafe import Markup

from factcheck.extensions import db
from factcheck.services import claims
from factcheck.views import article_text, articles
from factcheck.views.filters import _highlight
from tests.support.context import ctx
from tests.support.factories import FIRST_CLAIM, SECOND_CLAIM

_VALUES = re.compile(r'(name="(?:csrf_token|idempotency_key)" (?:type="hidden" )?value=")[^"]+"|'
                     r'(<meta name="csrf-token" content=")[^"]+"')


def _masked(page: str) -> str:
    return _VALUES.sub(lambda m: (m.group(1) or m.group(2)) + 'X"', page)


def _articles(make):
    editor = make.user("editor")
    titled = [make.article(editor, title=title) for title in
              ("Tram & <line> \"approved\" 'today' — ü", "Budget <b>&amp;</b> cuts", "Plain title")]
    for article in titled:
        claims.add_claim(ctx(), actor=editor, article=article, quote=FIRST_CLAIM)
        claims.add_claim(ctx(), actor=editor, article=article, quote=SECOND_CLAIM)
    db.session.commit()
    return editor, [article.id for article in titled], [article.title for article in titled]


def test_first_views_of_other_articles_render_no_layout_again(app, make, login_as):
    editor, ids, titles = _articles(make)
    client = login_as(editor)
    assert client.get(f"/articles/{ids[0]}").status_code == 200  # the sign-in's flash shown
    assert client.get(f"/articles/{ids[0]}").status_code == 200  # the session's layout kept
    rendered: list[str] = []

    def seen(_sender, template, context, **_extra):
        rendered.append(template.name)

    with template_rendered.connected_to(seen, app):
        for article_id, title in zip(ids[1:], titles[1:], strict=True):
            page = client.get(f"/articles/{article_id}")
            assert page.status_code == 200
            assert f"<title>{Markup.escape(title)} · factcheck</title>" in page.get_data(as_text=True)
    # Each article's first view: its body written, the session's layout around it the one kept.
    assert rendered == []


def test_the_page_is_what_render_template_writes(app, make, login_as, monkeypatch):
    editor, ids, _titles = _articles(make)
    client = login_as(editor)
    client.get(f"/articles/{ids[0]}")
    ours = {article_id: [client.get(f"/articles/{article_id}").get_data(as_text=True) for _ in range(2)]
            for article_id in ids}

    def whole(title, body):
        return render_template("articles/show.html", title=title, body=Markup("".join(body)))

    monkeypatch.setattr(articles, "_whole_page", whole)
    for article_id in ids:
        app.extensions.pop("factcheck.kept_article_pages", None)
        reference = client.get(f"/articles/{article_id}").get_data(as_text=True)
        first, again = ours[article_id]
        assert _masked(first) == _masked(reference)  # the body written and the layout kept
        assert _masked(again) == _masked(reference)  # the body kept too
    assert "Tram &amp; &lt;line&gt; &#34;approved&#34; &#39;today&#39; — ü · factcheck</title>" in ours[ids[0]][0]
    assert "Budget &lt;b&gt;&amp;amp;&lt;/b&gt; cuts · factcheck</title>" in ours[ids[1]][0]


def test_marks_apart_are_the_highlight_filter_s():
    """Marks that do not overlap (an article's claims nearly always) are written without the general
    cutting: the same markup, ends touching, marks at the text's ends, one claim twice, odd statuses."""
    rng = random.Random(14)
    alphabet = "ab <>&\"'é\n—"
    statuses = ["suggested", "open", "in_progress", "final", "dismissed", 'odd"<&>\'']
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        spans, at = [], rng.randint(-1, 3)
        for claim_id in range(1, rng.randint(1, 12)):
            start = at + rng.choice((0, 0, 1, 2, 5))
            end = start + rng.randint(1, 9)
            spans.append(SimpleNamespace(id=rng.choice((claim_id, claim_id, 1)), start=start, end=end,
                                         status=rng.choice(statuses)))
            at = end
        rng.shuffle(spans)
        expected = _highlight(text, spans)
        assert article_text.write(text, [(s.id, s.start, s.end, s.status) for s in spans]) == expected
