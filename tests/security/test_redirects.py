"""No redirect leaves the site, however the target is spelled (issue 11: ``return_to=/\\t/evil.example``
answered ``Location: //evil.example``). Every user-supplied target goes through safe_local_url."""
from __future__ import annotations

import re
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from factcheck.views.common import safe_local_url
from tests.support.factories import Factory

HOSTILE_TARGETS = [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "//evil.example", "///evil.example",
    "/\\evil.example", "\\/evil.example", "\\\\evil.example", "https://evil.example/", "http:evil.example",
    "http:/evil.example", "//evil.example/%2e%2e", " //evil.example", "/\u3000/evil.example", "/\x00/evil.example",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "//evil.example@localhost", "https:\\\\evil.example", "\t//evil.example", "/\x0b/evil.example",
]
GOOD_TARGETS = ["/claims", "/claims?status=open&article=1", "/articles/1#claim-2"]
# Paths of this site that merely look odd: a browser does not decode %09 or drop "/./" into a host.
ODD_BUT_LOCAL = ["/%09/evil.example", "/.//evil.example", "/%2F%2Fevil.example"]


def browser_host(location: str, base: str = "http://localhost/claims") -> str:
    """The host a browser goes to for ``Location: location``, the WHATWG URL parser's way: tabs and
    line breaks removed, leading and trailing spaces and C0 controls stripped, backslashes read as
    slashes in http(s) URLs."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                      "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
                                                      "\x1d\x1e\x1f ")
    cleaned = cleaned.replace("\\", "/")
    target = urljoin(base, cleaned)
    parts = urlsplit(target)
    return parts.hostname or ("" if parts.scheme in {"http", "https", ""} else f"<{parts.scheme}:>")


def test_the_browser_model_sees_the_attacks():
    """The check below would catch the bug of the issue."""
    assert browser_host("//evil.example") == "evil.example"
    assert browser_host("/\t/evil.example") == "evil.example"
    assert browser_host("/\\evil.example") == "evil.example"
    assert browser_host("/claims") == "localhost"


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_safe_local_url_refuses_other_hosts(target):
    assert safe_local_url(target) is None


@pytest.mark.parametrize("target", GOOD_TARGETS)
def test_safe_local_url_keeps_paths_of_this_site(target):
    assert safe_local_url(target) == target


def _location(response) -> str:
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    return response.headers["Location"]


def test_bulk_assign_return_to_never_leaves_the_site(make, login_as):
    checker = make.user("checker")
    claim = make.claim()
    editor = login_as("editor")
    for target in HOSTILE_TARGETS + ODD_BUT_LOCAL + GOOD_TARGETS:
        response = editor.submit("/claims/bulk-assign", {"assignee_id": checker.id, "priority": "normal",
                                                         "claim_ids": claim.id, "return_to": target})
        location = _location(response)
        assert browser_host(location) == "localhost", (target, location)
        if target in GOOD_TARGETS:
            assert location == target


def test_sign_in_next_never_leaves_the_site(make, new_client):
    user = make.user("editor")
    for target in HOSTILE_TARGETS + ODD_BUT_LOCAL + GOOD_TARGETS:
        response = new_client().submit("/login?" + urlencode({"next": target}),
                                       {"email": user.email, "password": Factory.PASSWORD})
        location = _location(response)
        assert browser_host(location) == "localhost", (target, location)
        if target in GOOD_TARGETS:
            assert location == target


def test_refusals_go_back_only_to_a_page_of_this_site(make, login_as):
    """A refused POST goes back to the page it came from: the Referer, when it is this site's."""
    article = make.article()
    editor = login_as("editor")
    referrers = ["http://localhost//evil.example", "http://localhost/\\evil.example", "http://evil.example/x",
                 "http://localhost@evil.example/", "http://localhost/\t/evil.example"]
    for referrer in referrers:
        # Publishing a draft is refused by the workflow (a 409 the view does not handle itself).
        response = editor.submit(f"/articles/{article.id}/publish", {}, headers={"Referer": referrer})
        location = _location(response)
        assert browser_host(location) == "localhost", (referrer, location)
    back = editor.submit(f"/articles/{article.id}/publish", {},
                         headers={"Referer": f"http://localhost/articles/{article.id}"})
    assert _location(back) == f"/articles/{article.id}"
