"""Benchmark of the proof of shuffle (spec/protocol.md#6.4) in the native kernel.

Run: ``.venv/bin/python bench/shuffle.py [--rows 100000] [--width 5] [--mixers 3]
[--one-core 1000,10000] [--decrypt 2000]``. It prints, per ElGamal ciphertext (a row of
width 5 is five), the time to shuffle and prove and the time to verify:

- on ONE core, for each size of ``--one-core`` (rows of ``--width``): each size is measured
  in a child process started with ``RAYON_NUM_THREADS=1``, so that the kernel's thread pool
  has one thread (the kernel reads no other setting);
- for a whole mix on every core: ``--rows`` rows through ``--mixers`` mixers, each shuffling
  the previous one's output, then the verification of every proof, with the peak resident
  memory of the process;
- the decryption of a last mix of ``--decrypt`` rows (spec/protocol.md#19.4) on ONE core, by
  the readable Python reference and by the kernel: a guardian's shares and their proof, the
  check of them (V25), and the combination of two guardians' shares (V26).

The targets of issue 17 (0.2 ms per ciphertext each way, one core) are printed beside the
figures. Making the input rows (encryptions of 0 and 1) is not timed. Numbers are printed,
never asserted: other processes on the machine change them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time

from suffrage._native import Element, Scalar, encrypt_bits_batch
from suffrage.core.elgamal import PublicKey
from suffrage.core.group import GENERATOR
from suffrage.core.mix_kernel import (
    combine_shares,
    combine_shares_reference,
    prove_parts,
    prove_parts_reference,
    shares_digest,
    weighted_sums,
    weighted_sums_reference,
)
from suffrage.core.polynomial import lagrange_coefficient
from suffrage.core.proofs import (
    ChaumPedersenStatement,
    check_chaum_pedersen,
    prove_chaum_pedersen,
)
from suffrage.core.randomness import OsRandom
from suffrage.core.shuffle_kernel import shuffle_and_prove, verify_shuffle

TARGET_MS = 0.2
"""Issue 17's target per ciphertext on one core, for shuffling and proving and for verifying."""
SEED = hashlib.sha512(b"suffrage bench shuffle generators").digest()
CONTEXT = hashlib.sha512(b"suffrage bench shuffle context").digest()
PURPOSE = "bench"
CHUNK = 50_000


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(who).ru_maxrss / 1024


def make_rows(rows: int, width: int, key: PublicKey) -> bytes:
    """``rows`` rows of ``width`` encryptions of 0 and 1, as bytes, in chunks of the kernel."""
    rng, parts = OsRandom(), []
    total = rows * width
    for start in range(0, total, CHUNK):
        size = min(CHUNK, total - start)
        bits = [(start + i) % 2 for i in range(size)]
        cts = encrypt_bits_batch(key.table, rng.scalars(size), bits)
        parts.append(b"".join(a.to_bytes() + b.to_bytes() for a, b in cts))
    return b"".join(parts)


def new_key() -> PublicKey:
    return PublicKey(element=Element.mul_base(OsRandom().scalar()))


def shuffle_once(rows: bytes, width: int, key: PublicKey) -> tuple[float, float]:
    """Seconds to shuffle and prove ``rows``, and to verify the proof."""
    start = time.perf_counter()
    outputs, proof = shuffle_and_prove(
        rows, width=width, key=key, seed=SEED, context=CONTEXT, purpose=PURPOSE, rng=OsRandom()
    )
    proved = time.perf_counter()
    verify_shuffle(
        proof,
        inputs=rows,
        outputs=outputs,
        width=width,
        key=key,
        seed=SEED,
        context=CONTEXT,
        purpose=PURPOSE,
    )
    return proved - start, time.perf_counter() - proved


def one_core_child(rows: int, width: int) -> None:
    """In the child process (one rayon thread): print the figures as one JSON line."""
    key = new_key()
    inputs = make_rows(rows, width, key)
    prove, verify = shuffle_once(inputs, width, key)
    count = rows * width
    figures = {"prove_ms": 1e3 * prove / count, "verify_ms": 1e3 * verify / count}
    print(json.dumps(figures | {"peak_mb": peak_mb()}))


def one_core(rows: int, width: int) -> dict[str, float]:
    env = os.environ | {"RAYON_NUM_THREADS": "1"}
    command = [sys.executable, __file__, "--child", str(rows), "--width", str(width)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


EGK_PUBLISHED_MS = {"prove_ms": 0.5, "verify_ms": 0.7}
"""egk-ec-mixnet on P-256, one thread, as its authors publish it (about 0.5 ms per ciphertext
to shuffle and prove, verification 30-50% slower): a reference, not measured here."""


def ratio(ms: float) -> str:
    verdict = "met" if ms <= TARGET_MS else "missed"
    return f"{ms / TARGET_MS:.2f} ({verdict})"


def print_one_core(sizes: list[int], width: int) -> None:
    print(f"\nOne core (RAYON_NUM_THREADS=1 in a child process), rows of width {width}:")
    print(f"{'rows':>8} {'operation':18} {'ms/ciphertext':>14} {'target':>7} {'ratio':>14}")
    for rows in sizes:
        figures = one_core(rows, width)
        for name, key in (("shuffle + prove", "prove_ms"), ("verify", "verify_ms")):
            ms = figures[key]
            print(f"{rows:>8,} {name:18} {ms:14.4f} {TARGET_MS:7.1f} {ratio(ms):>14}")
        print(f"{'':>8} {'peak memory':18} {figures['peak_mb']:11,.0f} MB")
        egk = ", ".join(
            f"{name} {EGK_PUBLISHED_MS[key] / figures[key]:.1f}x faster"
            for name, key in (("shuffle + prove", "prove_ms"), ("verify", "verify_ms"))
        )
        print(f"{'':>8} than egk-ec-mixnet's published figures (P-256, one thread): {egk}")


def whole_mix(rows: int, width: int, mixers: int) -> None:
    cores = len(os.sched_getaffinity(0))
    print(f"\nA whole mix: {rows:,} rows of width {width}, {mixers} mixers, {cores} cores:")
    key = new_key()
    start = time.perf_counter()
    lists = [make_rows(rows, width, key)]
    print(f"  made the input rows in {time.perf_counter() - start:.1f} s (not counted)")
    proofs = []
    count = rows * width
    prove_total = 0.0
    for mixer in range(mixers):
        start = time.perf_counter()
        outputs, proof = shuffle_and_prove(
            lists[-1],
            width=width,
            key=key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
            rng=OsRandom(),
        )
        took = time.perf_counter() - start
        prove_total += took
        lists.append(outputs)
        proofs.append(proof)
        print(
            f"  mixer {mixer + 1}: shuffle + prove {took:7.1f} s ({1e3 * took / count:.4f} ms/ct)"
        )
    start = time.perf_counter()
    for inputs, outputs, proof in zip(lists, lists[1:], proofs, strict=False):
        verify_shuffle(
            proof,
            inputs=inputs,
            outputs=outputs,
            width=width,
            key=key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )
    verify_total = time.perf_counter() - start
    per = mixers * count
    print(
        f"  all {mixers} shuffles + proofs {prove_total:7.1f} s ({1e3 * prove_total / per:.4f} "
        f"ms/ct on {cores} cores)"
    )
    print(
        f"  all {mixers} verifications   {verify_total:7.1f} s ({1e3 * verify_total / per:.4f} "
        f"ms/ct on {cores} cores)"
    )
    print(f"  peak memory {peak_mb():,.0f} MB")


DECRYPTION_WAYS = {
    "reference": (prove_parts_reference, weighted_sums_reference, combine_shares_reference),
    "kernel": (prove_parts, weighted_sums, combine_shares),
}
"""The two definitions of a last mix's decryption (spec #19.4): readable Python, as
``protocol.mixnet`` computed it before, and the kernel's batch calls, as it does now."""


DECRYPTION_RUNS = 3
"""Each figure of the decryption is the best of this many runs (the two ways alternate), so
that another process on the machine does not make one way look slower than it is."""


def statement(public: Element, sums: tuple[Element, Element]) -> ChaumPedersenStatement:
    return ChaumPedersenStatement(
        base_1=GENERATOR, public_1=public, base_2=sums[0], public_2=sums[1]
    )


def decryption_once(way: str, rows: bytes, width: int, secret: Scalar) -> dict[str, float]:
    """Milliseconds per ciphertext for one guardian's shares + proof, their check, and the
    combination of two guardians' shares (threshold 2), each by ``way`` (as
    ``protocol.mixnet``'s ``decrypt_mix``, ``check_mix_decryption`` and ``combine_mix`` do);
    ``rows`` are encryptions of 0 and 1 under ``secret * G``."""
    parts, sums, combine = DECRYPTION_WAYS[way]
    rng = OsRandom()
    slope = rng.scalar()
    key_shares = {x: secret + slope * Scalar.from_int(x) for x in (1, 2)}
    public = GENERATOR * key_shares[1]
    start = time.perf_counter()
    shares, *proven = parts(rows, key_shares[1], mix_digest=CONTEXT, guardian=1)
    proof = prove_chaum_pedersen(
        statement(public, (proven[0], proven[1])),
        secret=key_shares[1],
        context=CONTEXT,
        rng=rng,
        purpose=PURPOSE,
    )
    proved = time.perf_counter()
    checked_sums = sums(rows, shares, shares_digest(CONTEXT, 1, shares))
    check_chaum_pedersen(proof, statement(public, checked_sums), context=CONTEXT, purpose=PURPOSE)
    checked = time.perf_counter()
    other = prove_parts(rows, key_shares[2], mix_digest=CONTEXT, guardian=2)[0]
    weights = [lagrange_coefficient(i, [1, 2]) for i in (1, 2)]
    combining = time.perf_counter()
    values, failing = combine(rows, [shares, other], weights, width)
    combined = time.perf_counter()
    if failing is not None or len(values) != len(rows) // 64:
        raise SystemExit(f"{way}: the combination did not give back the values")
    per = 1e3 / (len(rows) // 64)
    return {
        "shares_ms": per * (proved - start),
        "check_ms": per * (checked - proved),
        "combine_ms": per * (combined - combining),
    }


def decryption_child(rows: int, width: int) -> None:
    """In the child process (one rayon thread): both ways' figures as one JSON line."""
    secret = OsRandom().scalar()
    inputs = make_rows(rows, width, PublicKey(element=GENERATOR * secret))
    runs = [
        {way: decryption_once(way, inputs, width, secret) for way in DECRYPTION_WAYS}
        for _ in range(DECRYPTION_RUNS)
    ]
    best = {
        way: {key: min(run[way][key] for run in runs) for key in runs[0][way]}
        for way in DECRYPTION_WAYS
    }
    print(json.dumps(best))


def print_decryption(rows: int, width: int) -> None:
    """A guardian's decryption of a last mix (spec #19.4), before and after the kernel."""
    env = os.environ | {"RAYON_NUM_THREADS": "1"}
    command = [sys.executable, __file__, "--decrypt-child", str(rows), "--width", str(width)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"\nDecryption of a last mix (spec #19.4), one core, {rows:,} rows of width {width}, "
        f"2 guardians, best of {DECRYPTION_RUNS}:"
    )
    print(f"{'operation':28} {'reference ms/ct':>16} {'kernel ms/ct':>13} {'speed-up':>9}")
    for name, key in (
        ("a guardian's shares + proof", "shares_ms"),
        ("check of the shares (V25)", "check_ms"),
        ("combination (V26)", "combine_ms"),
    ):
        before, after = figures["reference"][key], figures["kernel"][key]
        print(f"{name:28} {before:16.4f} {after:13.4f} {before / after:8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the whole mix")
    parser.add_argument("--width", type=int, default=5, help="ciphertexts a row")
    parser.add_argument("--mixers", type=int, default=3, help="mixers of the whole mix")
    parser.add_argument(
        "--one-core", default="1000,10000", help="row counts measured on one core ('' for none)"
    )
    parser.add_argument(
        "--decrypt", type=int, default=2_000, help="rows of the decryption figures (0 for none)"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--decrypt-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        one_core_child(args.child, args.width)
        return
    if args.decrypt_child is not None:
        decryption_child(args.decrypt_child, args.width)
        return
    print(f"Proof of shuffle (spec/protocol.md#6.4), target {TARGET_MS} ms/ciphertext each way")
    sizes = [int(size) for size in args.one_core.split(",") if size]
    if sizes:
        print_one_core(sizes, args.width)
    if args.decrypt > 0:
        print_decryption(args.decrypt, args.width)
    if args.rows > 0 and args.mixers > 0:
        whole_mix(args.rows, args.width, args.mixers)


if __name__ == "__main__":
    main()
