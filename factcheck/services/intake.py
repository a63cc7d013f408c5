"""Bringing an article in: read the pasted text or uploaded file, set page furniture aside and
propose its claims (no transaction open), then store the article, its first revision and the
suggestions in one short transaction, all audited."""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from typing import Any

from factcheck.errors import ValidationFailed
from factcheck.extraction.intake import IntakeError, read_pasted, read_upload
from factcheck.extraction.language import detect_language
from factcheck.models import Article, User
from factcheck.security.permissions import Action
from factcheck.services.articles import check_text, insert_article
from factcheck.services.context import Context
from factcheck.services.db import transaction
from factcheck.services.suggestions import Proposed, add_suggestions, furniture_of, propose
from factcheck.settings import Settings

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


@dataclass(frozen=True)
class Prepared:
    """An article read and analysed, ready to store: everything the import works out before it
    opens its transaction."""

    title: str
    text: str
    language: str
    source_format: str
    source_filename: str | None
    furniture: list[dict[str, Any]]
    proposed: list[Proposed]


def prepare(settings: Settings, *, title: str = "", text: str = "", upload: Upload | None = None) -> Prepared:
    """Read the text or file, find its title, furniture and language, and propose its claims. No
    database: on a long article this is the slow part, and it runs before any transaction opens."""
    limit = settings.max_article_bytes
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
    # The text as it will be stored (insert_article checks it the same way): offsets refer to it.
    stored = check_text(settings, read.text)
    furniture = furniture_of(stored)
    # The suggestion rules read English: another language gets no suggestions rather than wrong ones,
    # and the article page says so (its language is kept with the article).
    language = detect_language(stored)
    language = language if language != "und" else "en"
    return Prepared(
        title=title, text=stored, language=language,
        source_format=read.source_format if field == "upload" else "paste",
        source_filename=upload.filename[:255] if field == "upload" and upload else None, furniture=furniture,
        proposed=propose(stored, furniture) if _reads_english(language) else [],
    )


def import_article(ctx: Context, *, actor: User, title: str = "", text: str = "", upload: Upload | None = None,
                   outlet: str = "", byline: str = "", source_url: str = "") -> Imported:
    """Bring an article in: everything is worked out first (``prepare``), then one short
    transaction stores the article, its first revision and its suggested claims in bulk, so
    nothing half-imported is ever visible and the rest of the newsroom never waits on the import."""
    ctx.require(actor, Action.ARTICLE_CREATE)
    prepared = prepare(ctx.settings, title=title, text=text, upload=upload)
    # Reading a long article leaves the collector a great many objects to look at: let its full
    # pass (a good part of a second on a large heap) run now, with nothing held, rather than fall
    # inside the transaction, where it would hold up every other writer.
    gc.collect()
    with transaction(ctx.session):
        article = insert_article(
            ctx, actor=actor, title=prepared.title, text=prepared.text, outlet=outlet, byline=byline,
            source_url=source_url, language=prepared.language, source_format=prepared.source_format,
            source_filename=prepared.source_filename, furniture=prepared.furniture,
        )
        revision = article.current_revision
        assert revision is not None  # insert_article made the first revision
        added = add_suggestions(ctx, actor=actor, article=article, revision=revision, proposed=prepared.proposed)
    return Imported(article, added, len(prepared.furniture))


def english(article: Article) -> bool:
    """Whether claim suggestions can be made for the article (the rules read English only)."""
    return _reads_english(article.language)


def _reads_english(language: str) -> bool:
    return language in ("en", "und", "")
