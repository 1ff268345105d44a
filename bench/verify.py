"""Benchmark of verification at scale: ballots per second and peak memory.

Run: ``.venv/bin/python bench/verify.py --ballots 100000 [--workers 2] [--record DIR]
[--baseline REV]``. It makes (or reuses) a record of N ballots of the ElectionGuard comparison
shape (5 contests, 20 selections: 1-of-5, 1-of-4, 2-of-5, 2-of-4, 1-of-2; 3 guardians, 2
needed, one absent), encrypting them on every core, then times ``verify_record`` in one
process and on a local Dask cluster, and prints ballots per second, the peak resident memory
of the verifying processes and the record's size per ballot. It also times the board's check
of one ballot at casting (what bounds the server's throughput). Making the record is not
timed as verification.

With ``--baseline REV`` the same record is also verified, in one process, by the code of git
revision REV (checked out with ``git worktree`` under ``~/.cache/suffrage/baseline/`` and
built there, its own kernel included), and the ratio is printed: "today's code" side by
side with this one.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage._native import Element
from suffrage.core.elgamal import ZERO_CIPHERTEXT, Ciphertext
from suffrage.core.randomness import OsRandom
from suffrage.protocol.ballot import ballot_digest, encrypt_ballot
from suffrage.protocol.ballot_check import check_ballot
from suffrage.protocol.board import BoardEntry, EntryState, chain_start, tracking_code_raw
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import Manifest, parse_manifest
from suffrage.protocol.tally import ContestTally, Tally, compute_partial_decryption, time_text
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import entry_from_json, entry_to_json
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
_PLACEHOLDER = b'"sequence":0,"state":"cast","tracking_code":"' + b"0" * 128 + b'"}'


def _init(context: ElectionContext) -> None:
    global _CONTEXT  # noqa: PLW0603 - one context per worker process
    _CONTEXT = context


@dataclass(slots=True)
class _Encrypted:
    """A batch of ballots from a worker: each line without its place in the chain, what the
    chain needs of each (digest, signature), and the batch's sum per option."""

    lines: list[tuple[bytes, bytes, bytes]]
    sums: dict[tuple[str, str], tuple[bytes, bytes]]


def _encrypt(codes: list[str]) -> _Encrypted:
    assert _CONTEXT is not None
    rng, lines = OsRandom(), []
    sums: dict[tuple[str, str], Ciphertext] = {}
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
        entry = BoardEntry(
            sequence=0, state=EntryState.CAST, ballot=ballot, tracking_code=bytes(64)
        )
        line = canonical_bytes(entry_to_json(entry))
        assert line.endswith(_PLACEHOLDER)
        signature = ballot.signature.commitment.to_bytes() + ballot.signature.response.to_bytes()
        lines.append((line[: -len(_PLACEHOLDER)], ballot_digest(_CONTEXT, ballot), signature))
        for contest in ballot.contests:
            for sel in contest.selections:
                key = (contest.contest_id, sel.option_id)
                sums[key] = sums.get(key, ZERO_CIPHERTEXT) + sel.ciphertext
    packed = {k: (ct.alpha.to_bytes(), ct.beta.to_bytes()) for k, ct in sums.items()}
    return _Encrypted(lines, packed)


def _write_board(path: Path, context: ElectionContext, codes: list[str]) -> tuple[bytes, dict]:
    """Encrypt on every core and write ballots.jsonl in order, chaining the tracking codes
    in this process; returns the last code and the sum per option."""
    previous, sequence = chain_start(context), 0
    sums: dict[tuple[str, str], Ciphertext] = {}
    batches = [codes[i : i + 250] for i in range(0, len(codes), 250)]
    with (
        ProcessPoolExecutor(os.cpu_count(), initializer=_init, initargs=(context,)) as pool,
        path.open("wb") as out,
    ):
        for batch in pool.map(_encrypt, batches):
            for prefix, digest, signature in batch.lines:
                sequence += 1
                previous = tracking_code_raw(
                    previous=previous,
                    sequence=sequence,
                    state=EntryState.CAST,
                    digest=digest,
                    signature=signature,
                )
                place = f'"sequence":{sequence},"state":"cast","tracking_code":"{previous.hex()}"}}'
                out.write(prefix + place.encode() + b"\n")
            for key, (alpha, beta) in batch.sums.items():
                part = Ciphertext(alpha=Element.from_bytes(alpha), beta=Element.from_bytes(beta))
                sums[key] = sums.get(key, ZERO_CIPHERTEXT) + part
    return previous, sums


def make_record(directory: Path, ballots: int) -> None:
    """A record of ``ballots`` valid cast ballots, tallied and decrypted, made in streaming
    fashion: no more than a few batches of ballots are held in memory at once."""
    rng = OsRandom()
    manifest = shape_manifest()
    secrets, shares, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    codes = [generate_credential(rng) for _ in range(ballots)]
    keys = [
        CredentialKey(Credential.from_code(c, election_id="bench-shape").public, "all")
        for c in codes
    ]
    context = make_context(
        manifest=manifest, threshold=2, guardians=[s.public for s in secrets], credentials=keys
    )
    directory.mkdir(parents=True, exist_ok=True)
    head, sums = _write_board(directory / "ballots.jsonl", context, codes)
    tally = Tally(
        entries=ballots,
        counted=ballots,
        board_head=head,
        closed_at=time_text(manifest.end_time),
        contests=tuple(
            ContestTally(
                contest_id=c.contest_id,
                option_ids=c.option_ids,
                ciphertexts=tuple(sums[(c.contest_id, o)] for o in c.option_ids),
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


class _Progress:
    """Prints how far a long run has come, every 100,000 entries."""

    def __init__(self, label: str) -> None:
        self.label, self.done, self.start = label, 0, time.perf_counter()

    def __call__(self, entries: int) -> None:
        before, self.done = self.done, self.done + entries
        if before // 100_000 != self.done // 100_000:
            elapsed = time.perf_counter() - self.start
            print(
                f"  {self.label}: {self.done} entries in {elapsed:.0f} s "
                f"({self.done / elapsed:.0f}/s), peak {peak_mb(resource.RUSAGE_SELF):.0f} MB",
                flush=True,
            )


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def one_voter(rng: OsRandom) -> tuple[ElectionContext, Credential, dict[str, list[int]]]:
    """An election of the benchmark shape with one listed voter, and that voter's choices:
    the first ``k`` options of each vote-for-``k`` contest."""
    manifest = shape_manifest()
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    credential = Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(credential.public, "all")],
    )
    choices = {f"c{i}": [1 if j < k else 0 for j in range(n)] for i, (n, k) in enumerate(SHAPE)}
    return context, credential, choices


def casting_check(runs: int = 300) -> None:
    """The board's check of one ballot of the benchmark shape at casting, as the server runs
    it: ``check_ballot`` with a random source (the kernel's batch of one), then, for the
    whole cast's share of it, decoding the ballot's JSON strictly as well."""
    rng = OsRandom()
    context, credential, choices = one_voter(rng)
    ballot, _ = encrypt_ballot(
        context, style_id="all", choices=choices, credential=credential, rng=rng
    )
    entry = BoardEntry(sequence=1, state=EntryState.CAST, ballot=ballot, tracking_code=bytes(64))
    document = entry_to_json(entry)

    def median_ms(job: Any) -> float:
        job()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            job()
            times.append(time.perf_counter() - start)
        return 1000 * statistics.median(times)

    check = median_ms(lambda: check_ballot(context, ballot, rng=rng))
    both = median_ms(
        lambda: check_ballot(context, entry_from_json(document, "entry").ballot, rng=rng)
    )
    print(
        f"board's check of one ballot at casting: {check:.2f} ms (median of {runs}); "
        f"with the strict decoding of its JSON: {both:.2f} ms"
    )


_BASELINE_RUN = """
import sys, time, resource
from pathlib import Path
from suffrage.verify.record import verify_record
start = time.perf_counter()
report = verify_record(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
print(elapsed, report.passed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def baseline_tree(revision: str) -> Path:
    """A checkout of ``revision`` with its own kernel built (once), outside the working tree
    (so that no linter or test run of this one reads it)."""
    tree = Path.home() / ".cache" / "suffrage" / "baseline" / revision
    kernel = tree / "src" / "suffrage" / "_native.abi3.so"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), revision], check=True)
    if not kernel.exists():
        maturin = Path(sys.executable).parent / "maturin"
        subprocess.run([str(maturin), "build", "--release", "--out", "dist"], cwd=tree, check=True)
        wheel = max((tree / "dist").glob("*.whl"), key=lambda p: p.stat().st_mtime)
        with zipfile.ZipFile(wheel) as archive:
            kernel.write_bytes(archive.read("suffrage/_native.abi3.so"))
    return tree


def verify_with(tree: Path, record: Path) -> tuple[float, bool, float]:
    """Seconds, passed and peak MB of ``verify_record`` in one process with ``tree``'s code."""
    out = subprocess.run(
        [sys.executable, "-c", _BASELINE_RUN, str(record)],
        env={**os.environ, "PYTHONPATH": str(tree / "src")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), out[1] == "True", float(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--record", type=Path, default=None)
    parser.add_argument("--skip-single", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--baseline", default=None, help="a git revision to compare with")
    args = parser.parse_args()
    casting_check()
    record = args.record or Path(f"bench/.records/shape-{args.ballots}")
    if not (record / "results.json").exists():
        start = time.perf_counter()
        make_record(record, args.ballots)
        print(f"made a record of {args.ballots} ballots in {time.perf_counter() - start:.0f} s")
    size = sum(f.stat().st_size for f in record.iterdir())
    board = (record / "ballots.jsonl").stat().st_size
    print(
        f"record: {record} ({size / 2**20:.0f} MiB; ballots.jsonl "
        f"{board / args.ballots / 1000:.1f} kB per ballot)"
    )
    elapsed = None
    if not args.skip_single:
        start = time.perf_counter()
        report = verify_record(record, progress=_Progress("one process"))
        elapsed = time.perf_counter() - start
        print(
            f"one process:        {elapsed:8.1f} s  {args.ballots / elapsed:8.0f} ballots/s  "
            f"passed={report.passed}  peak {peak_mb(resource.RUSAGE_SELF):.0f} MB"
        )
    if args.baseline:
        seconds, passed, peak = verify_with(baseline_tree(args.baseline), record)
        ratio = f"  ratio {seconds / elapsed:.2f}x" if elapsed else ""
        print(
            f"{args.baseline[:12]}, one process: {seconds:8.1f} s  "
            f"{args.ballots / seconds:8.0f} ballots/s  passed={passed}  peak {peak:.0f} MB{ratio}"
        )
    if args.skip_dask:
        return
    start = time.perf_counter()
    with dask_chunk_mapper(record, workers=args.workers) as on_dask:
        ready = time.perf_counter()
        report = verify_record(record, map_chunks=on_dask, progress=_Progress("dask"))
        done = time.perf_counter()
    print(
        f"dask, {args.workers} workers:   {done - ready:8.1f} s  "
        f"{args.ballots / (done - ready):8.0f} ballots/s  passed={report.passed}  "
        f"(cluster start {ready - start:.1f} s; peak: main {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB)"
    )


if __name__ == "__main__":
    main()
