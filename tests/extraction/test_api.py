"""The public surface the web app and the CLI rely on."""

from __future__ import annotations

from pathlib import Path

import factcheck.extraction as extraction
from factcheck.extraction import Suggestion, find_furniture, suggest_claims, suggest_file

ARTICLE = (
    "Port Traffic Rises\n"
    "Image: Port authority\n"
    "Container traffic rose 14 percent in the first quarter, the port authority said on Monday.\r\n"
    "Read more: Rail freight slows\n"
)


def test_public_names() -> None:
    for name in ("suggest_claims", "split_sentences", "find_furniture", "Suggestion", "Span", "FurnitureLine"):
        assert hasattr(extraction, name)


def test_furniture_is_never_suggested_and_offsets_are_exact() -> None:
    found = suggest_claims(ARTICLE)
    assert [s.quote for s in found] == ["Container traffic rose 14 percent in the first quarter"]
    s = found[0]
    assert ARTICLE[s.start:s.end] == s.quote
    assert (s.claimant, s.via, s.kind) == ("the port authority", [], "attributed statement")


def test_given_furniture_is_respected() -> None:
    furniture = find_furniture(ARTICLE)
    assert suggest_claims(ARTICLE, furniture=furniture) == suggest_claims(ARTICLE)
    assert suggest_claims(ARTICLE, furniture=[]) != [] and all(isinstance(s, Suggestion) for s in suggest_claims(ARTICLE))


def test_suggest_file_keeps_offsets_into_the_decoded_file(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))
    rows = suggest_file(path)
    assert len(rows) == 1
    assert ARTICLE[rows[0]["start"]:rows[0]["end"]] == rows[0]["quote"]
    assert set(rows[0]) == {"quote", "start", "end", "claimant", "via", "kind", "score"}


def test_empty_text() -> None:
    assert suggest_claims("") == []
    assert suggest_claims("\n\n  \n") == []
