"""The limiter's per-request check runs only where a limit can apply (issue 15: it cost every page
about a tenth of the sign-in form's time while finding nothing to count). The limits themselves are
held by tests/api/test_errors.py (the API's 429) and the sign-in throttling tests."""
from __future__ import annotations

from factcheck.security.throttle import limiter


def test_pages_skip_the_limiters_check_and_the_api_keeps_it(app, client):
    hooks = app.before_request_funcs[None]
    assert limiter._check_request_limit not in hooks
    assert any(getattr(hook, "__name__", "") == "check_request_limit" for hook in hooks)
    assert client.get("/login").status_code == 200


def test_the_limiters_after_request_work_is_done_only_where_a_limit_was_looked_at(client, make):
    """Its headers still come with a sign-in attempt (the limited view); a page not limited gets none."""
    user = make.user("editor")
    attempt = client.submit("/login", {"email": user.email, "password": "not the password"})
    assert attempt.status_code == 401
    assert attempt.headers.get("X-RateLimit-Limit") and attempt.headers.get("X-RateLimit-Remaining")
    page = client.get("/login")
    assert page.status_code == 200 and "X-RateLimit-Limit" not in page.headers
