"""Benchmark of verification at scale: ballots per second and peak memory.

Run: ``.venv/bin/python bench/verify.py --ballots 100000 [--workers 2] [--record DIR]``.
It makes (or reuses) a record of N ballots of the ElectionGuard comparison shape (5 contests,
20 selections: 1-of-5, 1-of-4, 2-of-5, 2-of-4, 1-of-2; 3 guardians, 2 needed, one absent),
encrypting them on every core, then times ``verify_record`` in one process and on a local
Dask cluster, and prints ballots per second and the peak resident memory of the verifying
processes. Making the record is not timed as verification.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from suffrage.core.elgamal import ZERO_CIPHERTEXT, Ciphertext
from suffrage.core.randomness import OsRandom
from suffrage.protocol.ballot import encrypt_ballot
from suffrage.protocol.board import BoardEntry, EntryState, chain_start, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, generate_credential
from suffrage.protocol.manifest import Manifest, parse_manifest
from suffrage.protocol.tally import ContestTally, Tally, compute_partial_decryption
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.codec import entry_from_json, entry_to_json
from suffrage.record.files import write_entries
from suffrage.service.distributed import dask_chunk_mapper
from suffrage.service.election import key_ceremony
from suffrage.service.publish import publish_counts
from suffrage.verify.record import verify_record

SHAPE = [(5, 1), (4, 1), (5, 2), (4, 2), (2, 1)]


def shape_manifest() -> Manifest:
    def option(i: int, j: int) -> dict[str, Any]:
        return {"option_id": f"o{i}-{j}", "name": {"en": f"Option {i}-{j}"}}

    return parse_manifest(
        {
            "spec_version": "suffrage/manifest/1",
            "election_id": "bench-shape",
            "title": {"en": "Benchmark shape"},
            "start": "2026-01-01T08:00:00Z",
            "end": "2026-01-01T20:00:00Z",
            "languages": ["en"],
            "contests": [
                {
                    "contest_id": f"c{i}",
                    "kind": "plurality",
                    "title": {"en": f"Contest {i}"},
                    "votes_allowed": k,
                    "seats": k,
                    "options": [option(i, j) for j in range(n)],
                }
                for i, (n, k) in enumerate(SHAPE)
            ],
            "ballot_styles": [
                {
                    "style_id": "all",
                    "districts": ["all"],
                    "contest_ids": [f"c{i}" for i in range(len(SHAPE))],
                }
            ],
        }
    )


_CONTEXT: ElectionContext | None = None


def _init(context: ElectionContext) -> None:
    global _CONTEXT  # noqa: PLW0603 - one context per worker process
    _CONTEXT = context


def _encrypt(codes: list[str]) -> list[bytes]:
    assert _CONTEXT is not None
    rng, out = OsRandom(), []
    for code in codes:
        credential = Credential.from_code(code, election_id="bench-shape")
        pick = rng.token(len(SHAPE))
        choices = {
            f"c{i}": [1 if (j - pick[i]) % n < k else 0 for j in range(n)]
            for i, (n, k) in enumerate(SHAPE)
        }
        ballot, _ = encrypt_ballot(
            _CONTEXT, style_id="all", choices=choices, credential=credential, rng=rng
        )
        out.append(
            canonical_bytes(
                entry_to_json(
                    BoardEntry(
                        sequence=0, state=EntryState.CAST, ballot=ballot, tracking_code=bytes(64)
                    )
                )
            )
        )
    return out


@dataclass(slots=True)
class _Totals:
    """What the streamed board leaves behind: the sum per option and the last code."""

    head: bytes
    sums: dict[tuple[str, str], Ciphertext] = field(default_factory=dict)


def _entries(context: ElectionContext, codes: list[str], totals: _Totals) -> Iterator[BoardEntry]:
    """The board, chained, as the encrypting processes deliver it; sums the ciphertexts."""
    previous, sequence, sums = totals.head, 0, totals.sums
    batches = [codes[i : i + 500] for i in range(0, len(codes), 500)]
    with ProcessPoolExecutor(os.cpu_count(), initializer=_init, initargs=(context,)) as pool:
        for batch in pool.map(_encrypt, batches):
            for line in batch:
                ballot = entry_from_json(parse_canonical(line, field="entry"), "entry").ballot
                sequence += 1
                previous = tracking_code(
                    context,
                    previous=previous,
                    sequence=sequence,
                    state=EntryState.CAST,
                    ballot=ballot,
                )
                for contest in ballot.contests:
                    for sel in contest.selections:
                        key = (contest.contest_id, sel.option_id)
                        sums[key] = sums.get(key, ZERO_CIPHERTEXT) + sel.ciphertext
                totals.head = previous
                yield BoardEntry(
                    sequence=sequence,
                    state=EntryState.CAST,
                    ballot=ballot,
                    tracking_code=previous,
                )


def make_record(directory: Path, ballots: int) -> None:
    """A record of ``ballots`` valid cast ballots, tallied and decrypted, made in streaming
    fashion: no more than a batch of ballots is held in memory at once."""
    rng = OsRandom()
    manifest = shape_manifest()
    secrets, shares, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    codes = [generate_credential(rng) for _ in range(ballots)]
    keys = [Credential.from_code(c, election_id="bench-shape").public for c in codes]
    context = make_context(
        manifest=manifest, threshold=2, guardians=[s.public for s in secrets], credential_keys=keys
    )
    directory.mkdir(parents=True, exist_ok=True)
    totals = _Totals(head=chain_start(context))
    write_entries(directory / "ballots.jsonl", _entries(context, codes, totals))
    tally = Tally(
        entries=ballots,
        counted=ballots,
        board_head=totals.head,
        contests=tuple(
            ContestTally(
                contest_id=c.contest_id,
                option_ids=c.option_ids,
                ciphertexts=tuple(totals.sums[(c.contest_id, o)] for o in c.option_ids),
            )
            for c in manifest.contests
        ),
    )
    partials = [
        compute_partial_decryption(context, tally, guardian=i, key_share=shares[i], rng=rng)
        for i in (1, 3)
    ]
    publish_counts(
        directory,
        context=context,
        tally=tally,
        partials=partials,
        counted_sequences=range(1, ballots + 1),
        ballots={c.contest_id: ballots for c in manifest.contests},
        entries=None,
    )


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--record", type=Path, default=None)
    parser.add_argument("--skip-single", action="store_true")
    args = parser.parse_args()
    record = args.record or Path(f"bench/.records/shape-{args.ballots}")
    if not (record / "results.json").exists():
        start = time.perf_counter()
        make_record(record, args.ballots)
        print(f"made a record of {args.ballots} ballots in {time.perf_counter() - start:.0f} s")
    print(f"record: {record} ({sum(f.stat().st_size for f in record.iterdir()) / 2**20:.0f} MiB)")
    if not args.skip_single:
        start = time.perf_counter()
        report = verify_record(record)
        elapsed = time.perf_counter() - start
        print(
            f"one process:        {elapsed:8.1f} s  {args.ballots / elapsed:8.0f} ballots/s  "
            f"passed={report.passed}  peak {peak_mb(resource.RUSAGE_SELF):.0f} MB"
        )
    start = time.perf_counter()
    with dask_chunk_mapper(record, workers=args.workers) as on_dask:
        ready = time.perf_counter()
        report = verify_record(record, map_chunks=on_dask)
        done = time.perf_counter()
    print(
        f"dask, {args.workers} workers:   {done - ready:8.1f} s  "
        f"{args.ballots / (done - ready):8.0f} ballots/s  passed={report.passed}  "
        f"(cluster start {ready - start:.1f} s; peak: main {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB)"
    )


if __name__ == "__main__":
    main()
