"""Main text of a web page, without its navigation, adverts and footer.

trafilatura does the extraction; it runs offline (no fetching here, only parsing).
For pages too small for its heuristics a plain lxml walk over the block elements is
the fallback, so a short but valid article is never refused.
"""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

# Tables are kept as text: one line per row, cells separated by CELL_SEPARATOR.
CELL_SEPARATOR = " | "
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "figcaption", "dd", "dt"}
_CELLS = {"td", "th"}
# trafilatura writes a table as Markdown: "| a | b |" rows and a "|---|---|" rule.
_MD_TABLE_RULE = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+")
_MD_TABLE_ROW = re.compile(r"\|(.*)\|")
_SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "template", "svg", "iframe"}


def _row_text(row: etree._Element) -> str:
    cells = [" ".join(c.text_content().split()) for c in row if isinstance(c.tag, str) and c.tag in _CELLS]
    return CELL_SEPARATOR.join(c for c in cells if c)


def _tables_as_lines(text: str) -> str:
    """Markdown table rows become plain lines with the cells separated; rules go."""
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if _MD_TABLE_RULE.fullmatch(stripped):
            continue
        row = _MD_TABLE_ROW.fullmatch(stripped)
        if row:
            cells = [c.strip() for c in row.group(1).split("|")]
            line = CELL_SEPARATOR.join(c for c in cells if c)
            if not line:
                continue
        lines.append(line)
    return "\n".join(lines)


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
            line = _row_text(el) if el.tag == "tr" else " ".join(el.text_content().split())
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
    text = trafilatura.extract(markup, include_comments=False, include_tables=True, favor_precision=False,
                               deduplicate=False, with_metadata=False)
    if text:
        text = _tables_as_lines(text)
    title = None
    metadata = trafilatura.extract_metadata(markup)
    if metadata is not None and metadata.title:
        title = metadata.title.strip() or None
    if not text or not text.strip():
        text, fallback_title = _fallback(markup)
        title = title or fallback_title
    return text or "", title
