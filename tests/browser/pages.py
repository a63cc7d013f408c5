"""The main pages of the desk, with who sees them, shared by the accessibility test, the
screenshots and the page benchmark."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from factcheck.models import Article, Claim


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str
    email: str | None  # who is signed in; None for a signed-out visitor


def demo_ids(session) -> dict[str, int]:
    """Ids of demo objects the pages need: the busiest article and a claim waiting for review."""
    harbour = session.scalar(select(Article.id).where(Article.title.like("Valmora port%")))
    proposed = session.scalar(select(Claim.id).where(Claim.article_id == harbour, Claim.status == "proposed"))
    return {"article": harbour, "claim": proposed}


def main_pages(ids: dict[str, int]) -> list[MainPage]:
    return [
        MainPage("login", "/login", None),
        MainPage("articles", "/articles", "editor@demo.test"),
        MainPage("article", f"/articles/{ids['article']}", "editor@demo.test"),
        MainPage("claim", f"/claims/{ids['claim']}", "editor2@demo.test"),
        MainPage("my-queue", "/queue", "checker@demo.test"),
        MainPage("review-queue", "/review", "editor2@demo.test"),
        MainPage("audit-log", "/audit", "manager@demo.test"),
        MainPage("dashboard", "/dashboard", "manager@demo.test"),
        MainPage("claims", "/claims", "editor@demo.test"),
        MainPage("notifications", "/notifications", "checker2@demo.test"),
        MainPage("users", "/users", "admin@demo.test"),
        MainPage("revise", f"/articles/{ids['article']}/revise", "editor@demo.test"),
        MainPage("revision", f"/articles/{ids['article']}/revisions/1", "editor@demo.test"),
        MainPage("password", "/account/password", "checker@demo.test"),
        MainPage("report", f"/articles/{ids['article']}/report", "manager@demo.test"),
    ]
