"""Publishing the outcome: combine the decryptions, count, and write the record.

One place for the last step of every way of running an election (in process, step by step
through files, or a benchmark), so they all write the same record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from suffrage.core.dlog import DiscreteLog
from suffrage.errors import InvalidInput
from suffrage.protocol.board import BoardEntry, ballots_per_contest, counted_entries
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.results import compute_results
from suffrage.protocol.tally import PartialDecryption, Tally, combine_decryptions
from suffrage.record.canonical import parse_canonical
from suffrage.record.files import TURNOUT_FILE, RankedRecord, read_turnout, write_record
from suffrage.record.reading import read_regular
from suffrage.record.writing import check_free, write_file

__all__ = ["publish", "publish_counts"]


def publish(
    out: Path | None,
    *,
    context: ElectionContext,
    entries: Sequence[BoardEntry],
    tally: Tally,
    partials: Sequence[PartialDecryption],
    ranked: Sequence[RankedRecord] = (),
    force: bool = False,
    turnout_from: Path | None = None,
) -> tuple[Mapping[str, tuple[int, ...]], dict[str, Any]]:
    """The counts and results from ``k`` partial decryptions and the ranked contests'
    decrypted mixes (``ranked``, spec #19); the record written to ``out`` (an existing
    record file there is replaced only with ``force``), with the turnout.json of the
    election directory ``turnout_from`` if it has one."""
    counted = counted_entries(entries)
    return publish_counts(
        out,
        context=context,
        tally=tally,
        partials=partials,
        counted_sequences=[e.sequence for e in counted],
        ballots=ballots_per_contest((c.contest_id for c in e.ballot.contests) for e in counted),
        entries=entries,
        ranked=ranked,
        force=force,
        turnout_from=turnout_from,
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
    ranked: Sequence[RankedRecord] = (),
    force: bool = False,
    turnout_from: Path | None = None,
) -> tuple[Mapping[str, tuple[int, ...]], dict[str, Any]]:
    """:func:`publish` for a board that is not held in memory: the caller says which entries
    were counted and how many ballots hold each contest, and has written ballots.jsonl itself
    when ``entries`` is ``None``."""
    counts = combine_decryptions(context, tally, partials, DiscreteLog(max(tally.counted, 1)))
    results = compute_results(
        context, counts, ballots, ranked={r.contest.contest_id: r.rows for r in ranked}
    )
    turnout = _turnout_bytes(turnout_from, context, tally)
    if out is not None:
        if turnout is not None:
            check_free([out / TURNOUT_FILE], force=force)
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
            ranked=ranked,
            force=force,
        )
        if turnout is not None:
            write_file(out / TURNOUT_FILE, turnout, force=force)
    return counts, results


def _turnout_bytes(election: Path | None, context: ElectionContext, tally: Tally) -> bytes | None:
    """The credential authority's turnout.json in ``election`` (`suffrage election
    turnout`), checked to decode strictly and to be of this tally, or ``None``."""
    if election is None:
        return None
    source = election / TURNOUT_FILE
    if not source.exists() and not source.is_symlink():
        return None
    data = read_regular(source)
    if not data.endswith(b"\n") or data.count(b"\n") != 1:
        raise InvalidInput(str(source), "must be one line ending in a newline")
    turnout = read_turnout(parse_canonical(data[:-1], field=str(source)))
    if (turnout.eligible, turnout.voted) != (len(context.credentials), tally.counted):
        raise InvalidInput(
            str(source),
            f"counts {turnout.voted} of {turnout.eligible} voters, but the tally counted "
            f"{tally.counted} ballots of {len(context.credentials)} credentials: run "
            "`suffrage election turnout --force` again, or delete it",
        )
    return data
