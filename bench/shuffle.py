"""Benchmark of the proof of shuffle (spec/protocol.md#6.4) in the native kernel.

Run: ``.venv/bin/python bench/shuffle.py [--rows 100000] [--width 5] [--mixers 3]
[--one-core 1000,10000]``. It prints, per ElGamal ciphertext (a row of width 5 is five),
the time to shuffle and prove and the time to verify:

- on ONE core, for each size of ``--one-core`` (rows of ``--width``): each size is measured
  in a child process started with ``RAYON_NUM_THREADS=1``, so that the kernel's thread pool
  has one thread (the kernel reads no other setting);
- for a whole mix on every core: ``--rows`` rows through ``--mixers`` mixers, each shuffling
  the previous one's output, then the verification of every proof, with the peak resident
  memory of the process.

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

from suffrage._native import Element, encrypt_bits_batch
from suffrage.core.elgamal import PublicKey
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the whole mix")
    parser.add_argument("--width", type=int, default=5, help="ciphertexts a row")
    parser.add_argument("--mixers", type=int, default=3, help="mixers of the whole mix")
    parser.add_argument(
        "--one-core", default="1000,10000", help="row counts measured on one core ('' for none)"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        one_core_child(args.child, args.width)
        return
    print(f"Proof of shuffle (spec/protocol.md#6.4), target {TARGET_MS} ms/ciphertext each way")
    sizes = [int(size) for size in args.one_core.split(",") if size]
    if sizes:
        print_one_core(sizes, args.width)
    if args.rows > 0 and args.mixers > 0:
        whole_mix(args.rows, args.width, args.mixers)


if __name__ == "__main__":
    main()
