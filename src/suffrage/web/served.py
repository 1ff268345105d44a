"""What one server process serves: an election's life and, once voting opens, its board.

The election's state is read from its event log at each request that depends on it (the
log is in the board's database, shared by every worker), so a step taken through one worker
is seen by all of them at once. The online election (the board, the signing key, the final
context) is built the first time it is needed after voting has opened, and kept.
"""

from __future__ import annotations

import threading
from pathlib import Path

from suffrage.protocol.event_log import LifeLog, LifeState
from suffrage.service.lifecycle import ElectionLife
from suffrage.service.online import OnlineElection

__all__ = ["BEFORE_OPEN", "Served"]

BEFORE_OPEN = (LifeState.NONE, LifeState.DRAFT, LifeState.KEY_CEREMONY)


class Served:
    """One election served (see the module docstring). ``record`` is where the published
    record is (``record/`` in the election directory unless given)."""

    def __init__(self, life: ElectionLife, *, record: Path | None = None) -> None:
        self.life = life
        self.record = record or life.directory / "record"
        self._online: OnlineElection | None = None
        self._lock = threading.Lock()

    @property
    def directory(self) -> Path:
        return self.life.directory

    def log(self) -> LifeLog:
        return self.life.life()

    @property
    def ready(self) -> OnlineElection | None:
        """The online election if it is built already (no database read)."""
        return self._online

    def opened(self) -> OnlineElection | None:
        """The online election, or ``None`` while voting has not opened yet."""
        if self._online is None:
            with self._lock:
                if self._online is None and self.log().state not in BEFORE_OPEN:
                    life = self.life
                    self._online = OnlineElection(
                        life.directory, database=life.url, clock=life.clock, rng=life.rng
                    )
        return self._online

    def online(self, action: str) -> OnlineElection:
        """The online election; before voting opens, ``action`` is refused (OutOfOrder,
        naming the step to take)."""
        online = self.opened()
        if online is None:
            raise self.log().refuse(action)
        return online

    def published(self) -> bool:
        return (self.record / "results.json").is_file()

    def close(self) -> None:
        if self._online is not None:
            self._online.close()
        self.life.close()
