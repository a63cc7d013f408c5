"""Bringing an article in through the page: paste or upload, furniture set aside, claims suggested."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article, AuditEvent, Claim, Revision
from tests.support.context import configure

WIRE = (
    "Ferry operator adds night crossings\n"
    "Photo: Harbour Press Agency\n"
    "The operator will add four night crossings a week from May, its chief executive Ida Brandt said on Monday.\n"
    "Ticket sales rose 18 percent last year, according to the company's annual report.\n"
    "Read more:\n"
    "- Storm closes northern ports for two days\n"
    "- Shipyard wins navy contract\n"
)


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_article(client, **data):
    return client.submit("/articles/new", data, content_type="multipart/form-data")


def test_pasted_article_gets_suggestions_and_furniture_set_aside(login_as):
    editor = login_as("editor")
    response = _new_article(editor, title="Night ferries", text=WIRE)
    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    revision = article.current_revision
    assert revision.text == WIRE and revision.source_format == "paste"
    set_aside = [line["text"] for line in revision.furniture]
    assert "Photo: Harbour Press Agency" in set_aside
    assert "- Shipyard wins navy contract" in set_aside
    claims = list(db.session.scalars(select(Claim).where(Claim.article_id == article.id)))
    assert claims and all(c.status == "suggested" for c in claims)
    assert all(WIRE[c.start:c.end] == c.quote for c in claims)
    assert not any("Shipyard" in c.quote or "Photo" in c.quote for c in claims)
    brandt = next(c for c in claims if c.quote.startswith("The operator will add"))
    assert brandt.claimant == "Ida Brandt"
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Set aside as page furniture" in page and "Bring back" in page
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "claim.suggested")) == len(claims)


def test_a_set_aside_line_can_be_brought_back(login_as):
    editor = login_as("editor")
    _new_article(editor, title="Night ferries", text=WIRE.replace("- Shipyard wins navy contract",
                                                                  "- The shipyard won a 300 million euro navy contract"))
    article = db.session.scalar(select(Article))
    index = next(i for i, line in enumerate(article.current_revision.furniture) if "shipyard" in line["text"])
    response = editor.submit(f"/articles/{article.id}/furniture/{index}/restore")
    assert response.status_code == 302
    db.session.expire_all()
    revision = db.session.get(Revision, article.current_revision_id)
    assert not any("shipyard" in line["text"] for line in revision.furniture)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "revision.furniture_restored")) is not None
    assert editor.submit(f"/articles/{article.id}/furniture/99/restore").status_code == 404


@pytest.mark.parametrize("filename, payload, expected_text, expected_format", [
    ("story.txt", WIRE.encode("utf-8"), "four night crossings", "txt"),
    ("story.md", b"# Night ferries\n\nTicket sales rose **18 percent** last year, the company said.\n",
     "Ticket sales rose 18 percent last year", "md"),
    ("story.html", (b"<html><head><title>Night ferries</title></head><body><nav>Home | News</nav><article><h1>Night ferries</h1>"
                    b"<p>Ticket sales rose 18 percent last year, according to the company's annual report.</p>"
                    b"<p>The operator will add four night crossings a week from May, its chief executive said.</p>"
                    b"</article></body></html>"), "Ticket sales rose 18 percent", "html"),
    ("story.docx", _docx_bytes(["Night ferries", "Ticket sales rose 18 percent last year, the company said."]),
     "Ticket sales rose 18 percent", "docx"),
])
def test_uploads_are_read(login_as, filename, payload, expected_text, expected_format):
    editor = login_as("editor")
    response = _new_article(editor, upload=(io.BytesIO(payload), filename))
    assert response.status_code == 302, response.get_data(as_text=True)
    article = db.session.scalar(select(Article))
    assert expected_text in article.text
    assert article.current_revision.source_format == expected_format
    assert article.current_revision.source_filename == filename
    assert article.title  # taken from the file when the form leaves it empty


@pytest.mark.parametrize("filename, payload, message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n ", "empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("broken.docx", b"PK\x03\x04 not really a zip", ".docx"),
    ("slides.pptx", b"whatever", "are not supported"),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(login_as, filename, payload, message):
    editor = login_as("editor")
    response = _new_article(editor, title="Kept title", upload=(io.BytesIO(payload), filename))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.lower() or message in page
    assert 'value="Kept title"' in page
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_too_large_upload_is_refused(app, login_as):
    configure(app, max_article_bytes=1_000)
    response = _new_article(login_as("editor"), upload=(io.BytesIO(b"word " * 1_000), "long.txt"))
    assert response.status_code == 422
    assert "larger than" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_nothing_to_import_is_a_form_error(login_as):
    response = _new_article(login_as("editor"), title="No text")
    assert response.status_code == 422
    assert "Paste the article text or choose a file." in response.get_data(as_text=True)


def test_one_click_accept_keeps_the_suggested_claimant(login_as):
    editor = login_as("editor")
    _new_article(editor, title="Night ferries", text=WIRE)
    claim = db.session.scalar(select(Claim).where(Claim.quote.startswith("The operator will add")))
    response = editor.submit(f"/claims/{claim.id}/accept", {"version": claim.version, "return_to": "article"})
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.status == "open" and claim.claimant == "Ida Brandt"


def test_the_real_article_through_the_app(shared_data, login_as):
    """The shared, hand-labelled article imported as an editor would: every labelled claim suggested,
    furniture set aside, nothing from the 'Latest news' list suggested."""
    text = (shared_data / "articles" / "syria-russia-relations.txt").read_bytes().decode("utf-8")
    labels = json.loads((shared_data / "articles" / "syria-russia-relations.claims.json").read_text())
    editor = login_as("editor")
    response = _new_article(editor, upload=(io.BytesIO(text.encode()), "syria-russia-relations.txt"))
    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    claims = list(db.session.scalars(select(Claim).where(Claim.article_id == article.id)))
    for label in labels["claims"]:
        covering = [c for c in claims if min(c.end, label["end"]) - max(c.start, label["start"])
                    >= 0.8 * (label["end"] - label["start"]) and c.end - c.start <= 2 * (label["end"] - label["start"])]
        assert covering, label["quote"]
    latest_news = text.index("Latest news")
    assert all(c.start < latest_news for c in claims)
    assert any(line["start"] >= latest_news for line in article.current_revision.furniture)


def test_a_text_not_in_english_says_english_only_instead_of_silently_suggesting_nothing(make, login_as):
    editor = login_as("editor")
    text = ("Der Stadtrat hat am Dienstag mit 27 zu 4 Stimmen beschlossen, eine Straßenbahn zum Flughafen zu bauen, "
            "sagte die Vorsitzende. Die Linie wird nach Angaben des Verkehrsamts 210 Millionen Euro kosten und "
            "soll im Jahr 2030 fertig sein. Kritiker sagten, das Geld wäre für Busse besser ausgegeben.\n")
    response = editor.submit("/articles/new", {"title": "Straßenbahn beschlossen", "text": text})
    assert response.status_code == 302
    article_page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "English only" in article_page and "(de)" in article_page
    assert "No claims yet." in article_page
