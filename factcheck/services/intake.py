"""Bringing an article in: read the pasted text or uploaded file, set page furniture aside,
store the article and its first revision, and propose its claims — one transaction, all audited."""
from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.errors import ValidationFailed
from factcheck.extraction.intake import IntakeError, read_pasted, read_upload
from factcheck.extraction.language import detect_language
from factcheck.models import Article, User
from factcheck.security.permissions import Action
from factcheck.services.articles import insert_article
from factcheck.services.context import Context
from factcheck.services.db import transaction
from factcheck.services.suggestions import add_suggestions, furniture_of

# A file name is shown on the article page and stored; NUL cannot be stored in PostgreSQL, and no
# control character belongs in a name a person gave a file.
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Imported:
    article: Article
    suggestions: int
    furniture: int


def import_article(ctx: Context, *, actor: User, title: str = "", text: str = "", upload: Upload | None = None,
                   outlet: str = "", byline: str = "", source_url: str = "") -> Imported:
    ctx.require(actor, Action.ARTICLE_CREATE)
    limit = ctx.settings.max_article_bytes
    if upload is not None and _CONTROL_IN_NAME.search(upload.filename or ""):
        raise ValidationFailed("The file name contains an invisible control character; rename the file and "
                               "upload it again.", field="upload")
    try:
        if upload is not None and upload.filename:
            read = read_upload(upload.filename, upload.data, max_bytes=limit)
            field = "upload"
        elif text.strip():
            read = read_pasted(text, max_bytes=limit)
            field = "text"
        else:
            raise ValidationFailed("Paste the article text or choose a file.", field="text")
    except IntakeError as error:
        raise ValidationFailed(error.message, field="upload" if upload and upload.filename else "text") from None
    first_line = next((line.strip() for line in read.text.splitlines() if line.strip()), "")
    title = (title.strip() or (read.title or "").strip() or first_line)[:300]
    if not title:
        raise ValidationFailed("The article needs a title.", field="title")
    furniture = furniture_of(read.text)
    # The suggestion rules read English: another language gets no suggestions rather than wrong ones,
    # and the article page says so (its language is kept with the article).
    language = detect_language(read.text)
    with transaction(ctx.session):
        article = insert_article(
            ctx, actor=actor, title=title, text=read.text, outlet=outlet, byline=byline, source_url=source_url,
            language=language if language != "und" else "en",
            source_format=read.source_format if field == "upload" else "paste",
            source_filename=upload.filename[:255] if field == "upload" and upload else None, furniture=furniture,
        )
        revision = article.current_revision
        assert revision is not None  # insert_article made the first revision
        added = add_suggestions(ctx, actor=actor, article=article, revision=revision) if english(article) else 0
    return Imported(article, added, len(furniture))


def english(article: Article) -> bool:
    """Whether claim suggestions can be made for the article (the rules read English only)."""
    return article.language in ("en", "und", "")
