from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, event, true
from sqlalchemy.orm import InstanceState, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from factcheck.models.base import Base, TimestampMixin, UTCDateTime, utcnow


class Role(StrEnum):
    CHECKER = "checker"
    EDITOR = "editor"
    MANAGER = "manager"
    ADMIN = "admin"


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Whether notifications also come by e-mail (they always appear in the app).
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    # A user may hold several roles. Loaded where they are needed (the signed-in user with its session,
    # the users page): loading them with every user a page shows cost a statement per kind of person.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> frozenset[Role]:
        # The signed-in user's roles come with its row (services.users.session_user) and are kept until
        # the instance is expired (a commit, a refresh): the layout and every permission check ask for
        # them, and building them from the role rows on each call was part of every page's fixed cost.
        # Role rows loaded as a collection (the users page, set_roles) are the truth whenever present.
        if "role_rows" not in self.__dict__ and _ROLES_KEY in self.__dict__:
            return self.__dict__[_ROLES_KEY]
        return frozenset(Role(row.role) for row in self.role_rows)

    def keep_roles(self, roles: frozenset[Role]) -> None:
        """Remember the roles read with this row, until the instance is next expired."""
        self.__dict__[_ROLES_KEY] = roles

    def has_role(self, *roles: Role | str) -> bool:
        mine = self.roles
        return any(Role(role) in mine for role in roles)

    # What Flask-Login asks of a user, written out so the models import nothing of Flask.
    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login and on every request
        return self.is_active_account

    @property
    def is_authenticated(self) -> bool:  # as Flask-Login's UserMixin: a deactivated account is signed out
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def session_token(self) -> str | None:
        """The token of the signed-in device this instance was loaded for (never stored on the row)."""
        return self.__dict__.get("_session_token")

    @session_token.setter
    def session_token(self, token: str | None) -> None:
        self.__dict__["_session_token"] = token

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: the device's session token,
        so revoking the session ends the cookie too (never the bare user id, which would outlive it)."""
        if not self.session_token:
            raise RuntimeError("sign a user in through services.users.start_session")
        return self.session_token

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def choice_label(self) -> str:
        """How a person is shown wherever someone is chosen: the name people know and the e-mail they
        sign in with, so two people with similar names cannot be confused."""
        return f"{self.display_name} ({self.email})"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


_ROLES_KEY = "_roles_read_with_row"


@event.listens_for(User, "expire", raw=True)
def _forget_roles(state: InstanceState[User], _attrs: object) -> None:
    # Expired (after a commit, before session.refresh, or asked for), the row is read again and its
    # roles may have changed. Not on "refresh": that also fires when another statement fills in a
    # column of the same user (a note's author), which changes nothing of its roles. (Raw state: the
    # instance may already be gone while its state is expired.)
    state.dict.pop(_ROLES_KEY, None)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class UserSession(Base):
    """One signed-in device. The cookie holds a random token; only its hash is stored, so a copy of the
    database signs nobody in. Signing out, a password change or deactivation revokes the row, and the
    cookie (session or "remember me") stops working at once."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()
