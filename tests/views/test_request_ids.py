"""A client's X-Request-ID is kept only when it is plainly an id; anything else is replaced, so no
formula or control character reaches the audit log (and its CSV export) through a header."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import AuditEvent
from tests.support.factories import Factory


@pytest.mark.parametrize("supplied, kept", [
    ("req-abc-123", True),
    ("=cmd|'/Ccalc'!A0", False),
    ("+SUM(1,2)", False),
    ("@import", False),
    ("-2+3", False),
    ("x" * 65, False),
    ("two words", False),
    ("\tTAB", False),
])
def test_request_ids_are_kept_only_when_plain(client, make, supplied, kept):
    user = make.user("editor")
    response = client.submit("/login", {"email": user.email, "password": Factory.PASSWORD},
                             headers={"X-Request-ID": supplied})
    assert response.status_code == 302
    stored = db.session.scalar(select(AuditEvent.request_id).where(AuditEvent.action == "auth.login")
                               .order_by(AuditEvent.id.desc()).limit(1))
    assert (stored == supplied) is kept
    assert stored and stored[0].isalnum()
    assert response.headers["X-Request-ID"] == stored
