"""Bring an uploaded or pasted article in as plain text.

Every refusal is an ``IntakeError`` whose message can be shown to the editor as is.
The text that comes out is what claims are anchored to, so it is normalised once
here (newlines to ``\\n``) and never again downstream.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

MAX_BYTES = 2_000_000
# A .docx is a zip: what it unpacks to, and how many paragraphs it holds, are checked
# from the zip's directory and the raw document part before python-docx builds anything.
MAX_DOCX_UNPACKED_BYTES = 20_000_000
MAX_DOCX_PARAGRAPHS = 10_000
TEXT_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
                   ".htm": "html", ".docx": "docx"}


class IntakeError(ValueError):
    """The file or text cannot be taken in; the message says why, for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class IntakeResult:
    text: str
    title: str | None
    source_format: str


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_C1 = re.compile(r"[\x80-\x9f]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def _limit_message(max_bytes: int) -> str:
    if max_bytes % 1_000_000 == 0:
        return f"The file is larger than the {max_bytes // 1_000_000} MB limit."
    return f"The file is larger than the {max_bytes:,} byte limit."


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise IntakeError(_limit_message(max_bytes))


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _require_content(text: str) -> str:
    if not text.strip():
        raise IntakeError("The file is empty.")
    return text


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); cp1252 only when it reads cleanly as text."""
    if b"\x00" in data:
        raise IntakeError("This does not look like a text file (it contains binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise IntakeError("This does not look like a text file (it is not UTF-8 or Windows-1252 text).") from None
        if _C1.search(text):
            raise IntakeError("This does not look like a text file (it is not UTF-8 or Windows-1252 text).") from None
    if _CONTROL.search(text):
        raise IntakeError("This does not look like a text file (it contains binary data).")
    return _normalise_newlines(text)


# Markdown: only what would otherwise be read as part of a claim.
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S+.*$\n?", re.M)
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_MD_RULE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M)


def strip_markdown(text: str) -> tuple[str, str | None]:
    """Remove headings' hashes, emphasis and link markup; return (text, first heading)."""
    title_match = _MD_HEADING.search(text)
    title = title_match.group(1).strip() if title_match else None
    text = _MD_REF_DEF.sub("", text)
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REF_LINK.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EM.sub(r"\2", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_RULE.sub("", text)
    return text, title


def _read_html(data: bytes) -> IntakeResult:
    if b"\x00" in data:
        raise IntakeError("This does not look like an HTML file (it contains binary data).")
    try:
        markup = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data.decode("cp1252", errors="replace")
    if not markup.strip():
        raise IntakeError("The file is empty.")
    from .html import extract_html  # trafilatura is slow to import; only pay for it here

    text, title = extract_html(markup)
    text = _BLANK_RUNS.sub("\n\n", _normalise_newlines(text)).strip()
    if not text:
        raise IntakeError("No article text was found in this HTML page.")
    return IntakeResult(text=text, title=title, source_format="html")


_DOCX_PARAGRAPH = re.compile(rb"<(?:\w+:)?p[\s/>]")
_DOCX_BODY = "word/document.xml"


def _check_docx_bounds(data: bytes) -> None:
    """Refuse a .docx that unpacks to too much or holds too many paragraphs, reading only
    the zip's directory (declared sizes bound what zipfile will ever unpack) and the raw
    XML of the document part."""
    body: bytes | None = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            unpacked = sum(e.file_size for e in entries)
            if unpacked <= MAX_DOCX_UNPACKED_BYTES and any(e.filename == _DOCX_BODY for e in entries):
                body = archive.read(_DOCX_BODY)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise IntakeError("Could not read this .docx file: it is damaged.") from None
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise IntakeError(
            f"This .docx file unpacks to more than {MAX_DOCX_UNPACKED_BYTES // 1_000_000} MB, "
            "more than an article can be; save it again without embedded files, or paste the text.")
    if body is None:
        return  # no document part: python-docx says what is wrong with it
    paragraphs = len(_DOCX_PARAGRAPH.findall(body))
    if paragraphs > MAX_DOCX_PARAGRAPHS:
        raise IntakeError(
            f"This .docx file has {paragraphs:,} paragraphs; the limit is {MAX_DOCX_PARAGRAPHS:,}. "
            "Split the document or paste the article's text.")


def _docx_title(document: Any, texts: list[str]) -> str | None:
    """The first non-empty Title or Heading paragraph. Style names are looked up once
    per style, not once per paragraph (python-docx's ``paragraph.style`` walks the
    styles part every time)."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {style.style_id: style.name or "" for style in document.styles}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name or "") if default is not None else ""
    for paragraph, text in zip(document.paragraphs, texts, strict=True):
        if not text.strip():
            continue
        style_id = paragraph._p.style
        name = names.get(style_id, "") if style_id is not None else default_name
        if name == "Title" or name.startswith("Heading"):
            return text.strip()
    return None


def _read_docx(data: bytes) -> IntakeResult:
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise IntakeError("Could not read this .docx file: it is not a Word document.")
    _check_docx_bounds(data)
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    # python-docx raises whatever its zip and XML layers raise on a damaged file; all of
    # them mean the same thing to the editor.
    except Exception as exc:
        detail = str(exc).strip().rstrip(".") or "it is damaged"
        raise IntakeError(f"Could not read this .docx file: {detail}.") from None
    paragraphs = [p.text for p in document.paragraphs]
    title = _docx_title(document, paragraphs)
    if title is None:
        core_title = (document.core_properties.title or "").strip()
        title = core_title or None
    text = _normalise_newlines("\n".join(paragraphs))
    text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
    _require_content(text)
    return IntakeResult(text=text, title=title, source_format="docx")


def _first_line_title(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 200 else None
    return None


def read_upload(filename: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> IntakeResult:
    """Turn an uploaded file into article text, or raise ``IntakeError``."""
    suffix = PurePath(filename or "").suffix.lower()
    kind = TEXT_EXTENSIONS.get(suffix)
    if kind is None:
        shown = suffix or "(none)"
        raise IntakeError(
            f"Files of type {shown} are not supported. Upload a .txt, .md, .html or .docx file."
        )
    _check_size(data, max_bytes)
    if not data.strip():
        raise IntakeError("The file is empty.")
    if kind == "docx":
        return _read_docx(data)
    if kind == "html":
        return _read_html(data)
    text = _require_content(decode_text(data))
    if kind == "md":
        text, title = strip_markdown(text)
        return IntakeResult(text=text, title=title or _first_line_title(text), source_format="md")
    return IntakeResult(text=text, title=_first_line_title(text), source_format="txt")


def read_pasted(text: str, *, max_bytes: int = MAX_BYTES) -> IntakeResult:
    """Pasted text gets the same size and emptiness checks as an upload."""
    if len(text.encode("utf-8")) > max_bytes:
        raise IntakeError(_limit_message(max_bytes).replace("The file is", "The text is"))
    if not text.strip():
        raise IntakeError("The text is empty.")
    if "\x00" in text:
        raise IntakeError("The text contains binary data.")
    text = _normalise_newlines(text)
    return IntakeResult(text=text, title=_first_line_title(text), source_format="paste")
