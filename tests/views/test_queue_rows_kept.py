"""My queue and the review queue keep their rows between views (issue 15): each row shown must follow
every change of what it shows, including changes made behind the app's back, and the day moving on."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import Article, Claim, User


def _row(page: str, claim_id: int) -> str:
    start = page.rindex("<tr", 0, page.index(f'href="/claims/{claim_id}"'))
    return page[start:page.index("</tr>", start)]


def _behind_the_apps_back(statement) -> None:
    db.session.execute(statement)
    db.session.commit()


def test_my_queue_rows_follow_the_claim_its_article_and_the_day(make, login_as, clock):
    editor, checker = make.user("editor"), make.user("checker")
    today = clock.now.date()
    claim = make.assigned_claim(checker, editor=editor, due_date=today + timedelta(days=1))
    other = make.assigned_claim(checker, editor=editor)
    client = login_as(checker)

    def row(claim_id: int = claim.id) -> str:
        return _row(client.get("/queue").get_data(as_text=True), claim_id)

    before = row()
    assert 'class=""' in before and "flag" not in before
    assert row() == before  # kept, the same
    assert "flag" not in row(other.id)

    changes = [
        (update(Claim).where(Claim.id == claim.id).values(status="in_progress"), "in progress"),
        (update(Claim).where(Claim.id == claim.id).values(quote="A <new> quote.", text_changed=True),
         "A &lt;new&gt; quote."),
        (update(Article).where(Article.id == claim.article_id).values(title="Retitled <story>"),
         "Retitled &lt;story&gt;"),
        (update(Claim).where(Claim.id == claim.id).values(priority="urgent"), ">urgent<"),
        (update(Claim).where(Claim.id == claim.id).values(due_date=today), "due today"),
    ]
    for change, shown in changes:
        _behind_the_apps_back(change)
        now = row()
        assert shown in now and now != before
        before = now
    assert 'class="due-today"' in before

    # The same claim, a day later: overdue, then no longer marked once its date moves on.
    clock.set(datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=9))
    now = row()
    assert 'class="overdue"' in now and '<strong class="flag">overdue</strong>' in now
    _behind_the_apps_back(update(Claim).where(Claim.id == claim.id).values(due_date=today + timedelta(days=5)))
    now = row()
    assert 'class=""' in now and "flag" not in now and (today + timedelta(days=5)).isoformat() in now


def test_review_queue_rows_follow_the_verdict_its_proposer_and_article(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    claim = make.proposed_claim(checker, editor=editor)
    client = login_as(editor)

    def row() -> str:
        return _row(client.get("/review").get_data(as_text=True), claim.id)

    before = row()
    assert row() == before
    changes = [
        (update(Claim).where(Claim.id == claim.id).values(verdict="false"), ">false<"),
        (update(User).where(User.id == checker.id).values(display_name="Renamed & checked"), "Renamed &amp; checked"),
        (update(Article).where(Article.id == claim.article_id).values(title="Retitled <story>"),
         "Retitled &lt;story&gt;"),
        (update(Claim).where(Claim.id == claim.id).values(proposed_at=datetime(2030, 1, 2, 3, 4, tzinfo=UTC)),
         "2030-01-02 03:04 UTC"),
        (update(Claim).where(Claim.id == claim.id).values(statement="A <b>new</b> statement.", text_changed=False),
         "A &lt;b&gt;new&lt;/b&gt; statement."),
    ]
    for change, shown in changes:
        _behind_the_apps_back(change)
        now = row()
        assert shown in now and now != before, (shown, now)
        before = now
    _behind_the_apps_back(update(Claim).where(Claim.id == claim.id).values(proposed_by_id=None))
    assert "Renamed" not in row()


def test_queue_rows_are_kept_per_mount_point(make, login_as):
    editor, checker = make.user("editor"), make.user("checker")
    queued = make.assigned_claim(checker, editor=editor, due_date=date(2030, 1, 1))
    waiting = make.proposed_claim(checker, editor=editor)
    as_checker, as_editor = login_as(checker), login_as(editor)
    for _ in range(2):  # written, then kept
        assert f'href="/claims/{queued.id}"' in as_checker.get("/queue").get_data(as_text=True)
        assert f'href="/desk/claims/{queued.id}"' in as_checker.get(
            "/queue", base_url="http://localhost/desk").get_data(as_text=True)
        assert f'href="/claims/{waiting.id}"' in as_editor.get("/review").get_data(as_text=True)
        assert f'href="/desk/claims/{waiting.id}"' in as_editor.get(
            "/review", base_url="http://localhost/desk").get_data(as_text=True)
