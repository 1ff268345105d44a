"""Publishing the outcome: combine the decryptions, count, and write the record.

One place for the last step of every way of running an election (in process, step by step
through files, or a benchmark), so they all write the same record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from suffrage.core.dlog import DiscreteLog
from suffrage.protocol.board import BoardEntry, counted_entries
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.results import compute_results
from suffrage.protocol.tally import PartialDecryption, Tally, combine_decryptions
from suffrage.record.files import write_record

__all__ = ["ballots_per_contest", "publish", "publish_counts"]


def ballots_per_contest(entries: Sequence[BoardEntry]) -> dict[str, int]:
    """How many counted ballots hold each contest."""
    ballots: dict[str, int] = {}
    for entry in counted_entries(entries):
        for contest in entry.ballot.contests:
            ballots[contest.contest_id] = ballots.get(contest.contest_id, 0) + 1
    return ballots


def publish(
    out: Path | None,
    *,
    context: ElectionContext,
    entries: Sequence[BoardEntry],
    tally: Tally,
    partials: Sequence[PartialDecryption],
    force: bool = False,
) -> tuple[Mapping[str, tuple[int, ...]], dict[str, Any]]:
    """The counts and results from ``k`` partial decryptions; the record written to ``out``
    (an existing record file there is replaced only with ``force``)."""
    return publish_counts(
        out,
        context=context,
        tally=tally,
        partials=partials,
        counted_sequences=[e.sequence for e in counted_entries(entries)],
        ballots=ballots_per_contest(entries),
        entries=entries,
        force=force,
    )


def publish_counts(
    out: Path | None,
    *,
    context: ElectionContext,
    tally: Tally,
    partials: Sequence[PartialDecryption],
    counted_sequences: Sequence[int],
    ballots: Mapping[str, int],
    entries: Iterable[BoardEntry] | None,
    force: bool = False,
) -> tuple[Mapping[str, tuple[int, ...]], dict[str, Any]]:
    """:func:`publish` for a board that is not held in memory: the caller says which entries
    were counted and how many ballots hold each contest, and has written ballots.jsonl itself
    when ``entries`` is ``None``."""
    counts = combine_decryptions(context, tally, partials, DiscreteLog(max(tally.counted, 1)))
    results = compute_results(context, counts, ballots)
    if out is not None:
        write_record(
            out,
            context=context,
            entries=entries,
            tally=tally,
            counted_sequences=counted_sequences,
            partials=partials,
            counts={
                t.contest_id: dict(zip(t.option_ids, counts[t.contest_id], strict=True))
                for t in tally.contests
            },
            results=results,
            force=force,
        )
    return counts, results
