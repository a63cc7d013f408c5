"""A controllable clock for the services: import the ``clock`` fixture into a test module."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

import pytest

from factcheck.models import utcnow


class Clock:
    """Each call moves one millisecond on, so events stay in time order along the ids."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def set(self, when: datetime) -> None:
        assert when >= self.now, "the services' clock never goes backwards"
        self.now = when


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Every factcheck.services module's ``utcnow`` reads this clock (from 2024-03-01 09:00 UTC)."""
    fake = Clock(datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc))
    for name, module in list(sys.modules.items()):
        if name.startswith("factcheck.services") and getattr(module, "utcnow", None) is utcnow:
            monkeypatch.setattr(module, "utcnow", fake)
    return fake
