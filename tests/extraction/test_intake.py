from __future__ import annotations

import io
import time
import zipfile

import docx
import pytest

from factcheck.extraction.intake import (
    MAX_DOCX_PARAGRAPHS,
    MAX_DOCX_UNPACKED_BYTES,
    IntakeError,
    IntakeResult,
    read_pasted,
    read_upload,
)


def make_docx(*paragraphs: str, title: str | None = None) -> bytes:
    document = docx.Document()
    if title:
        document.add_heading(title, level=0)
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_txt_utf8_with_bom_and_crlf() -> None:
    result = read_upload("story.txt", "\ufeffHeadline\r\nBody “quoted” text.\r\n".encode())
    assert result == IntakeResult(text="Headline\nBody “quoted” text.\n", title="Headline", source_format="txt")


def test_txt_cp1252_fallback() -> None:
    result = read_upload("story.TXT", "Café prices rose – sharply.".encode("cp1252"))
    assert result.text == "Café prices rose – sharply."


def test_markdown_markup_is_stripped_minimally() -> None:
    data = b"# The Title\n\nPrices **rose** by *5%*, says [the bank](https://example.org/a_(b)).\n\n## Details\nsnake_case stays.\n"
    result = read_upload("story.md", data)
    assert result.title == "The Title"
    assert result.text == "The Title\n\nPrices rose by 5%, says the bank.\n\nDetails\nsnake_case stays.\n"
    assert result.source_format == "md"


def test_html_main_text_and_title() -> None:
    page = (
        b"<html><head><title>Rates held | Example News</title></head><body>"
        b"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        b"<article><h1>Central bank holds rates</h1>"
        b"<p>The National Bank kept its base rate at 14.75 percent on Tuesday, the regulator said in a statement.</p>"
        b"<p>Annual inflation slowed to 6.1 percent in February from 7.4 percent in January, data showed.</p>"
        b"</article><footer>Copyright 2024 Example News. All rights reserved.</footer>"
        b"<script>var tracking = 1;</script></body></html>"
    )
    result = read_upload("page.html", page)
    assert result.source_format == "html"
    assert "kept its base rate at 14.75 percent" in result.text
    assert "inflation slowed to 6.1 percent" in result.text
    assert "tracking" not in result.text and "Home" not in result.text
    assert result.title


def test_tiny_html_still_yields_its_text() -> None:
    result = read_upload("page.htm", b"<p>Prices rose.</p>")
    assert result.text == "Prices rose."


def test_docx_paragraphs_and_title() -> None:
    result = read_upload("story.docx", make_docx("First paragraph.", "Second one.", title="Rates Held"))
    assert result.text == "Rates Held\nFirst paragraph.\nSecond one."
    assert result.title == "Rates Held"
    assert result.source_format == "docx"


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("a.txt", b"", "The file is empty."),
        ("a.txt", b" \n\t\r\n", "The file is empty."),
        ("a.txt", b"x" * 2_000_001, "The file is larger than the 2 MB limit."),
        ("a.txt", b"text\x00more", "This does not look like a text file (it contains binary data)."),
        ("a.txt", b"\x81\x8d\x8f", "This does not look like a text file (it is not UTF-8 or Windows-1252 text)."),
        ("a.txt", b"ok\x07bell", "This does not look like a text file (it contains binary data)."),
        ("a.pdf", b"%PDF-1.7", "Files of type .pdf are not supported. Upload a .txt, .md, .html or .docx file."),
        ("noext", b"text", "Files of type (none) are not supported. Upload a .txt, .md, .html or .docx file."),
        ("a.docx", b"plain text, not a zip", "Could not read this .docx file: it is not a Word document."),
        ("a.html", b"   ", "The file is empty."),
    ],
)
def test_refusals(filename: str, data: bytes, message: str) -> None:
    with pytest.raises(IntakeError) as info:
        read_upload(filename, data)
    assert info.value.message == message == str(info.value)


def test_zip_that_is_not_a_document() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(IntakeError, match=r"^Could not read this \.docx file: "):
        read_upload("a.docx", buf.getvalue())


def test_custom_limit() -> None:
    with pytest.raises(IntakeError, match="larger than"):
        read_upload("a.txt", b"x" * 11, max_bytes=10)
    assert read_upload("a.txt", b"x" * 10, max_bytes=10).text == "x" * 10


def test_pasted_text() -> None:
    assert read_pasted("Line one\r\nLine two").text == "Line one\nLine two"
    with pytest.raises(IntakeError, match="empty"):
        read_pasted("  \n ")
    with pytest.raises(IntakeError, match="larger than"):
        read_pasted("é" * 6, max_bytes=10)


def _docx_with_body(body_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx whose document part is replaced by ``body_xml`` (and extra parts added)."""
    source = zipfile.ZipFile(io.BytesIO(make_docx("Placeholder.")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, _ = data.decode("utf-8").partition("<w:body>")
                data = (head + "<w:body>" + body_xml + "</w:body></w:document>").encode("utf-8")
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_docx_with_too_many_paragraphs_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _docx_with_body("<w:p/>" * 100_000)
    assert len(data) < 60_000  # tiny on disk, like the upload that stalled the workers
    # Refused from the raw XML: python-docx never builds the document.
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx was asked to parse"))
    started = time.process_time()
    with pytest.raises(IntakeError) as info:
        read_upload("many.docx", data)
    assert time.process_time() - started < 1.0
    assert info.value.message == (
        "This .docx file has 100,000 paragraphs; the limit is 10,000. Split the document or paste the article's text.")


def test_docx_at_the_paragraph_limit_is_read() -> None:
    body = "<w:p><w:r><w:t>Line.</w:t></w:r></w:p>" * MAX_DOCX_PARAGRAPHS
    assert read_upload("long.docx", _docx_with_body(body)).text.count("Line.") == MAX_DOCX_PARAGRAPHS


def test_docx_that_unpacks_too_large_is_refused_from_the_zip_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _docx_with_body("<w:p><w:r><w:t>Short.</w:t></w:r></w:p>",
                           extra={"word/media/padding.bin": bytes(MAX_DOCX_UNPACKED_BYTES)})
    assert len(data) < 100_000
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx was asked to parse"))
    with pytest.raises(IntakeError, match=r"^This \.docx file unpacks to more than 20 MB"):
        read_upload("bomb.docx", data)


def test_html_tables_are_kept_as_rows_of_cells() -> None:
    page = (
        b"<html><head><title>Budget</title></head><body><article><h1>Council passes budget</h1>"
        b"<p>The Lindenfeld council approved next year's budget on Tuesday after a long debate, officials said.</p>"
        b"<table><tr><th>Item</th><th>This year</th><th>Next year</th></tr>"
        b"<tr><td>Roads</td><td>12 million</td><td>15 million</td></tr>"
        b"<tr><td>Schools</td><td>30 million</td><td>28 million</td></tr></table>"
        b"<p>The mayor said the plan would halve waiting times at the clinic within two years.</p>"
        b"</article></body></html>"
    )
    lines = read_upload("budget.html", page).text.split("\n")
    assert "Item | This year | Next year" in lines
    assert "Roads | 12 million | 15 million" in lines
    assert "Schools | 30 million | 28 million" in lines
    assert not any(set(line) <= set("|-: ") for line in lines)


def test_html_table_in_a_short_page_uses_the_fallback_rows() -> None:
    page = b"<html><body><table><tr><td>Roads</td><td>12 million</td></tr><tr><td>Schools</td><td></td></tr></table></body></html>"
    assert read_upload("t.html", page).text == "Roads | 12 million\nSchools"
