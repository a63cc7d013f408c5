"""The newsroom's users and their API tokens, for admins: what the users page does, for programs.

A token's secret is in the answer to issuing it and nowhere else (sent ``Cache-Control: no-store``)."""
from __future__ import annotations

from typing import Any

from factcheck.api import PREFIX, schemas
from factcheck.api.core import bp, checked_id, ctx, user
from factcheck.extensions import db
from factcheck.models import ApiToken, User
from factcheck.security.permissions import Action
from factcheck.services import tokens
from factcheck.services import users as user_service


def user_out(person: User) -> dict[str, Any]:
    return {"id": person.id, "email": person.email, "display_name": person.display_name,
            "roles": sorted(role.value for role in person.roles), "active": person.is_active_account}


def _load(user_id: int) -> User:
    return user_service.get_user(db.session, checked_id(user_id))


@bp.get("/users")
@bp.doc(tags=["users"], summary="The newsroom's users and their roles (admins)")
@bp.response(200, schemas.UserPage)
def users() -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    return {"items": [user_out(person) for person in user_service.all_users(db.session)]}


@bp.post("/users")
@bp.doc(tags=["users"], summary="Add a user with an initial password and roles (admins)")
@bp.arguments(schemas.UserCreate)
@bp.response(201, schemas.UserOut)
def create_user(body: dict[str, Any]) -> Any:
    person = user_service.create_user(ctx(), actor=user(), email=body["email"], password=body["password"],
                                      roles=body["roles"], display_name=body["display_name"])
    return user_out(person), {"Location": f"{PREFIX}/users/{person.id}"}


@bp.get("/users/<int:user_id>")
@bp.doc(tags=["users"], summary="One user (admins)")
@bp.response(200, schemas.UserOut)
def get_user(user_id: int) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    return user_out(_load(user_id))


@bp.put("/users/<int:user_id>/roles")
@bp.doc(tags=["users"], summary="Set a user's roles (the newsroom keeps at least one active admin)")
@bp.arguments(schemas.Roles)
@bp.response(200, schemas.UserOut)
def set_roles(body: dict[str, Any], user_id: int) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    person = _load(user_id)
    user_service.set_roles(ctx(), actor=user(), user=person, roles=body["roles"])
    return user_out(_load(user_id))


def _set_active(user_id: int, active: bool) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    person = _load(user_id)
    user_service.set_active(ctx(), actor=user(), user=person, active=active)
    return user_out(_load(user_id))


@bp.post("/users/<int:user_id>/deactivate")
@bp.doc(tags=["users"], summary="Deactivate an account: signed out everywhere, its tokens stop working")
@bp.response(200, schemas.UserOut)
def deactivate_user(user_id: int) -> Any:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/activate")
@bp.doc(tags=["users"], summary="Let a deactivated account sign in again")
@bp.response(200, schemas.UserOut)
def activate_user(user_id: int) -> Any:
    return _set_active(user_id, True)


# ---- API tokens -------------------------------------------------------------------------------------

def token_out(token: ApiToken, secret: str | None = None) -> dict[str, Any]:
    now = ctx().now()
    out: dict[str, Any] = {field: getattr(token, field) for field in (
        "id", "user_id", "name", "prefix", "created_at", "created_by_id", "expires_at", "revoked_at", "last_used_at")}
    out["scopes"] = sorted(token.scope_set)
    out["state"] = "revoked" if token.revoked_at else "active" if token.usable_at(now) else "expired"
    if secret is not None:
        out["secret"] = secret
    return out


@bp.get("/tokens")
@bp.doc(tags=["tokens"], summary="The API tokens, newest first, without their secrets (admins)")
@bp.arguments(schemas.TokenArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.TokenPage)
def list_tokens(user_id: int | None) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    return {"items": [token_out(t) for t in tokens.listing(db.session, user_id)]}


@bp.post("/tokens")
@bp.doc(tags=["tokens"], summary="Issue a token for a user, with scopes and an expiry; the secret is in this "
        "answer only")
@bp.arguments(schemas.TokenCreate)
@bp.response(201, schemas.TokenOut)
def issue_token(body: dict[str, Any]) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    owner = _load(body["user_id"])
    issued = tokens.issue_token(ctx(), actor=user(), user=owner, name=body["name"], scopes=body["scopes"],
                                days=body["days"])
    return token_out(issued.token, issued.secret), {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
@bp.doc(tags=["tokens"], summary="Revoke a token: programs using it are refused from the next request")
@bp.response(200, schemas.TokenOut)
def revoke_token(token_id: int) -> Any:
    ctx().require(user(), Action.USERS_MANAGE)
    token = tokens.get_token(db.session, checked_id(token_id))
    tokens.revoke_token(ctx(), actor=user(), token=token)
    return token_out(token)
