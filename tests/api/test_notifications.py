"""A token's user reads their own notifications and marks them read: one, or all; audited like the
page's button. Another person's notifications are not there for them."""
from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Notification
from tests.api.test_errors import problem


def _assigned_twice(make, checker) -> list[int]:
    """Two assignment notifications for ``checker`` (the assigning editor is notified of nothing)."""
    make.assigned_claim(checker)
    make.assigned_claim(checker)
    return list(db.session.scalars(db.select(Notification.id).where(Notification.user_id == checker.id)
                                   .order_by(Notification.id.desc())))


def test_a_user_lists_their_own_notifications_newest_first_in_pages(app, api_as, make):
    api = api_as("checker")
    ids = _assigned_twice(make, api.user)
    _assigned_twice(make, make.user("checker"))  # someone else's
    first = api.get("/notifications", query_string={"limit": 1})
    assert first.status_code == 200
    body = first.get_json()
    assert [n["id"] for n in body["items"]] == ids[:1] and body["unread"] == 2
    assert body["items"][0]["kind"] == "assignment" and body["items"][0]["links"]["claim"].startswith("/api/v1/claims/")
    second = api.get("/notifications", query_string={"limit": 1, "cursor": body["next_cursor"]}).get_json()
    assert [n["id"] for n in second["items"]] == ids[1:] and second["next_cursor"] is None


def test_marking_one_read_is_audited_once(app, api_as, make, audited):
    api = api_as("checker")
    newest, older = _assigned_twice(make, api.user)
    response = api.post(f"/notifications/{newest}/read")
    assert response.status_code == 200 and response.get_json()["read_at"]
    assert api.post(f"/notifications/{newest}/read").status_code == 200  # already read: unchanged
    [event] = audited("notifications.read")
    assert (event.actor_id, event.object_type, event.object_id) == (api.user.id, "notification", newest)
    unread = api.get("/notifications", query_string={"unread": "true"}).get_json()
    assert [n["id"] for n in unread["items"]] == [older] and unread["unread"] == 1


def test_marking_all_read(app, api_as, make, audited):
    api = api_as("checker")
    _assigned_twice(make, api.user)
    response = api.post("/notifications/read")
    assert response.status_code == 200 and response.get_json() == {"marked": 2}
    assert api.get("/notifications").get_json()["unread"] == 0
    [event] = audited("notifications.read")
    assert event.actor_id == api.user.id and event.changes["unread"] == {"before": 2, "after": 0}


def test_refusals(app, api_as, make):
    api = api_as("checker")
    [theirs, _] = _assigned_twice(make, make.user("checker"))
    assert "no such notification" in problem(api.get(f"/notifications/{theirs}"), 404)["detail"]
    problem(api.post(f"/notifications/{theirs}/read"), 404)
    problem(api.post("/notifications/9999/read"), 404)
    reader = api_as("checker", scopes=("read",))
    [mine, _] = _assigned_twice(make, reader.user)
    problem(reader.post(f"/notifications/{mine}/read"), 403)
    problem(reader.post("/notifications/read"), 403)
    assert db.session.get(Notification, mine).read_at is None
    assert db.session.get(Notification, theirs).read_at is None
    problem(api.get("/notifications", query_string={"cursor": "nonsense"}), 400)
