"""Users, roles and sign-in."""
from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.models import Role, User, UserRole
from factcheck.security.permissions import Action, require
from factcheck.services import audit
from factcheck.services.db import transaction
from factcheck.services.errors import PermissionDenied, ValidationFailed

MIN_PASSWORD_LENGTH = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: Session,
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
        require(actor, Action.USERS_MANAGE)
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationFailed(f"{email!r} is not an email address.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    role_values = _role_values(roles)
    with transaction(session):
        if find_by_email(session, email) is not None:
            raise ValidationFailed(f"A user with the email {email} already exists.")
        user = User(email=email, display_name=display_name or email.split("@")[0].replace(".", " ").title())
        user.set_password(password, method=current_app.config["FACTCHECK_PASSWORD_HASH_METHOD"])
        user.role_rows = [UserRole(role=role) for role in role_values]
        session.add(user)
        session.flush()
        audit.record(
            session, actor=actor, actor_label=actor_label, action="user.created", object_type="user",
            object_id=user.id, changes=audit.created({"email": email, "display_name": user.display_name, "roles": role_values}),
        )
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """The user these credentials belong to; every attempt, good or bad, is audited."""
    user = find_by_email(session, email)
    with transaction(session):
        if user is None or not user.check_password(password):
            audit.record(
                session, actor=None, actor_label=email.strip().lower()[:254], action="auth.login_failed",
                object_type="user", object_id=user.id if user else None,
            )
            failure: Exception = ValidationFailed("Wrong email or password.")
        elif not user.is_active:
            audit.record(session, actor=user, action="auth.login_refused", object_type="user", object_id=user.id)
            failure = PermissionDenied("This account has been deactivated. Ask an administrator.")
        else:
            audit.record(session, actor=user, action="auth.login", object_type="user", object_id=user.id)
            return user
    raise failure


def record_logout(session: Session, user: User) -> None:
    with transaction(session):
        audit.record(session, actor=user, action="auth.logout", object_type="user", object_id=user.id)


def checkers(session: Session) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.CHECKER.value, User.is_active_account.is_(True))
            .order_by(User.display_name)
        )
    )


def _role_values(roles: list[str]) -> list[str]:
    try:
        values = sorted({Role(role).value for role in roles})
    except ValueError:
        raise ValidationFailed(f"Roles must be among: {', '.join(r.value for r in Role)}.") from None
    if not values:
        raise ValidationFailed("A user needs at least one role.")
    return values


def _other_active_admins(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count(User.id)).join(UserRole)
        .where(UserRole.role == Role.ADMIN.value, User.is_active_account.is_(True), User.id != user.id)
    ) or 0


def set_roles(session: Session, *, actor: User, user: User, roles: list[str]) -> None:
    """Change a user's roles; the newsroom always keeps at least one active administrator."""
    require(actor, Action.USERS_MANAGE)
    values = _role_values(roles)
    before = sorted(row.role for row in user.role_rows)
    if Role.ADMIN.value in before and Role.ADMIN.value not in values and not _other_active_admins(session, user):
        raise ValidationFailed("This is the last active administrator; make someone else an administrator first.")
    if values == before:
        return
    with transaction(session):
        user.role_rows = [row for row in user.role_rows if row.role in values] + [
            UserRole(role=role) for role in values if role not in before]
        audit.record(session, actor=actor, action="user.roles_changed", object_type="user", object_id=user.id,
                     changes=audit.diff({"roles": before}, {"roles": values}))


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.display_name, User.id)))


def set_active(session: Session, *, actor: User | None, user: User, active: bool, actor_label: str | None = None) -> None:
    if actor is not None:
        require(actor, Action.USERS_MANAGE)
        if actor.id == user.id and not active:
            raise ValidationFailed("You cannot deactivate your own account.")
        # The command line (actor None) is the operator's way back in, so only the app enforces this.
        if not active and user.has_role(Role.ADMIN) and user.is_active and not _other_active_admins(session, user):
            raise ValidationFailed("This is the last active administrator; it cannot be deactivated.")
    with transaction(session):
        before = user.is_active_account
        user.is_active_account = active
        audit.record(
            session, actor=actor, actor_label=actor_label, action="user.activated" if active else "user.deactivated",
            object_type="user", object_id=user.id, changes=audit.diff({"active": before}, {"active": active}),
        )


def change_password(session: Session, *, actor: User, current_password: str, new_password: str) -> None:
    """A person changes their own password; the old one must be given, and the change is audited
    (without either password)."""
    if not actor.check_password(current_password):
        raise ValidationFailed("The current password is wrong.")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"The new password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if new_password == current_password:
        raise ValidationFailed("The new password is the same as the current one.")
    with transaction(session):
        actor.set_password(new_password, method=current_app.config["FACTCHECK_PASSWORD_HASH_METHOD"])
        audit.record(session, actor=actor, action="user.password_changed", object_type="user", object_id=actor.id)
