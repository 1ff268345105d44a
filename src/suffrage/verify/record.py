"""verify_record(): re-check an election from its record alone (spec/protocol.md#15).

Every numbered check runs, whatever failed before it; a failure names the file, entry,
contest, option or guardian. Nothing here trusts a value of the record that it can
recompute: hashes, the tally, the counts and the results are all recomputed.

The ballots are streamed in chunks (:mod:`suffrage.verify.chunks`), so memory stays bounded
whatever their number; ``map_chunks`` lets a caller check chunks elsewhere (the service
layer runs them on a Dask cluster). The report does not depend on where chunks ran.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from suffrage.core.elgamal import ZERO_CIPHERTEXT, Ciphertext
from suffrage.core.group import Element
from suffrage.core.randomness import OsRandom, RandomSource
from suffrage.errors import InvalidInput
from suffrage.protocol.board import ballots_per_contest, chain_start, last_per_credential
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.tally import ContestTally
from suffrage.record.files import (
    LineChunk,
    RawRecord,
    chunk_lines,
    decode_entry_line,
    ranked_file_names,
    ranked_files,
    read_record,
)
from suffrage.record.reading import bounded_lines, open_regular
from suffrage.verify.chunks import ChunkResult, EntrySummary, verify_chunk
from suffrage.verify.events import check_events
from suffrage.verify.ranked import check_ranked
from suffrage.verify.report import RecordSubject, ReportBuilder, VerificationReport
from suffrage.verify.setup import check_setup
from suffrage.verify.tally import check_counted, check_tally
from suffrage.verify.turnout import check_turnout

__all__ = [
    "CHUNK_SIZE",
    "NOT_YET",
    "PUBLISHED_LATER",
    "RECORD_FILES",
    "THREADS",
    "MapChunks",
    "load_record",
    "record_subject",
    "verify_record",
]

CHUNK_SIZE = 256
"""Ballots checked together in one batch (spec/protocol.md#7)."""

Progress = Callable[[int], None]
MapChunks = Callable[[Sequence[LineChunk]], Iterable[ChunkResult]]
LATER_CHECKS = (
    *("V7", "V8", "V9", "V10", "V11", "V12", "V13"),
    *("V14", "V15", "V16", "V17", "V18", "V19", "V20", "V21", "V22"),
    *("V23", "V24", "V25", "V26"),
)


RECORD_FILES = (
    *("manifest.json", "election.json", "credentials.json"),
    *("ballots.jsonl", "events.jsonl", "tally.json", "decryption.json", "results.json"),
    "turnout.json",
)
"""The files of a record (spec/record-format.md) whose SHA-256 the report opens with."""
PUBLISHED_LATER = ("tally.json", "decryption.json", "results.json", "turnout.json")
"""The files a record gains at the tally: absent from a board still open."""
NOT_YET = ("V12", "V14", "V15", "V16", "V17", "V19", "V21", "V23", "V24", "V25", "V26")
"""The checks that need the tally (spec/protocol.md#15.2)."""


def verify_record(
    directory: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    rng: RandomSource | None = None,
    map_chunks: MapChunks | None = None,
    chunk_size: int = CHUNK_SIZE,
    batch: bool = True,
    verified_at: datetime | None = None,
    partial: bool = False,
) -> VerificationReport:
    """Verify the record in ``directory``.

    ``progress`` is told how many entries each finished chunk held; ``rng`` draws the batch
    weights (the operating system's source by default); ``map_chunks`` checks the chunks
    (in this process, on :data:`THREADS` threads, by default) and must yield results in
    order.
    ``batch=False`` checks every proof on its own instead of in batches. ``verified_at`` is
    the time the report states (the verifier reads no clock). ``partial`` verifies the
    board of an election not yet published (spec/protocol.md#15.2): the files written at
    the tally may be absent, and the checks that need them are ``not yet``.
    """
    directory = Path(directory)
    report = ReportBuilder()
    raw = _check_files(directory, report, partial=partial)
    context = check_setup(raw, report)
    if context is None:
        for number in LATER_CHECKS:
            report.skip(number, "the election set-up could not be read (V1-V6)")
        return report.build(record_subject(directory, raw, verified_at), partial=partial)
    check_events(directory, raw, context, report)
    path = directory / "ballots.jsonl"
    ballots_digest = hashlib.sha256()  # from the one pass that splits the file into chunks
    chunks, problems = chunk_lines(path, chunk_size, digest=ballots_digest)
    opened = bool(chunks) or not problems
    known = {path.name: ballots_digest.hexdigest() if opened else ""}
    subject = record_subject(directory, raw, verified_at, known=known)
    for problem in problems:
        report.fail("V1", problem.reason, where=problem.where)
    source = (rng if rng is not None else OsRandom()) if batch else None
    results = map_chunks(chunks) if map_chunks is not None else _on_threads(context, chunks, source)
    board = _merge(context, results, report, progress)
    if partial:
        for number in NOT_YET:
            report.later(number, "the tally is not published yet")
        return report.build(subject, partial=True)
    counted = _counted(board.summaries)
    check_counted(raw, {s.sequence: s for s in board.summaries}, counted, report)
    superseded = {s.position for s in board.summaries if s.cast and s.valid} - {
        s.position for s in counted
    }
    totals = _subtract(board.sums, path, superseded)
    check_tally(
        context,
        raw,
        expected=(board.entries, len(counted), board.head, _contests(context, totals)),
        ballots=ballots_per_contest(s.contests for s in counted),
        report=report,
    )
    check_ranked(
        directory,
        context,
        tally=raw.tally,
        inputs=_rank_inputs(board, counted),
        results=raw.results,
        report=report,
        rng=source,
    )
    check_turnout(raw, len(counted), report)
    return report.build(subject)


def load_record(directory: str | os.PathLike[str]) -> RawRecord:
    """The record in ``directory``, read strictly: InvalidInput names the first file, line
    and field that does not decode (and how many more problems there are). Reading is not
    verifying: :func:`verify_record` checks what the files say."""
    path = Path(directory)
    if not path.is_dir():
        raise InvalidInput(str(path), "is not a directory: give the directory of a record")
    raw = read_record(path)
    if raw.problems:
        first, more = raw.problems[0], len(raw.problems) - 1
        extra = f" (and {more} more problems: run suffrage verify)" if more else ""
        raise InvalidInput(first.where, f"{first.reason}{extra}")
    return raw


def _check_files(directory: Path, report: ReportBuilder, *, partial: bool) -> RawRecord:
    """V1 over the JSON files: each problem once, where it is. Before the publication
    (``partial``) the files written at the tally may be absent."""
    raw = read_record(directory)
    for problem in raw.problems:
        if (
            partial
            and problem.where in PUBLISHED_LATER
            and not (directory / problem.where).exists()
        ):
            continue
        report.fail("V1", problem.reason, where=problem.where)
    report.ok("V1", 7)
    return raw


def record_subject(
    directory: Path,
    raw: RawRecord,
    verified_at: datetime | None = None,
    *,
    known: Mapping[str, str] | None = None,
) -> RecordSubject:
    """What is being verified: the election named by the record and the files' digests
    (``known`` gives those already computed while reading, "" for a file not readable)."""
    given = known or {}
    from suffrage import __version__

    manifest = raw.manifest
    return RecordSubject(
        election_id=manifest.election_id if manifest is not None else "",
        title=_title(raw),
        titles=manifest.title.texts if manifest is not None else (),
        base_hash=bytes((raw.election or {}).get("base_hash", b"")).hex(),
        files=tuple(
            (n, digest)
            for n in (*RECORD_FILES, *_ranked_names(directory, raw))
            if (digest := given[n] if n in given else _sha256(directory / n))
        ),
        verifier_version=__version__,
        verified_at=(
            verified_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            if verified_at is not None
            else ""
        ),
    )


def _ranked_names(directory: Path, raw: RawRecord) -> list[str]:
    """The ranked contests' files present (spec #19.6), when the manifest is readable."""
    if raw.manifest is None:
        return []
    return ranked_file_names(ranked_files(directory, raw.manifest))


def _title(raw: RawRecord) -> str:
    manifest = raw.manifest
    if manifest is None:
        return ""
    return dict(manifest.title.texts).get(manifest.default_language, "")


THREADS = 2
"""Chunks checked at once in one process: while the kernel checks one chunk's ballots (the
GIL released, on every core), another thread reads and parses the next chunk's lines."""


def _on_threads(
    context: ElectionContext, chunks: Sequence[LineChunk], source: RandomSource | None
) -> Iterator[ChunkResult]:
    """``verify_chunk`` of every chunk, in order, at most ``2 * THREADS`` chunks ahead."""
    with ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="verify") as pool:
        pending: deque[Future[ChunkResult]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(verify_chunk, context, chunk, source))
            if len(pending) > 2 * THREADS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _sha256(path: Path) -> str:
    """The file's SHA-256 in hex, or "" when it is absent or not a regular file (V1 says so)."""
    digest = hashlib.sha256()
    try:
        with open_regular(path) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except InvalidInput:
        return ""
    return digest.hexdigest()


@dataclass(slots=True)
class _Board:
    head: bytes
    entries: int = 0
    summaries: list[EntrySummary] = field(default_factory=list)
    sums: dict[tuple[str, str], Ciphertext] = field(default_factory=dict)
    ranks: dict[int, list[tuple[str, bytes]]] = field(default_factory=dict)
    """The rank ciphertexts of the valid cast entries (by line) that may still count."""
    latest: dict[bytes, int] = field(default_factory=dict)
    """The line of each credential's last valid cast entry so far."""


def _merge(
    context: ElectionContext,
    results: Iterable[ChunkResult],
    report: ReportBuilder,
    progress: Progress | None,
) -> _Board:
    """Fold the chunks' outcomes into the report, in board order."""
    board = _Board(head=chain_start(context))
    seen: dict[str, int] = {}
    for result in results:
        for position, contest, rows in result.ranks:
            board.ranks.setdefault(position, []).append((contest, rows))
        for outcome in result.outcomes:
            board.entries += 1
            if outcome.summary is None:
                where, reason = outcome.unreadable or ("ballots.jsonl", "unreadable")
                report.fail("V1", reason, where=where)
                report.fail(
                    "V11", f"entry {outcome.position} is unreadable: the chain cannot be followed"
                )
                continue
            _fold(outcome.summary, outcome.passed, outcome.failed, seen, report)
            board.summaries.append(outcome.summary)
            _supersede(board, outcome.summary)
        for contest, option, alpha, beta in result.sums:
            ct = Ciphertext(alpha=Element.from_bytes(alpha), beta=Element.from_bytes(beta))
            key = (contest, option)
            board.sums[key] = board.sums.get(key, ZERO_CIPHERTEXT) + ct
        if progress is not None:
            progress(len(result.outcomes))
        if result.outcomes:
            last_ok = result.outcomes[-1].summary is not None and result.last_code is not None
            board.head = result.last_code if last_ok and result.last_code else chain_start(context)
    return board


def _supersede(board: _Board, summary: EntrySummary) -> None:
    """Drop the rank ciphertexts of a credential's earlier ballot once a later valid cast
    one replaces it (spec #14.3), so that memory holds at most the counted ballots' ranks."""
    if not (summary.cast and summary.valid):
        return
    earlier = board.latest.get(summary.credential)
    if earlier is not None:
        board.ranks.pop(earlier, None)
    board.latest[summary.credential] = summary.position


def _rank_inputs(board: _Board, counted: Sequence[EntrySummary]) -> dict[str, bytes]:
    """The input rows of each ranked contest's first mix (spec #19.1): the rank ciphertexts
    of the counted entries, in sequence order."""
    rows: dict[str, bytearray] = {}
    for summary in counted:
        for contest, ranks in board.ranks.get(summary.position, ()):
            rows.setdefault(contest, bytearray()).extend(ranks)
    return {contest: bytes(data) for contest, data in rows.items()}


def _fold(
    summary: EntrySummary,
    passed: Sequence[str],
    failed: Sequence[tuple[str, str]],
    seen: dict[str, int],
    report: ReportBuilder,
) -> None:
    for number in passed:
        if number == "V11" and summary.ballot_id in seen:
            report.fail(
                "V11",
                f"entry {summary.sequence} repeats the ballot of entry {seen[summary.ballot_id]}",
            )
        else:
            report.ok(number)
    for number, message in failed:
        report.fail(number, message)
    seen.setdefault(summary.ballot_id, summary.sequence)


def _counted(summaries: Sequence[EntrySummary]) -> list[EntrySummary]:
    """The entries that count (spec/protocol.md#v12): those of 14.3 among the valid ones."""
    return last_per_credential((s for s in summaries if s.cast and s.valid), lambda s: s.credential)


def _stream_lines(path: Path, wanted: set[int]) -> Iterator[tuple[int, bytes]]:
    if not wanted:
        return
    with open_regular(path) as handle:
        for number, (line, _) in enumerate(bounded_lines(handle), start=1):
            if number in wanted:
                yield number, line.rstrip(b"\n")


def _subtract(
    sums: dict[tuple[str, str], Ciphertext], path: Path, superseded: set[int]
) -> dict[tuple[str, str], Ciphertext]:
    """Take re-voted ballots back out of the sums: ``superseded`` holds their line numbers
    (not their sequence numbers, which a damaged board may repeat or reorder); their lines
    were decoded once already and are read a second time."""
    totals = dict(sums)
    for number, line in _stream_lines(path, superseded):
        entry = decode_entry_line(number, line)
        for contest in entry.ballot.contests:
            for sel in contest.selections:
                key = (contest.contest_id, sel.option_id)
                totals[key] = totals[key] + Ciphertext(
                    alpha=-sel.ciphertext.alpha, beta=-sel.ciphertext.beta
                )
    return totals


def _contests(
    context: ElectionContext, totals: dict[tuple[str, str], Ciphertext]
) -> tuple[ContestTally, ...]:
    return tuple(
        ContestTally(
            contest_id=c.contest_id,
            option_ids=c.option_ids,
            ciphertexts=tuple(totals.get((c.contest_id, o), ZERO_CIPHERTEXT) for o in c.option_ids),
        )
        for c in context.manifest.contests
        if c.is_homomorphic
    )
