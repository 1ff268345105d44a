"""Suffrage side of the side-by-side benchmark (run by compare_electionguard.py).

Usage: ``suffrage_runner.py SPEC.json OUT.json`` with Suffrage's interpreter (Python 3.11 and
the native kernel). SPEC gives the contests, the voters' choices, the runs wanted and the time
budget per operation; OUT receives the timings. Every result is checked, so a broken run fails.

"verify record" is :func:`suffrage.verify.record.verify_record` on the directory that
:func:`suffrage.record.files.write_record` wrote: checks V1 to V17 (strict decoding; manifest,
guardian proofs, joint key, credentials and base hash; every ballot's style, signature,
selection and limit proofs, batched by default; the tracking-code chain; one counted ballot
per credential; the tally against the ballots; every decryption proof; the Lagrange
combination; the results).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from itertools import count
from pathlib import Path
from typing import Any

from suffrage._native import Scalar
from suffrage.core.dlog import DiscreteLog
from suffrage.core.randomness import OsRandom
from suffrage.protocol.ballot import EncryptedBallot, encrypt_ballot
from suffrage.protocol.ballot_check import check_ballot
from suffrage.protocol.board import BoardEntry, counted_entries
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import Manifest, parse_manifest
from suffrage.protocol.results import compute_results
from suffrage.protocol.tally import (
    PartialDecryption,
    Tally,
    check_partial_decryption,
    combine_decryptions,
    compute_partial_decryption,
    compute_tally,
)
from suffrage.record.files import write_record
from suffrage.service.election import key_ceremony
from suffrage.storage.board import BulletinBoard
from suffrage.verify.record import verify_record

GUARDIANS, THRESHOLD, PRESENT = 3, 2, (1, 3)
STYLE = "style-1"
RNG = OsRandom()


def measure(operation: Callable[[], object], runs: int, budget: float) -> dict[str, Any]:
    """One untimed warm-up run, then ``runs`` timed runs (fewer if they would pass budget)."""
    start = time.perf_counter()
    operation()
    warmup = time.perf_counter() - start
    planned = runs if warmup * runs <= budget else max(3, min(runs, int(budget // warmup)))
    times = []
    for _ in range(planned):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    print(f"  {len(times)} runs, median {statistics.median(times):.4f} s", file=sys.stderr)
    return {"times": times, "requested": runs, "warmup": warmup}


def build_manifest(contests: list[dict[str, Any]]) -> Manifest:
    """The benchmark's manifest: plurality contests, English only, one ballot style."""
    return parse_manifest(
        {
            "spec_version": "suffrage/manifest/1",
            "election_id": "bench-side-by-side",
            "title": {"en": "Side-by-side benchmark"},
            "start": "2025-05-04T08:00:00+02:00",
            "end": "2025-05-04T20:00:00+02:00",
            "languages": ["en"],
            "contests": [
                {
                    "contest_id": c["id"],
                    "kind": "plurality",
                    "votes_allowed": c["votes_allowed"],
                    "seats": c["votes_allowed"],
                    "title": {"en": c["id"]},
                    "options": [
                        {"option_id": f"{c['id']}-option-{i}", "name": {"en": f"Option {i}"}}
                        for i in range(c["options"])
                    ],
                }
                for c in contests
            ],
            "ballot_styles": [
                {
                    "style_id": STYLE,
                    "districts": ["district-1"],
                    "contest_ids": [c["id"] for c in contests],
                }
            ],
        }
    )


def choices(manifest: Manifest, choice: list[list[int]]) -> dict[str, list[int]]:
    return {c.contest_id: v for c, v in zip(manifest.contests, choice, strict=True)}


def expected_counts(manifest: Manifest, votes: list[list[list[int]]]) -> dict[str, tuple[int, ...]]:
    return {
        c.contest_id: tuple(sum(col) for col in zip(*rows, strict=True))
        for c, rows in zip(manifest.contests, zip(*votes, strict=True), strict=True)
    }


def count_votes(
    context: ElectionContext, entries: list[BoardEntry], head: bytes, key_shares: dict[int, Scalar]
) -> tuple[Tally, list[PartialDecryption], Mapping[str, tuple[int, ...]]]:
    """Tally, guardians 1 and 3 decrypt (2 absent), their proofs checked, then combined."""
    tally = compute_tally(context, entries, head)
    partials = [
        compute_partial_decryption(context, tally, guardian=i, key_share=key_shares[i], rng=RNG)
        for i in PRESENT
    ]
    for partial in partials:
        check_partial_decryption(context, tally, partial)
    return (
        tally,
        partials,
        combine_decryptions(context, tally, partials, DiscreteLog(tally.counted)),
    )


def run(spec: dict[str, Any]) -> dict[str, Any]:
    runs, big_runs, budget, votes = spec["runs"], spec["big_runs"], spec["budget"], spec["votes"]
    manifest = build_manifest(spec["contests"])
    out: dict[str, Any] = {}
    ceremony = lambda: key_ceremony(manifest, guardians=GUARDIANS, threshold=THRESHOLD, rng=RNG)  # noqa: E731
    out["key_ceremony"] = measure(ceremony, runs, budget)
    secrets, key_shares, _ = ceremony()
    creds = [
        Credential.from_code(generate_credential(RNG), election_id=manifest.election_id)
        for _ in votes
    ]
    context = make_context(
        manifest=manifest,
        threshold=THRESHOLD,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(c.public, STYLE) for c in creds],
    )
    numbers = count()

    def encrypt_one() -> EncryptedBallot:
        n = next(numbers)
        ballot, _ = encrypt_ballot(
            context,
            style_id=STYLE,
            choices=choices(manifest, votes[n % len(votes)]),
            credential=creds[n % len(creds)],
            rng=RNG,
        )
        return ballot

    out["encrypt_ballot"] = measure(encrypt_one, runs, budget)
    one = encrypt_one()
    out["verify_ballot"] = measure(lambda: check_ballot(context, one), runs, budget)
    out["verify_ballot_batched"] = measure(
        lambda: check_ballot(context, one, rng=RNG), runs, budget
    )
    board = BulletinBoard(context)
    for credential, choice in zip(creds, votes, strict=True):
        ballot, _ = encrypt_ballot(
            context,
            style_id=STYLE,
            choices=choices(manifest, choice),
            credential=credential,
            rng=RNG,
        )
        board.cast(ballot, at=manifest.start_time)
    entries, head = list(board.entries()), board.head()
    expected = expected_counts(manifest, votes)

    def tally_decrypt() -> tuple[Tally, list[PartialDecryption], Mapping[str, tuple[int, ...]]]:
        result = count_votes(context, entries, head, key_shares)
        if dict(result[2]) != expected:
            raise AssertionError(f"decrypted {dict(result[2])}, cast {expected}")
        return result

    out["tally_decrypt"] = measure(tally_decrypt, big_runs, budget)
    tally, partials, counts = tally_decrypt()
    counted = counted_entries(entries)
    results = compute_results(
        context, counts, {c.contest_id: len(counted) for c in manifest.contests}
    )
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "record"
        write_record(
            directory,
            context=context,
            entries=entries,
            tally=tally,
            counted_sequences=[e.sequence for e in counted],
            partials=partials,
            counts={
                t.contest_id: dict(zip(t.option_ids, counts[t.contest_id], strict=True))
                for t in tally.contests
            },
            results=results,
        )

        def verify() -> None:
            report = verify_record(directory)
            if not report.passed:
                raise AssertionError(f"the record fails checks {report.failed_checks()}")

        out["verify_record"] = measure(verify, big_runs, budget)
    return out


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    operations = run(spec)
    summary = {
        "system": "Suffrage",
        "python": sys.version.split()[0],
        "operations": operations,
        "medians": {k: statistics.median(v["times"]) for k, v in operations.items()},
    }
    Path(sys.argv[2]).write_text(json.dumps(summary, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
