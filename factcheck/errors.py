"""Domain exceptions. Views turn them into flashes or 4xx answers."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class InvalidTransition(DomainError):
    status_code = 409


class ValidationFailed(DomainError):
    status_code = 422


class GateClosed(DomainError):
    """Approval refused; ``details['blocking']`` lists the claims in the way."""

    status_code = 409


class EditConflict(DomainError):
    """Someone else saved the object since this edit started; ``details`` shows what changed."""

    status_code = 409
