"""Users, roles and sign-in."""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, func, literal_column, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from factcheck.errors import NotFound, PermissionDenied, ValidationFailed
from factcheck.models import Role, User, UserRole, UserSession
from factcheck.security.permissions import Action
from factcheck.services import audit, claim_queries, driver_sql, loaded_rows, unchanged
from factcheck.services.context import Context, DbSession
from factcheck.services.db import serialise, transaction

MIN_PASSWORD_LENGTH = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def find_by_email(session: DbSession, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    ctx: Context,
    *,
    actor: User | None,
    email: str,
    password: str,
    roles: list[str],
    display_name: str | None = None,
    actor_label: str | None = None,
) -> User:
    """Create a user. ``actor`` None means the command line, which runs with the operator's authority."""
    if actor is not None:
        ctx.require(actor, Action.USERS_MANAGE)
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationFailed(f"{email!r} is not an email address.", field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", field="password")
    role_values = _role_values(roles)
    session = ctx.session
    with transaction(session):
        if find_by_email(session, email) is not None:
            raise ValidationFailed(f"A user with the email {email} already exists.", field="email")
        user = User(email=email, display_name=display_name or email.split("@")[0].replace(".", " ").title())
        user.set_password(password, method=ctx.settings.password_hash_method)
        user.role_rows = [UserRole(role=role) for role in role_values]
        session.add(user)
        session.flush()
        audit.record(
            ctx, actor=actor, actor_label=actor_label, action="user.created", object_type="user",
            object_id=user.id, changes=audit.created({"email": email, "display_name": user.display_name, "roles": role_values}),
        )
    return user


# ---- signing in and the devices signed in -------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_dummy_hashes: dict[str, str] = {}


def _check_password(user: User | None, password: str, method: str) -> bool:
    """Check the password; for an unknown account, check it against a dummy hash of the same method,
    so the answer takes the same time and does not tell real accounts from unknown ones."""
    if user is None:
        if method not in _dummy_hashes:
            _dummy_hashes[method] = generate_password_hash(secrets.token_hex(16), method=method)
        dummy = _dummy_hashes[method]
        check_password_hash(dummy, password)
        return False
    return user.check_password(password)


def _start_session(ctx: Context, user: User, device: str) -> None:
    """A new signed-in device for ``user`` (caller's transaction); its token goes on ``user``."""
    token = secrets.token_urlsafe(32)
    ctx.session.add(UserSession(user_id=user.id, token_hash=_token_hash(token), created_at=ctx.now(),
                                ip_address=ctx.request.ip_address, user_agent=device[:300]))
    user.session_token = token


def _end_sessions(ctx: Context, user: User, *, only_token: str | None = None) -> int:
    """Revoke the user's signed-in devices (or one of them); returns how many ended."""
    where = [UserSession.user_id == user.id, UserSession.revoked_at.is_(None)]
    if only_token is not None:
        where.append(UserSession.token_hash == _token_hash(only_token))
    result = ctx.session.execute(update(UserSession).where(*where).values(revoked_at=ctx.now()))
    return int(getattr(result, "rowcount", 0) or 0)


_USER_COLUMNS = loaded_rows.Columns(User)


@functools.cache
def _session_user_statement(badges: bool) -> Any:
    # One statement on every request: the session, the user and their roles together. Built once per
    # process, the token's hash a bound parameter (building it cost as much as running it, issue 15).
    # The roles come as one column of the user's row, not as a joined collection: the joined eager
    # load and its de-duplication cost a third of the load, and the page only reads the roles' names.
    # The separator written into the SQL: as a parameter it is a "literal execute" one, rendered into
    # the statement's text again at every execution (a regular expression over the SQL each request).
    separator: Any = literal_column("','")  # typed as str, but any SQL expression compiles
    roles = (select(func.aggregate_strings(UserRole.role, separator)).where(UserRole.user_id == User.id)
             .correlate(User).scalar_subquery())
    badges_columns: tuple[Any, ...] = ()
    if badges:
        # A page with the layout shows the navigation's badges: read with the user, they cost no
        # statement of their own (issue 15). The queue and review counts run only for a viewer with
        # the role that sees their link, as nav_counts asks them.
        def has(*values: Role) -> Any:
            return exists().where(UserRole.user_id == User.id, UserRole.role.in_([literal_column(f"'{role.value}'")
                                                                                   for role in values]))
        badges_columns = claim_queries.nav_badges(User.id, queue=has(*claim_queries.QUEUE_BADGE_ROLES),
                                                  review=has(*claim_queries.REVIEW_BADGE_ROLES))
    return (select(*loaded_rows.select_columns(_USER_COLUMNS), roles, *badges_columns)
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.token_hash == bindparam("token_hash"), UserSession.revoked_at.is_(None),
                   User.is_active_account.is_(True)))


@functools.lru_cache(maxsize=64)
def _roles_of(text: str | None) -> frozenset[Role]:
    """The roles of the user's row (their names joined by commas): a handful of combinations, each
    parsed once rather than on every request."""
    return frozenset(Role(role) for role in text.split(",")) if text else frozenset()


# The signed-in users' rows kept per process on SQLite (``unchanged``), at most this many devices.
_KEPT_USERS = "signed-in users"
_KEPT_USERS_AT_MOST = 2048


def session_user(session: DbSession, token: str, *, badges: bool = False) -> User | None:
    """The active user signed in on the device holding ``token``, or None when that session ended.
    With ``badges``, the navigation's counts are read in the same statement and kept for the
    request's header (``claim_queries.nav_counts``)."""
    if not token or len(token) > 200:
        return None
    # The row is read on the session's connection, in its transaction, and made into the session's
    # User as the ORM would have loaded it (``loaded_rows``): the ORM's own execution and loading path
    # cost twice the statement on every signed-in request (issue 15). The flush is what autoflush
    # would have done.
    own = loaded_rows.own_session(session)
    own.flush()
    token_hash = _token_hash(token)

    def read() -> Any:
        # On the driver (``driver_sql.run_lean``): SQLAlchemy's execution of the kept statement (its
        # cache key walked, an execution context and a result built) cost more than SQLite took to
        # answer it.
        rows = driver_sql.run_lean(own.connection(), _session_user_statement(badges), {"token_hash": token_hash})
        return rows[0] if rows else None

    bind = own.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite" \
            and (own.get_transaction() is None or not _holds_a_write(own)):
        # SQLite: the row is given again while nothing has been committed to the database since it
        # was read, by any connection of any process (``PRAGMA data_version``, ``unchanged``): a
        # sign-out, a deactivation, a role changed or a password changed is a commit, so the very next
        # request after it reads the row afresh and finds the session ended or the new roles. The
        # statement was 29-41 % of a kept claim or article page (issue 15). Other databases: read
        # every time (PostgreSQL has no such number; its honest check would be a round trip too).
        row = unchanged.kept_while_unchanged_in(bind, _KEPT_USERS, _KEPT_USERS_AT_MOST,
                                                (token_hash, badges), read)
    else:
        # PostgreSQL; or a write of the request's own not committed yet, which the watch cannot see; or a
        # session bound to a connection of the caller's, whose transaction this cannot see into.
        row = read()
    if row is None:
        return None
    user: User = loaded_rows.persistent(own, _USER_COLUMNS, row)
    user.keep_roles(_roles_of(row[_USER_COLUMNS.end]))
    user.session_token = token
    claim_queries.keep_nav_counts(own, user.id, claim_queries.nav_counts_of(row) if badges else None)
    return user


def _holds_a_write(session: Any) -> bool:
    """Whether the session's connection holds a write not committed yet (SQLite: the driver begins a
    transaction only before a write); anything else that cannot be told, True."""
    driver: Any = session.connection().connection.dbapi_connection
    return driver is None or getattr(driver, "in_transaction", True)


def authenticate(ctx: Context, email: str, password: str, *, device: str = "", record_failure: bool = True) -> User:
    """The user these credentials belong to, signed in on a new device session. Success is audited;
    a failure is audited when ``record_failure`` (the web layer audits the first failure of an account
    in each throttling window, so wrong passwords cannot flood the log)."""
    user = find_by_email(ctx.session, email)
    right = _check_password(user, password, ctx.settings.password_hash_method)
    with transaction(ctx.session):
        if not right:
            if record_failure:
                audit.record(
                    ctx, actor=None, actor_label=email.strip().lower()[:254], action="auth.login_failed",
                    object_type="user", object_id=user.id if user else None,
                )
            failure: Exception = ValidationFailed("Wrong email or password.")
        elif user is None or not user.is_active:
            assert user is not None  # a right password belongs to an account
            audit.record(ctx, actor=user, action="auth.login_refused", object_type="user", object_id=user.id)
            failure = PermissionDenied("This account has been deactivated. Ask an administrator.")
        else:
            _start_session(ctx, user, device)
            audit.record(ctx, actor=user, action="auth.login", object_type="user", object_id=user.id)
            return user
    raise failure


def sign_out_everywhere(ctx: Context, *, actor: User) -> int:
    """End every signed-in device of the actor, this one included; audited with the count."""
    with transaction(ctx.session):
        ended = _end_sessions(ctx, actor)
        audit.record(ctx, actor=actor, action="auth.signed_out_everywhere", object_type="user", object_id=actor.id,
                     changes={"sessions": {"before": ended, "after": 0}})
    return ended


def record_logout(ctx: Context, user: User) -> None:
    """Sign this device out: its session ends on the server, so a copy of its cookie signs nobody in."""
    with transaction(ctx.session):
        if user.session_token:
            _end_sessions(ctx, user, only_token=user.session_token)
        audit.record(ctx, actor=user, action="auth.logout", object_type="user", object_id=user.id)


# Built once, the ids an expanding parameter: for more people than ``_NAMED_AT_ONCE``.
_DISPLAY_NAMES = select(User.id, User.display_name).where(User.id.in_(bindparam("user_ids", expanding=True)))
# The claim page names the people of its history on every view, rarely more than a few: a fixed list of
# parameters, the unused ones NULL (which matches no id), so the statement is compiled once and run on the
# driver (``driver_sql``). An expanding list is written out into the SQL again at every execution, which
# cost more than the statement itself (issue 15).
_NAMED_AT_ONCE = 16
_ID_SLOTS = tuple(f"user_id_{n}" for n in range(_NAMED_AT_ONCE))
_FEW_DISPLAY_NAMES = (select(User.id, User.display_name)
                      .where(User.id.in_([bindparam(name, type_=User.id.type) for name in _ID_SLOTS])))


def display_names(session: DbSession, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    # On the session's connection: the ORM session's execution path cost as much as the statement.
    # The flush is what autoflush would do.
    session.flush()
    wanted = set(user_ids)
    if len(wanted) > _NAMED_AT_ONCE:
        rows = session.connection().execute(_DISPLAY_NAMES, {"user_ids": sorted(wanted)})
        return {user_id: name for user_id, name in rows}
    slots = dict.fromkeys(_ID_SLOTS)
    slots.update(zip(_ID_SLOTS, wanted, strict=False))  # the slots left over stay NULL
    return {user_id: name for user_id, name in driver_sql.run(session.connection(), _FEW_DISPLAY_NAMES, slots)}


def get_checker(session: DbSession, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound("There is no such checker.")
    return user


@dataclass(frozen=True, slots=True)
class Checker:
    """A checker as a choice of an assignment form: the columns it shows, not a User object (the forms
    of the claims list and the article page list every checker on every view)."""

    id: int
    display_name: str
    email: str

    @property
    def choice_label(self) -> str:
        """As ``User.choice_label`` (tests/services/test_checkers.py holds them equal)."""
        return f"{self.display_name} ({self.email})"


# Built once: every page with an assignment form reads it, and building the statement and its cache key
# cost more than running it.
# Who is offered as a checker: also read with an article's claims (``article_page.claims_and_checkers``).
CHECKERS = (select(User.id, User.display_name, User.email)
             .join(UserRole)
             .where(UserRole.role == Role.CHECKER.value, User.is_active_account.is_(True))
             .order_by(User.display_name))


def checkers(session: DbSession) -> list[Checker]:
    """The active checkers, by name."""
    # On the driver (``driver_sql``): SQLAlchemy's execution path cost about as much as the statement
    # (issue 15). The flush is what autoflush would have done.
    session.flush()
    raw, typed, _names = driver_sql.untyped_named(session.connection(), CHECKERS, {})
    return [Checker(*(driver_sql.typed(row, typed) if typed else row)) for row in raw]


def _role_values(roles: list[str]) -> list[str]:
    try:
        values = sorted({Role(role).value for role in roles})
    except ValueError:
        raise ValidationFailed(f"Roles must be among: {', '.join(r.value for r in Role)}.", field="roles") from None
    if not values:
        raise ValidationFailed("A user needs at least one role.", field="roles")
    return values


def _keep_an_admin(session: DbSession, user: User, advice: str) -> None:
    """Refuse to take away the last active administrator. Two admins demoting each other at the same
    moment must not both pass the count: the check runs under a lock that every such change takes."""
    serialise(session, "users.admins")
    if not _other_active_admins(session, user):
        raise ValidationFailed(f"This is the last active administrator; {advice}")


def _other_active_admins(session: DbSession, user: User) -> int:
    return session.scalar(
        select(func.count(User.id)).join(UserRole)
        .where(UserRole.role == Role.ADMIN.value, User.is_active_account.is_(True), User.id != user.id)
    ) or 0


def set_roles(ctx: Context, *, actor: User, user: User, roles: list[str]) -> None:
    """Change a user's roles; the newsroom always keeps at least one active administrator."""
    ctx.require(actor, Action.USERS_MANAGE)
    session = ctx.session
    values = _role_values(roles)
    before = sorted(row.role for row in user.role_rows)
    if values == before:
        return
    with transaction(session):
        if Role.ADMIN.value in before and Role.ADMIN.value not in values:
            _keep_an_admin(session, user, "make someone else an administrator first.")
        user.role_rows = [row for row in user.role_rows if row.role in values] + [
            UserRole(role=role) for role in values if role not in before]
        audit.record(ctx, actor=actor, action="user.roles_changed", object_type="user", object_id=user.id,
                     changes=audit.diff({"roles": before}, {"roles": values}))


def all_users(session: DbSession) -> list[User]:
    return list(session.scalars(select(User).options(selectinload(User.role_rows))
                                .order_by(User.display_name, User.id)))


def get_user(session: DbSession, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user


def set_active(ctx: Context, *, actor: User | None, user: User, active: bool, actor_label: str | None = None) -> None:
    session = ctx.session
    if actor is not None:
        ctx.require(actor, Action.USERS_MANAGE)
        if actor.id == user.id and not active:
            raise ValidationFailed("You cannot deactivate your own account.")
    with transaction(session):
        # The command line (actor None) is the operator's way back in, so only the app enforces this.
        if actor is not None and not active and user.has_role(Role.ADMIN) and user.is_active:
            _keep_an_admin(session, user, "it cannot be deactivated.")
        before = user.is_active_account
        user.is_active_account = active
        if not active:
            _end_sessions(ctx, user)
        audit.record(
            ctx, actor=actor, actor_label=actor_label, action="user.activated" if active else "user.deactivated",
            object_type="user", object_id=user.id, changes=audit.diff({"active": before}, {"active": active}),
        )


def change_password(ctx: Context, *, actor: User, current_password: str, new_password: str,
                    device: str = "") -> None:
    """A person changes their own password; the old one must be given, and the change is audited
    (without either password)."""
    if not actor.check_password(current_password):
        raise ValidationFailed("The current password is wrong.")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"The new password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if new_password == current_password:
        raise ValidationFailed("The new password is the same as the current one.")
    with transaction(ctx.session):
        actor.set_password(new_password, method=ctx.settings.password_hash_method)
        # Every device signed in with the old password is signed out; this one gets a new session.
        _end_sessions(ctx, actor)
        _start_session(ctx, actor, device)
        audit.record(ctx, actor=actor, action="user.password_changed", object_type="user", object_id=actor.id)


def set_email_notifications(ctx: Context, *, actor: User, user: User, on: bool) -> None:
    """Turn the e-mail of a person's notifications on or off (they stay in the app either way). A
    person changes their own; an administrator may change anyone's (an address that bounces)."""
    if actor.id != user.id:
        ctx.require(actor, Action.USERS_MANAGE)
    before = user.email_notifications
    if before == on:
        return
    with transaction(ctx.session):
        user.email_notifications = on
        audit.record(ctx, actor=actor, action="user.email_notifications_changed", object_type="user",
                     object_id=user.id, changes=audit.diff({"email_notifications": before},
                                                           {"email_notifications": on}))
