"""The batch path of a chunk: its cast ballots checked from their encodings (spec #7.2).

For the lines of a chunk that :func:`~suffrage.record.flat.raw_entry` reads, the ballots
are checked as one batch by :func:`~suffrage.protocol.batch_check.fast_check` (in the
kernel: every point decoded, every transcript, one multiscalar multiplication for the
batch; ranked contests included, their rank proofs being V22). A line that is not read,
and a ballot the kernel refuses or does not decide, are not returned: the caller checks them
one by one, which names the failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from suffrage.core.elgamal import Ciphertext
from suffrage.core.randomness import RandomSource
from suffrage.protocol.ballot import RawRankedContest
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.context import ElectionContext
from suffrage.record.flat import RawEntry, raw_entry

__all__ = ["CheckedEntry", "check_cast_lines", "rank_rows"]


class CheckedEntry(NamedTuple):
    """A cast entry whose ballot passed V7 to V10, V18 and V22, with its hash."""

    position: int
    entry: RawEntry
    digest: bytes


def check_cast_lines(
    context: ElectionContext, lines: Sequence[tuple[int, bytes]], rng: RandomSource
) -> tuple[dict[int, CheckedEntry], dict[tuple[str, str], Ciphertext]]:
    """The lines (by position) whose cast ballot passes V7 to V10, V18 and V22, checked as a
    batch, and the sum of those ballots' ciphertexts per (contest, option)."""
    entries = []
    for position, line in lines:
        entry = raw_entry(line)
        if entry is not None:
            entries.append((position, entry))
    checked = fast_check(context, [(i, e.ballot) for i, (_, e) in enumerate(entries)], rng)
    passed = {
        entries[index][0]: CheckedEntry(*entries[index], verdict.digest)
        for index, verdict in checked.verdicts.items()
        if verdict.digest is not None
    }
    return passed, checked.sums


def rank_rows(checked: CheckedEntry) -> list[tuple[int, str, bytes]]:
    """The entry's rank ciphertexts per ranked contest, ``(position, contest_id, rows)`` with
    ``rows`` the ``m`` ciphertexts ``alpha || beta``, rank 1 first: the mix's input
    (spec/protocol.md#19.1), straight from the line's encodings."""
    return [
        (checked.position, part.contest_id, b"".join(r.alpha + r.beta for r in part.ranks))
        for part in checked.entry.ballot.contests
        if isinstance(part, RawRankedContest)
    ]
