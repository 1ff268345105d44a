"""Benchmark of the cryptographic core: microseconds per operation.

Run: ``make bench`` or ``.venv/bin/python bench/core.py [--repeat N]``. Each figure is the
median over ``repeat`` timed runs; the last column compares it with the target of the
foundation issue (ratio < 1 means faster than the target).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable

from suffrage._native import Scalar, elements_from_bytes, encrypt_and_commit_batch, mul_base_batch
from suffrage.core import Element, PublicKey, SeededRandom, encrypt, multiscalar_mul_vartime
from suffrage.core.proofs import check_range, prove_range
from suffrage.core.randomness import OsRandom
from suffrage.protocol.ballot import encrypt_ballot
from verify import one_voter

TARGETS_US = {
    "fixed-base multiplication": 10.0,
    "variable-base multiplication": 30.0,
    "multiscalar per point, 16384 points": 5.0,
    "encrypt one ballot of the benchmark shape": 2000.0,
}


def median_us(run: Callable[[], object], ops: int, repeat: int) -> float:
    """Median microseconds per operation of ``run`` (which performs ``ops`` operations)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) / ops * 1e6)
    return statistics.median(samples)


def measure(repeat: int) -> list[tuple[str, float]]:
    rng = SeededRandom("bench")
    scalars = [rng.scalar() for _ in range(16384)]
    points = [Element.mul_base(s) for s in scalars[:16384]]
    point = points[1]
    rows = [
        (
            "fixed-base multiplication",
            median_us(lambda: [Element.mul_base(s) for s in scalars[:1000]], 1000, repeat),
        ),
        (
            "variable-base multiplication",
            median_us(lambda: [point * s for s in scalars[:1000]], 1000, repeat),
        ),
    ]
    table_key = PublicKey(element=point)
    rows.append(
        (
            "precomputed-table multiplication",
            median_us(lambda: [table_key.mul(s) for s in scalars[:1000]], 1000, repeat),
        )
    )
    for n in (64, 1024, 16384):
        rows.append(
            (
                f"multiscalar per point, {n} points",
                median_us(lambda n=n: multiscalar_mul_vartime(scalars[:n], points[:n]), n, repeat),
            )
        )
    for limit in (1, 5):
        rows.extend(range_rows(limit, rng, table_key, repeat))
    rows.extend(machine_rows(scalars[:300], points[:300], repeat))
    rows.extend(ballot_rows(repeat))
    return rows


def ballot_rows(repeat: int) -> list[tuple[str, float]]:
    """Encrypting one ballot of the benchmark shape (5 contests, 20 selections) with its 25
    range proofs and its signature, as a voter's device or ``bench/verify.py`` does, and the
    one kernel call that does all its multiplications but the signature's (171)."""
    rng = OsRandom()
    context, credential, choices = one_voter(rng)

    def encrypt_one() -> object:
        return encrypt_ballot(
            context, style_id="all", choices=choices, credential=credential, rng=rng
        )

    # The ballot's products: 20 encryptions, then 52 branches (27 of them simulated).
    nonces, bits = rng.scalars(20), [i % 2 for i in range(20)]
    bases = rng.scalars(52)
    shifts: list[Scalar | None] = [s if i % 2 else None for i, s in enumerate(rng.scalars(52))]
    shifts[0] = rng.scalar()
    table = context.joint_key.table
    return [
        ("encrypt one ballot of the benchmark shape", median_us(encrypt_one, 1, repeat * 10)),
        (
            "  of which its 171 multiplications",
            median_us(
                lambda: encrypt_and_commit_batch(table, nonces, bits, bases, shifts), 1, repeat * 10
            ),
        ),
    ]


def machine_rows(
    scalars: list[Scalar], points: list[Element], repeat: int
) -> list[tuple[str, float]]:
    """What bounds ballot encryption and verification on this machine at this moment: one
    strict decoding, and how much faster a batch spread over the cores is than one core
    (the vCPUs of a shared host do not always run side by side)."""
    encodings = b"".join(p.to_bytes() for p in points)
    one = [encodings[i : i + 32] for i in range(0, len(encodings), 32)]
    serial_mul = median_us(lambda: [Element.mul_base(s) for s in scalars], len(scalars), repeat)
    batch_mul = median_us(lambda: mul_base_batch(scalars), len(scalars), repeat)
    serial_dec = median_us(lambda: [Element.from_bytes(b) for b in one], len(one), repeat)
    batch_dec = median_us(lambda: elements_from_bytes(encodings), len(one), repeat)
    return [
        ("decoding one element (RFC 9496 strict)", serial_dec),
        ("fixed-base, batch of 300 on every core", batch_mul),
        ("decoding, batch of 300 on every core", batch_dec),
        ("speed-up of a batch on every core (x)", serial_mul / batch_mul),
    ]


def range_rows(
    limit: int, rng: SeededRandom, key: PublicKey, repeat: int
) -> list[tuple[str, float]]:
    nonce = rng.scalar()
    ct = encrypt(1, nonce, key)

    def prove() -> object:
        return prove_range(
            ciphertext=ct,
            value=1,
            nonce=nonce,
            key=key,
            limit=limit,
            context=b"bench",
            rng=rng,
            purpose="bench",
        )

    proof = prove()

    def check() -> None:
        check_range(
            proof,
            ciphertext=ct,
            key=key,
            limit=limit,
            context=b"bench",  # type: ignore[arg-type]
            purpose="bench",
        )

    return [
        (f"range proof R={limit}: create", median_us(prove, 1, repeat * 10)),
        (f"range proof R={limit}: check", median_us(check, 1, repeat * 10)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    print(
        f"suffrage core benchmark on {platform.machine()} {platform.python_version()}, "
        f"median of {args.repeat} runs"
    )
    print(f"{'operation':42} {'us/op':>10} {'target':>8} {'ratio':>7}")
    for name, us in measure(args.repeat):
        target = TARGETS_US.get(name)
        extra = f"{target:8.1f} {us / target:7.2f}" if target else ""
        print(f"{name:42} {us:10.2f} {extra}")


if __name__ == "__main__":
    main()
