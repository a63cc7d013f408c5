"""What the statement-count guards expect of the signed-in user's statement."""
from __future__ import annotations


def user_reads(database_url: str) -> int:
    """Statements a signed-in page runs for its user when nothing has been committed since the previous
    request: SQLite keeps the device's row while ``PRAGMA data_version`` has not moved (none), PostgreSQL
    reads it on every request (one). After any commit both read it (one)."""
    return 0 if database_url.startswith("sqlite") else 1


def without_user(statements: list[str]) -> list[str]:
    """The statements other than the signed-in user's (the device's session with its user and roles):
    for comparing the counts of two views one of which follows a commit and the other not."""
    return [statement for statement in statements if "user_sessions.token_hash" not in statement]
