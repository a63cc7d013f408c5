"""A controllable clock for the services: request the ``clock`` fixture in a test."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask


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
def clock(app: Flask) -> Clock:
    """The app's services read this clock (from 2024-03-01 09:00 UTC): it is handed to them in
    their context, like every collaborator, so nothing is patched."""
    fake = Clock(datetime(2024, 3, 1, 9, 0, tzinfo=UTC))
    app.extensions["factcheck"].clock = fake
    return fake
