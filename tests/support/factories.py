"""Factories that build test data through the real services, so it is valid and audited."""
from __future__ import annotations

import itertools

from factcheck.models import Article, Claim, User
from factcheck.services import articles, claims, evidence, users
from factcheck.services.context import Context

ARTICLE_TEXT = (
    "Lakeside council approves new tram line\n"
    "The council voted 27 to 4 on Tuesday to build a tram line to the airport, its chair said.\n"
    "The line will cost 210 million euros, according to the transport office.\n"
    "Critics said the money would be better spent on buses.\n"
)
FIRST_CLAIM = "The council voted 27 to 4 on Tuesday to build a tram line to the airport"
SECOND_CLAIM = "The line will cost 210 million euros"


class Factory:
    PASSWORD = "correct horse battery"

    def __init__(self, context: Context) -> None:
        self.ctx = context
        self.session = context.session
        self._seq = itertools.count(1)

    def user(self, *roles: str, email: str | None = None, active: bool = True) -> User:
        n = next(self._seq)
        user = users.create_user(self.ctx, actor=None, actor_label="test", email=email or f"{'-'.join(roles)}{n}@example.test",
                                 password=self.PASSWORD, roles=list(roles), display_name=f"{roles[0].title()} {n}")
        if not active:
            users.set_active(self.ctx, actor=None, actor_label="test", user=user, active=False)
        return user

    def article(self, editor: User | None = None, text: str = ARTICLE_TEXT, title: str = "Tram line approved") -> Article:
        editor = editor or self.user("editor")
        return articles.create_article(self.ctx, actor=editor, title=title, text=text, outlet="Test Wire")

    def claim(self, article: Article | None = None, quote: str = FIRST_CLAIM, editor: User | None = None) -> Claim:
        editor = editor or self.user("editor")
        article = article or self.article(editor)
        return claims.add_claim(self.ctx, actor=editor, article=article, quote=quote)

    def assigned_claim(self, checker: User | None = None, **kwargs) -> Claim:
        editor = kwargs.pop("editor", None) or self.user("editor")
        due_date = kwargs.pop("due_date", None)
        claim = self.claim(editor=editor, **kwargs)
        claims.assign(self.ctx, actor=editor, claim=claim, assignee=checker or self.user("checker"), due_date=due_date)
        return claim

    def proposed_claim(self, checker: User | None = None, verdict: str = "verified", **kwargs) -> Claim:
        checker = checker or self.user("checker")
        claim = self.assigned_claim(checker, **kwargs)
        evidence.add_evidence(self.ctx, actor=checker, claim=claim, url="https://example.org/minutes",
                            title="Council minutes", stance="supports")
        claims.propose_verdict(self.ctx, actor=checker, claim=claim, verdict=verdict, rationale="The minutes say so.")
        return claim

    def final_claim(self, verdict: str = "verified", reviewer: User | None = None, **kwargs) -> Claim:
        claim = self.proposed_claim(verdict=verdict, **kwargs)
        claims.accept_verdict(self.ctx, actor=reviewer or self.user("editor"), claim=claim)
        return claim
