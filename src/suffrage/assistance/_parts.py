"""What the registry's use cases share: the store, the clock, and the history entry each
change writes in its own transaction (spec/assistance.md#5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from suffrage.assistance import storage as db
from suffrage.assistance.access import User

__all__ = ["Part", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Part:
    """The base of each group of use cases; :class:`~suffrage.assistance.service.Registry`
    puts them together."""

    def __init__(self, store: db.Store, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    def _now(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def _record(
        self, conn: Connection, user: User, action: str, subject: str, details: Mapping[str, Any]
    ) -> None:
        """Append the history entry of a change, inside the change's transaction."""
        details = {"role": user.role.value, **details}
        db.append_history(
            conn, at=self._now(), actor=user.name, action=action, subject=subject, details=details
        )
