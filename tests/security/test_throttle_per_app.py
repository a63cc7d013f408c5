"""The sign-in throttle's storage belongs to each app: an app made later in the same process (with a
Redis that is down, say) does not change where another app counts its failed sign-ins."""
from __future__ import annotations

from factcheck import create_app
from factcheck.extensions import db
from factcheck.security.throttle import limiter
from tests.conftest import base_config
from tests.ops.support import free_port
from tests.support.factories import Factory


def test_each_app_keeps_its_own_throttle_storage(app, make, client, database_url):
    checker = make.user("checker")
    db.session.commit()
    other = create_app({**base_config(database_url), "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}/0"})
    with other.app_context():
        assert "redis" in type(limiter.storage).__name__.lower()
        db.session.remove()
        db.engine.dispose()
    assert "memory" in type(limiter.storage).__name__.lower()
    response = client.submit("/login", {"email": checker.email, "password": Factory.PASSWORD})
    assert response.status_code == 302  # signed in: its throttle counted in its own storage
