from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.extraction import find_furniture

SHARED_ARTICLE = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "articles"
                  / "syria-russia-relations.txt")


@pytest.fixture
def shared_article() -> str:
    if not SHARED_ARTICLE.is_file():
        pytest.skip(f"shared data not found at {SHARED_ARTICLE.resolve()}")
    return SHARED_ARTICLE.read_bytes().decode("utf-8")


def reasons(text: str) -> dict[str, str]:
    found = find_furniture(text)
    for f in found:
        assert text[f.start:f.end] == f.text
    return {f.text: f.reason for f in found}


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Photo: Grok, ill. purposes", "image credit"),
        ("Image: Reuters", "image credit"),
        ("Image credit: Press service", "image credit"),
        ("Credit: John Smith", "image credit"),
        ("(Photo by Jane Doe/Getty Images)", "image credit"),
        ("Sign up for our newsletter to get the news in your inbox", "newsletter prompt"),
        ("Subscribe now", "newsletter prompt"),
        ("Share this article", "share prompt"),
        ("Follow us on Telegram", "share prompt"),
        ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie notice"),
        ("Read more: Another story about the economy", "link to another article"),
        ("© 2024 Example Media. All rights reserved.", "copyright notice"),
        ("Advertisement", "share prompt"),
    ],
)
def test_single_lines(line: str, reason: str) -> None:
    text = f"The minister said prices rose by 5 percent last year.\n{line}\nThe bank disagreed with him on Monday."
    assert reasons(text) == {line: reason}


def test_related_list_runs_until_prose_resumes() -> None:
    text = (
        "Prices rose 5 percent last year, the ministry said.\n"
        "Latest news\n"
        "- Snow closes the northern highway\n"
        "Kazakhstan’s Trade Slows in January\n"
        "The ministry will publish full figures for the year at the end of next month, officials said.\n"
    )
    found = reasons(text)
    assert found == {
        "Latest news": "related headlines heading",
        "- Snow closes the northern highway": "related headlines list",
        "Kazakhstan’s Trade Slows in January": "related headlines list",
    }


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the year the bank expects inflation to slow to 5 percent.",
        "ASTANA is the capital, and the bank kept its rate at 14.75 percent.",
        "The company said it would share the results with investors on Friday.",
        "Related to the decision, the bank also cut its forecast for growth to 3 percent this year.",
        "The photo agency said its images were used without permission.",
    ],
)
def test_article_lines_are_not_furniture(line: str) -> None:
    assert reasons(line + "\n") == {}


def test_shared_article_furniture(shared_article: str) -> None:
    found = find_furniture(shared_article)
    assert found[0].text == "Photo: Grok, ill. purposes"
    latest = shared_article.index("Latest news")
    # everything from "Latest news" on is set aside, line by line
    assert next(f for f in found if f.start >= latest).text == "Latest news"
    tail_lines = [ln for ln in shared_article[latest:].splitlines() if ln.strip()]
    assert len([f for f in found if f.start >= latest]) == len(tail_lines)
