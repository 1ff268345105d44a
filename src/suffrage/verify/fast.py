"""The batch path of a chunk: its cast ballots checked from their encodings (spec #7.2).

For the lines of a chunk that :func:`~suffrage.record.flat.raw_entry` reads, the ballots
are checked as one batch by :func:`~suffrage.protocol.batch_check.check_raw_ballots` (one
kernel call decodes every point, one multiscalar multiplication checks every equation; if
that fails, each ballot on its own). A line that is not read, a ballot whose terms cannot be
built and a ballot whose own check fails are not returned: the caller checks them one by
one, which names the failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from suffrage.core.elgamal import Ciphertext
from suffrage.core.randomness import RandomSource
from suffrage.protocol.batch_check import check_raw_ballots
from suffrage.protocol.context import ElectionContext
from suffrage.record.flat import RawEntry, raw_entry

__all__ = ["CheckedEntry", "check_cast_lines"]


class CheckedEntry(NamedTuple):
    """A cast entry whose ballot passed V7 to V10, with what the rest of the checks need."""

    position: int
    entry: RawEntry
    digest: bytes
    ciphertexts: tuple[tuple[tuple[str, str], Ciphertext], ...]


def check_cast_lines(
    context: ElectionContext, lines: Sequence[tuple[int, bytes]], rng: RandomSource
) -> dict[int, CheckedEntry]:
    """The lines (by position) whose cast ballot passes V7 to V10, checked as a batch."""
    entries = []
    for position, line in lines:
        entry = raw_entry(line)
        if entry is not None:
            entries.append((position, entry))
    ballots = [(index, entry.ballot) for index, (_, entry) in enumerate(entries)]
    return {
        entries[index][0]: CheckedEntry(*entries[index], one.digest, one.ciphertexts)
        for index, one in check_raw_ballots(context, ballots, rng).items()
    }
