"""Use cases: users, API tokens, authentication (spec/assistance.md#6)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Connection

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance.access import (
    Action,
    NotAuthenticated,
    NotPermitted,
    Role,
    User,
    hash_password,
    new_token,
    password_matches,
    permit,
    token_digest,
)
from suffrage.assistance.access_tables import last_suspension, revocation_of
from suffrage.assistance.domain import Entity, check_country
from suffrage.assistance.records import user_from_row
from suffrage.errors import InvalidInput, NotFound

__all__ = ["Accounts"]


class Accounts(Part):
    def bootstrap(self, name: str, password: str) -> User:
        """The first user, a focal point; refused once any user exists."""
        with self.store.writing() as conn:
            if db.count(conn, db.users):
                raise NotPermitted("the registry already has users: a focal point adds others")
            return self._insert_user(conn, User(name=name, role=Role.FOCAL_POINT), password, None)

    def add_user(self, actor: User, user: User, password: str | None) -> User:
        permit(actor, Action.MANAGE_USERS)
        if not user.name.strip():
            raise InvalidInput("name", "a user has a name")
        if user.role is Role.IMPLEMENTING_ENTITY and not user.entity:
            raise InvalidInput("entity", "an implementing_entity user names its entity")
        if user.role is Role.IMPLEMENTING_ENTITY and user.entity not in {e.value for e in Entity}:
            raise InvalidInput(
                "entity", f"{user.entity!r} is not one of {', '.join(e.value for e in Entity)}"
            )
        if user.role is Role.MEMBER_STATE_LIAISON:
            check_country("state", user.state or "")
        with self.store.writing() as conn:
            if db.one(conn, db.users, name=user.name) is not None:
                raise InvalidInput("name", f"a user {user.name!r} already exists")
            return self._insert_user(conn, user, password, actor)

    def _insert_user(
        self, conn: Connection, user: User, password: str | None, actor: User | None
    ) -> User:
        hashed = hash_password(password) if password is not None else None
        values = {
            "name": user.name,
            "role": user.role.value,
            "entity": user.entity,
            "state": user.state,
            "password": hashed,
            "created_at": self._now(),
        }
        made = replace(user, user_id=db.insert_row(conn, db.users, values))
        details = {
            "user": user.name,
            "new_role": user.role.value,
            "entity": user.entity,
            "state": user.state,
        }
        self._record(conn, actor or made, "user added", f"user:{made.user_id}", details)
        return made

    def authenticate(self, name: str, password: str) -> User:
        """The user of this name and password; a suspended user gets the same refusal as a
        wrong password (spec/assistance.md#6.1), so that a stranger learns nothing."""
        with self.store.engine.connect() as conn:
            row = db.one(conn, db.users, name=name)
            if (
                row is None
                or row["password"] is None
                or not password_matches(password, row["password"])
                or last_suspension(conn, row["id"]) is not None
            ):
                raise NotAuthenticated("unknown user or wrong password")
        return user_from_row(row)

    def issue_token(self, user: User, label: str) -> str:
        """A new API token for ``user`` (shown once; only its SHA-256 digest is kept)."""
        with self.store.writing() as conn:
            return self._issue(conn, user, user, label)

    def _issue(self, conn: Connection, actor: User, user: User, label: str) -> str:
        token = new_token()
        db.insert_row(
            conn,
            db.tokens,
            {
                "digest": token_digest(token),
                "user_id": user.user_id,
                "label": label,
                "created_at": self._now(),
            },
        )
        self._record(conn, actor, "token issued", f"user:{user.user_id}", {"label": label})
        return token

    def list_users(self, actor: User) -> list[User]:
        """Every user: name, role, entity or State (never a password hash or token digest)."""
        permit(actor, Action.MANAGE_USERS)
        with self.store.engine.connect() as conn:
            return [user_from_row(r) for r in db.rows(conn, db.users)]

    def issue_token_for(self, actor: User, user_id: int, label: str) -> tuple[User, str]:
        """A focal point issues a token for user ``user_id`` (shown once; the history names
        the focal point as actor and the user as subject)."""
        permit(actor, Action.MANAGE_USERS)
        with self.store.writing() as conn:
            row = db.one(conn, db.users, id=user_id)
            if row is None:
                raise NotFound(f"no user {user_id}")
            user = user_from_row(row)
            return user, self._issue(conn, actor, user, label)

    def authenticate_token(self, token: str) -> User:
        """The user of this token; refused when unknown, revoked, or its user suspended
        (spec/assistance.md#6.1)."""
        with self.store.engine.connect() as conn:
            found = db.one(conn, db.tokens, digest=token_digest(token))
            row = None if found is None else db.one(conn, db.users, id=found["user_id"])
            if found is None or row is None:
                raise NotAuthenticated("unknown token")
            revoked = revocation_of(conn, found["id"])
            if revoked is not None:
                raise NotAuthenticated(f"this token was revoked on {revoked['revoked_at'][:10]}")
            if last_suspension(conn, row["id"]) is not None:
                raise NotAuthenticated("this token's user is suspended")
        return user_from_row(row)
