"""The article list's page of articles, read on the driver.

``articles.list_articles`` runs its kept statement through SQLAlchemy's execution (the cache key
walked over the select with its two counting subqueries, a result and its metadata built) for fifty
rows; here the same statement, built by the same function, runs on the driver (``driver_sql.untyped_named``), its
rows typed by the same processors (SQLite's creation times).
"""
from __future__ import annotations

from typing import Any

from factcheck.services import articles, built, driver_sql
from factcheck.services.articles import ArticleRow
from factcheck.services.context import DbSession
from factcheck.settings import Settings


def list_articles(session: DbSession, settings: Settings, *, status: str | None = None, query: str | None = None,
                  limit: int = 100, offset: int = 0) -> list[ArticleRow]:
    """``articles.list_articles``: the same rows (``tests/services/test_articles_list.py`` holds them equal)."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if status:
        params["status"] = status
    if query:
        params["pattern"] = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    connection = session.connection()
    statement = built.once(articles._article_list, bool(status), bool(query), settings,
                           connection.dialect.name == "postgresql")
    session.flush()  # what autoflush would have done: the list sees the request's own changes
    raw, typed, _keys = driver_sql.untyped_named(connection, statement, params)
    new = tuple.__new__
    if not typed:
        return [new(ArticleRow, row) for row in raw]
    return [new(ArticleRow, driver_sql.typed(row, typed)) for row in raw]
