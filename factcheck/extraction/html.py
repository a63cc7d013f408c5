"""Main text of a web page, without its navigation, adverts and footer.

trafilatura does the extraction; it runs offline (no fetching here, only parsing).
For pages too small for its heuristics a plain lxml walk over the block elements is
the fallback, so a short but valid article is never refused.
"""

from __future__ import annotations

import lxml.html
import trafilatura
from lxml import etree

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "figcaption", "dd", "dt"}
_SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "template", "svg", "iframe"}


def _fallback(markup: str) -> tuple[str, str | None]:
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return "", None
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    for bad in root.xpath("|".join(f"//{tag}" for tag in _SKIP)):
        bad.drop_tree()
    body = root.find("body")
    lines: list[str] = []
    for el in (body if body is not None else root).iter():
        if isinstance(el.tag, str) and el.tag in _BLOCKS:
            # Nested blocks (a <p> inside an <li>) are read once, at the innermost level.
            if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el.iterdescendants()):
                continue
            line = " ".join(el.text_content().split())
            if line:
                lines.append(line)
    if not lines and body is not None:
        lines = [" ".join(body.text_content().split())]
    h1 = root.find(".//h1")
    if h1 is not None and h1.text_content().strip():
        title = " ".join(h1.text_content().split())
    return "\n".join(lines), title or None


def extract_html(markup: str) -> tuple[str, str | None]:
    """(main text, title) of an HTML page."""
    text = trafilatura.extract(markup, include_comments=False, include_tables=False, favor_precision=False,
                               deduplicate=False, with_metadata=False)
    title = None
    metadata = trafilatura.extract_metadata(markup)
    if metadata is not None and metadata.title:
        title = metadata.title.strip() or None
    if not text or not text.strip():
        text, fallback_title = _fallback(markup)
        title = title or fallback_title
    return text or "", title
