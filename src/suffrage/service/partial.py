"""``verify --partial``: check the board of an election not yet published (spec #15.2).

The election directory's board and event log are written, as a record would hold them,
into a scratch directory beside the context's manifest, election and credentials files,
and verified there with ``partial=True``: every entry so far (V7-V11, V13, V18), the set-up
(V1-V6) and the event log (V20). What needs the tally is reported ``not yet``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from suffrage.core.randomness import RandomSource
from suffrage.record.events import write_events
from suffrage.record.files import write_record
from suffrage.service import election_files as efiles
from suffrage.service.lifecycle import ElectionLife
from suffrage.storage.board import BulletinBoard
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport

__all__ = ["ElectionStatus", "election_status", "verify_partial"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ElectionStatus:
    """What an election directory is: where the election is in its life, and its board."""

    state: str
    entries: int


def election_status(directory: Path) -> ElectionStatus:
    """The state of the election in ``directory`` (``open``, ``closed``...) and how many
    entries its board holds (0 before a context exists)."""
    life = ElectionLife(directory, clock=lambda: datetime.now(UTC))
    try:
        state = str(life.state())
    finally:
        life.close()
    if not (directory / "context.json").exists():
        return ElectionStatus(state=state, entries=0)
    board = BulletinBoard(efiles.read_context(directory), efiles.database_url(directory))
    try:
        return ElectionStatus(state=state, entries=len(board))
    finally:
        board.close()


def verify_partial(
    directory: Path, *, rng: RandomSource | None = None, verified_at: datetime | None = None
) -> VerificationReport:
    """Verify the board and event log of the election in ``directory`` as they stand."""
    context = efiles.read_context(directory)
    with tempfile.TemporaryDirectory(prefix="suffrage-partial-") as scratch:
        work = Path(scratch)
        board = BulletinBoard(context, efiles.database_url(directory))
        life = ElectionLife(directory, clock=lambda: datetime.now(UTC))
        try:
            write_record(work, context=context, entries=board.entries())
            write_events(work / "events.jsonl", life.events())
        finally:
            board.close()
            life.close()
        return verify_record(work, rng=rng, verified_at=verified_at, partial=True)
