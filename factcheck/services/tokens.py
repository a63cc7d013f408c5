"""API tokens: issued by admins for a user, with scopes and an expiry; stored hashed; revocable.

Issuing and revoking are audited. A token's use is not one audit event per request (that would
drown the log): the token records ``last_used_at``, and every write made through the API is audited
by the service it calls, with the token's user as actor and the request's id and address.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from factcheck.errors import NotFound, ValidationFailed
from factcheck.models import ApiToken, User
from factcheck.models.api_token import SCOPES
from factcheck.security.permissions import Action
from factcheck.services import audit
from factcheck.services.context import Context, DbSession
from factcheck.services.db import transaction

# What every secret starts with: a scanner (or a person) recognises a leaked factcheck token.
SECRET_PREFIX = "fct_"
MAX_DAYS = 366
# ``last_used_at`` is written at most this often per token, so reading through the API stays a read.
TOUCH_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown once, to the admin who issued it; never stored


def _scopes(scopes: list[str]) -> str:
    chosen = sorted(set(scopes))
    if not chosen or any(scope not in SCOPES for scope in chosen):
        raise ValidationFailed(f"Scopes must be among: {', '.join(SCOPES)}.", field="scopes")
    return " ".join(chosen)


def issue_token(ctx: Context, *, actor: User, user: User, name: str, scopes: list[str],
                days: int = 90) -> Issued:
    """A new token for ``user``; the secret is in the answer and nowhere else."""
    ctx.require(actor, Action.USERS_MANAGE)
    name = name.strip()
    if any(not ch.isprintable() for ch in name):
        raise ValidationFailed("The token's name may hold only visible characters.", field="name")
    if not name or len(name) > 100:
        raise ValidationFailed("Name the token (at most 100 characters), e.g. after the system that uses it.", field="name")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"A token expires after 1 to {MAX_DAYS} days.", field="days")
    if not user.is_active:
        raise ValidationFailed("This account is deactivated; it cannot be given a token.", field="user_id")
    scope_text = _scopes(scopes)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = ctx.now()
    with transaction(ctx.session):
        token = ApiToken(user_id=user.id, name=name, token_hash=hash_secret(secret), prefix=secret[:12],
                         scopes=scope_text, created_at=now, created_by_id=actor.id,
                         expires_at=now + timedelta(days=days))
        ctx.session.add(token)
        ctx.session.flush()
        audit.record(ctx, actor=actor, action="token.issued", object_type="api_token", object_id=token.id,
                     changes=audit.created({"user_id": user.id, "name": name, "scopes": scope_text,
                                            "prefix": token.prefix, "expires_at": token.expires_at}))
    return Issued(token, secret)


def revoke_token(ctx: Context, *, actor: User, token: ApiToken) -> None:
    ctx.require(actor, Action.USERS_MANAGE)
    if token.revoked_at is not None:
        raise ValidationFailed("This token is already revoked.")
    with transaction(ctx.session):
        token.revoked_at = ctx.now()
        audit.record(ctx, actor=actor, action="token.revoked", object_type="api_token", object_id=token.id,
                     changes=audit.diff({"revoked_at": None}, {"revoked_at": token.revoked_at}))


def get_token(session: DbSession, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("There is no such token.")
    return token


def listing(session: DbSession, user_id: int | None = None) -> list[ApiToken]:
    """Every token (or one user's), newest first, without their secrets (never stored)."""
    stmt = select(ApiToken).order_by(ApiToken.id.desc())
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return list(session.scalars(stmt))


def tokens_of(session: DbSession, users: list[User]) -> dict[int, list[ApiToken]]:
    """Each user's tokens, newest first, in one query."""
    found: dict[int, list[ApiToken]] = {user.id: [] for user in users}
    if found:
        for token in session.scalars(select(ApiToken).where(ApiToken.user_id.in_(list(found)))
                                     .order_by(ApiToken.id.desc())):
            found[token.user_id].append(token)
    return found


def token_for(session: DbSession, secret: str, now: datetime) -> ApiToken | None:
    """The usable token (not revoked, not expired, of an active user) whose secret this is, or None.

    Records ``last_used_at`` (at most once a minute per token, in a statement of its own, committed)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or not token.usable_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        session.commit()
    return token
