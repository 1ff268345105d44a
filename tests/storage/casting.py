"""Casting from other processes: what several voters' devices (or server workers) do at
once against one board. Used by test_board_concurrency through multiprocessing."""

from __future__ import annotations

from pathlib import Path

from suffrage.errors import DuplicateBallot
from suffrage.record.canonical import parse_canonical
from suffrage.record.codec import ballot_from_json
from suffrage.service.election_files import read_context
from suffrage.storage.board import BulletinBoard


def cast_all(job: tuple[str, str, str, list[bytes]]) -> list[tuple[str, int | None]]:
    """Cast each ballot (canonical JSON) at ``at`` on the board at ``url``; for each, its
    ballot id and the sequence acknowledged (``None`` if refused as a duplicate)."""
    election, url, at, documents = job
    from datetime import datetime

    context = read_context(Path(election))
    board = BulletinBoard(context, url)
    acknowledged: list[tuple[str, int | None]] = []
    try:
        for document in documents:
            ballot = ballot_from_json(parse_canonical(document, field="ballot"), "ballot")
            try:
                entry = board.cast(ballot, at=datetime.fromisoformat(at))
                acknowledged.append((ballot.ballot_id, entry.sequence))
            except DuplicateBallot:
                acknowledged.append((ballot.ballot_id, None))
    finally:
        board.engine.dispose()
    return acknowledged
