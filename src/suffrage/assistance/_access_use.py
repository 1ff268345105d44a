"""Use cases: access withdrawn and given back (spec/assistance.md#6.1): a token revoked, a
user suspended and reinstated, and the lists that show them.

Each is a row inserted into an append-only table (:mod:`~suffrage.assistance.access_tables`)
and a history entry in the same transaction, which binds the row by its SHA-256; neither
``assist_tokens`` nor ``assist_users`` is changed. Authentication
(:mod:`~suffrage.assistance._accounts`, :mod:`~suffrage.assistance._sessions_use`) reads
these tables on each use, so a revocation or a suspension holds at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Connection, RowMapping

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance.access import Action, NotPermitted, User, permit
from suffrage.assistance.access_tables import (
    REINSTATED,
    SUSPENDED,
    Suspension,
    TokenState,
    UserAccess,
    digest_row,
    last_suspension,
    suspensions,
    token_revocations,
)
from suffrage.assistance.records import user_from_row
from suffrage.errors import InvalidInput, NotFound

__all__ = ["MAX_REASON", "Access"]

MAX_REASON = 500
"""The longest reason a suspension may give (characters)."""


def _suspension(row: RowMapping | None) -> Suspension | None:
    if row is None:
        return None
    return Suspension(since=row["at"], reason=row["reason"] or "", by=row["by"])


def _token_states(conn: Connection, user_id: int | None = None) -> list[TokenState]:
    """The tokens (of one user, or everyone's), oldest first, with their revocations."""
    t, r = db.tokens, token_revocations
    query = (
        select(t.c.id, t.c.user_id, t.c.label, t.c.created_at, r.c.revoked_at, r.c.revoked_by)
        .select_from(t.outerjoin(r, r.c.token_id == t.c.id))
        .order_by(t.c.id)
    )
    if user_id is not None:
        query = query.where(t.c.user_id == user_id)
    return [
        TokenState(
            token_id=row.id,
            user_id=row.user_id,
            label=row.label,
            issued_at=row.created_at,
            revoked_at=row.revoked_at,
            revoked_by=row.revoked_by,
        )
        for row in conn.execute(query)
    ]


class Access(Part):
    def revoke_token(self, actor: User, token_id: int) -> TokenState:
        """Revoke token ``token_id``: a focal point revokes anyone's, a user their own. The
        token is refused from then on ("revoked on DATE")."""
        with self.store.writing() as conn:
            token = db.one(conn, db.tokens, id=token_id)
            if token is None:
                raise NotFound(f"no token {token_id}")
            if token["user_id"] != actor.user_id:
                try:
                    permit(actor, Action.MANAGE_USERS)
                except NotPermitted:
                    raise NotPermitted(
                        f"{actor.name} ({actor.role.value}) may revoke only their own tokens; "
                        f"token {token_id} is another user's (a focal point revokes it)"
                    ) from None
            done = db.one(conn, token_revocations, token_id=token_id)
            if done is not None:
                raise InvalidInput(
                    "token", f"token {token_id} was already revoked on {done['revoked_at'][:10]}"
                )
            values = {"token_id": token_id, "revoked_at": self._now(), "revoked_by": actor.name}
            number = self._insert(conn, token_revocations, values)
            row = db.one(conn, token_revocations, id=number)
            details = {
                "label": token["label"],
                "token": token_id,
                "revocation": number,
                "revocation_row": digest_row(dict(row or {})),
            }
            self._record(conn, actor, "token revoked", f"user:{token['user_id']}", details)
            return next(s for s in _token_states(conn, token["user_id"]) if s.token_id == token_id)

    def suspend_user(self, actor: User, user_id: int, reason: str) -> Suspension:
        """Suspend user ``user_id`` (focal points only), with a reason: from then on the
        user cannot sign in, their tokens are refused and their sessions are over."""
        permit(actor, Action.MANAGE_USERS)
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("reason", "a suspension gives its reason")
        if len(reason) > MAX_REASON:
            raise InvalidInput("reason", f"at most {MAX_REASON} characters")
        if user_id == actor.user_id:
            raise InvalidInput(
                "user",
                f"{actor.name} may not suspend themself: the registry would be left without "
                "this focal point (another focal point may)",
            )
        with self.store.writing() as conn:
            user = self._user(conn, user_id)
            now = last_suspension(conn, user_id)
            if now is not None:
                raise InvalidInput(
                    "user", f"{user.name} is already suspended (since {now['at'][:10]})"
                )
            self._event(conn, actor, user, SUSPENDED, reason)
            found = _suspension(last_suspension(conn, user_id))
            assert found is not None
            return found

    def reinstate_user(self, actor: User, user_id: int) -> User:
        """Give a suspended user their access back (focal points only); their tokens not
        revoked work again, their ended sessions stay ended."""
        permit(actor, Action.MANAGE_USERS)
        with self.store.writing() as conn:
            user = self._user(conn, user_id)
            if last_suspension(conn, user_id) is None:
                raise InvalidInput("user", f"{user.name} is not suspended")
            self._event(conn, actor, user, REINSTATED, None)
            return user

    def user_access(self, actor: User) -> list[UserAccess]:
        """Every user with their suspension (if any) and their tokens (focal points only):
        never a password hash, a token or its digest."""
        permit(actor, Action.MANAGE_USERS)
        with self.store.engine.connect() as conn:
            users = [user_from_row(r) for r in db.rows(conn, db.users)]
            states = _token_states(conn)
            return [
                UserAccess(
                    user=u,
                    suspension=_suspension(last_suspension(conn, u.user_id or 0)),
                    tokens=tuple(s for s in states if s.user_id == u.user_id),
                )
                for u in users
            ]

    def own_tokens(self, actor: User) -> list[TokenState]:
        """The acting user's tokens, oldest first (any signed-in user)."""
        if actor.user_id is None:
            raise NotPermitted(f"{actor.name} ({actor.role.value}) has no tokens")
        with self.store.engine.connect() as conn:
            return _token_states(conn, actor.user_id)

    # -- helpers ---------------------------------------------------------------------

    def _user(self, conn: Connection, user_id: int) -> User:
        row = db.one(conn, db.users, id=user_id)
        if row is None:
            raise NotFound(f"no user {user_id}")
        return user_from_row(row)

    def _insert(self, conn: Connection, table: Table, values: Mapping[str, Any]) -> int:
        result = conn.execute(insert(table).returning(table.c.id), dict(values))
        return int(result.scalar_one())

    def _event(
        self, conn: Connection, actor: User, user: User, event: str, reason: str | None
    ) -> None:
        values = {
            "user_id": user.user_id,
            "event": event,
            "reason": reason,
            "at": self._now(),
            "by": actor.name,
        }
        number = self._insert(conn, suspensions, values)
        row = db.one(conn, suspensions, id=number)
        details: dict[str, object] = {"user": user.name}
        if reason is not None:
            details["reason"] = reason
        details |= {"suspension": number, "suspension_row": digest_row(dict(row or {}))}
        action = "user suspended" if event == SUSPENDED else "user reinstated"
        self._record(conn, actor, action, f"user:{user.user_id}", details)
