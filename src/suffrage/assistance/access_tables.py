"""The tables of access withdrawn (spec/assistance.md#6.1), on the registry's ``metadata``:
:mod:`~suffrage.assistance.storage` imports this module so that ``create_all`` makes them,
and lists both among the append-only tables.

``assist_token_revocations`` holds one row per revoked token (a token is revoked once);
``assist_suspensions`` holds the events of a user's suspension and reinstatement, oldest
first, so that a user's state is the last event's. Neither ``assist_tokens`` nor
``assist_users`` is ever updated for them. Each row is bound into the history: the entry
that records it carries the row's SHA-256 (``revocation_row``, ``suspension_row``), and
:func:`check_access` finds a row changed, removed or inserted behind the registry's back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.engine import Connection, RowMapping

from suffrage.assistance.access import User
from suffrage.assistance.history import Entry
from suffrage.assistance.storage import check_bound_rows, digest_row, metadata

__all__ = [
    "ACCESS_TABLES",
    "REINSTATED",
    "SUSPENDED",
    "Suspension",
    "TokenState",
    "UserAccess",
    "check_access",
    "digest_row",
    "last_suspension",
    "revocation_of",
    "suspensions",
    "token_revocations",
]

SUSPENDED, REINSTATED = "suspended", "reinstated"

token_revocations = Table(
    "assist_token_revocations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_id", Integer, ForeignKey("assist_tokens.id"), nullable=False, unique=True),
    Column("revoked_at", String(40), nullable=False),
    Column("revoked_by", String(200), nullable=False),
)
suspensions = Table(
    "assist_suspensions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("assist_users.id"), nullable=False, index=True),
    Column("event", String(20), nullable=False),
    Column("reason", Text),
    Column("at", String(40), nullable=False),
    Column("by", String(200), nullable=False),
    CheckConstraint(f"event IN ('{SUSPENDED}', '{REINSTATED}')", name="suspension_event"),
)
ACCESS_TABLES = (token_revocations.name, suspensions.name)


def revocation_of(conn: Connection, token_id: int) -> RowMapping | None:
    query = select(token_revocations).where(token_revocations.c.token_id == token_id)
    return conn.execute(query).mappings().first()


def last_suspension(conn: Connection, user_id: int) -> RowMapping | None:
    """The user's last suspension event, when it is a suspension (the user is suspended);
    ``None`` for a user never suspended or reinstated since."""
    query = (
        select(suspensions)
        .where(suspensions.c.user_id == user_id)
        .order_by(suspensions.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).mappings().first()
    return row if row is not None and row["event"] == SUSPENDED else None


_BOUND = {
    token_revocations.name: ("revocation", ("token revoked",)),
    suspensions.name: ("suspension", ("user suspended", "user reinstated")),
}
"""Each table: the details key of the row's id (its SHA-256 under ``<key>_row``) and the
actions whose entries bind its rows."""


def check_access(conn: Connection, entries: Sequence[Entry]) -> None:
    """Raise :class:`HistoryBroken` when a revocation or suspension row is not the row its
    entry bound (changed or removed outside the registry), or has no entry (inserted)."""
    for table in (token_revocations, suspensions):
        key, actions = _BOUND[table.name]
        bound: dict[int, tuple[Entry, str]] = {}
        for entry in entries:
            number = entry.details.get(key)
            if entry.action in actions and isinstance(number, int):
                bound[number] = (entry, str(entry.details.get(f"{key}_row")))
        check_bound_rows(conn, table, bound, key, len(entries) + 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenState:
    """One API token as the lists show it: never the token, never its digest."""

    token_id: int
    user_id: int
    label: str
    issued_at: str
    revoked_at: str | None = None
    revoked_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Suspension:
    """A user's suspension in force: since when, why, by whom."""

    since: str
    reason: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserAccess:
    """A user, whether suspended, and their tokens (oldest first)."""

    user: User
    suspension: Suspension | None
    tokens: tuple[TokenState, ...]
