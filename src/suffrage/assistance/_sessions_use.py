"""Use cases: the pages' signed-in sessions (spec/assistance.md#12.4).

A session's secret is random (the OS source), handed to the browser inside the signed cookie
and kept here only as its SHA-256 digest, as tokens are. Signing out ends the session in the
registry, so a copy of the cookie taken before sign-out is worth nothing after it; a session
also ends when the cookie's signed expiry passes. The user a session stands for is read from
the users table on each use, so a user's current role and scope always apply.
"""

from __future__ import annotations

from sqlalchemy import update

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance.access import User, new_token, token_digest
from suffrage.assistance.access_tables import last_suspension
from suffrage.assistance.records import user_from_row

__all__ = ["Sessions"]


class Sessions(Part):
    def open_session(self, user: User) -> str:
        """A new session for a user who has just signed in: its secret (shown once, to the
        cookie)."""
        if user.user_id is None:
            raise ValueError("a session is for a stored user")
        secret = new_token()
        with self.store.writing() as conn:
            db.insert_row(
                conn,
                db.sessions,
                {
                    "digest": token_digest(secret),
                    "user_id": user.user_id,
                    "started_at": self._now(),
                },
            )
        return secret

    def session_user(self, secret: str) -> User | None:
        """The user of a session that has not ended; ``None`` for an ended or unknown one,
        and for a suspended user's (spec/assistance.md#6.1: their sessions end at once)."""
        with self.store.engine.connect() as conn:
            found = db.one(conn, db.sessions, digest=token_digest(secret))
            if found is None or found["ended_at"] is not None:
                return None
            row = db.one(conn, db.users, id=found["user_id"])
            if row is None or last_suspension(conn, row["id"]) is not None:
                return None
        return user_from_row(row)

    def end_session(self, secret: str) -> None:
        """Sign-out: the session ends now (ending an ended or unknown one does nothing)."""
        with self.store.writing() as conn:
            conn.execute(
                update(db.sessions)
                .where(db.sessions.c.digest == token_digest(secret))
                .where(db.sessions.c.ended_at.is_(None))
                .values(ended_at=self._now())
            )
