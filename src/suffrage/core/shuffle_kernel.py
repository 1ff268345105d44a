"""The kernel's proof of shuffle (spec/protocol.md#6.4, check P4): how the layers above reach
``shuffle_prove`` and ``shuffle_verify`` of the native kernel, which only ``core`` imports.

Rows travel as bytes, ``N*w*64`` of them (row by row, ciphertext by ciphertext, ``alpha``
then ``beta``), so that a mix of 100,000 ballots never becomes a million Python objects; a
proof travels as :class:`~suffrage.core.proofs.shuffle.RawShuffleProof`. The prover's
multiplications by secrets are fixed-base or constant-time multiscalar multiplications; the
verifier decodes everything strictly and checks the ``2w + N + 3`` equations with random
weights in one multiscalar multiplication (spec section 7), both with the GIL released and
the work spread over the cores. This is the fast one of the two definitions of P4; the
readable reference is :mod:`suffrage.core.proofs.shuffle`, and a differential test holds the
two to the same proofs, byte for byte, and the same verdicts.
"""

from __future__ import annotations

from suffrage._native import NativeDecodeError, shuffle_prove, shuffle_verify
from suffrage.core.elgamal import PublicKey
from suffrage.core.proofs.shuffle import RawShuffleProof, shuffle_draws
from suffrage.core.randomness import OsRandom, RandomSource
from suffrage.errors import InvalidEncoding, InvalidInput, ProofRejected

__all__ = [
    "CIPHERTEXT_BYTES",
    "DRAW_BYTES",
    "WEIGHT_SEED_BYTES",
    "row_count",
    "shuffle_and_prove",
    "verify_shuffle",
]

CIPHERTEXT_BYTES = 64
"""A ciphertext in a list of rows: the encodings of ``alpha`` and ``beta``."""

WEIGHT_SEED_BYTES = 32
"""The verifier's weights (128 bits each) are derived in the kernel from this many bytes of
the caller's random source, unpredictable to the prover (spec/protocol.md#7)."""

DRAW_BYTES = 64
"""Each of the prover's draws is 64 bytes reduced as a wide scalar (spec/protocol.md#2.2)."""


def row_count(rows: bytes, width: int, *, field: str) -> int:
    """The number of rows of ``width`` ciphertexts in ``rows``, refusing anything else."""
    size = CIPHERTEXT_BYTES * width
    if width < 1:
        raise InvalidInput("width", f"expected at least 1 ciphertext a row, got {width}")
    if not rows or len(rows) % size:
        reason = f"has {len(rows)} bytes, expected a positive multiple of {size}"
        raise InvalidInput(field, f"{reason} (rows of {width} ciphertexts of 64 bytes)")
    return len(rows) // size


def _refusal(error: NativeDecodeError) -> InvalidInput:
    """The kernel's refusal (``field: reason``) as the project's error naming the field;
    a value of the proof is an encoding of the record (``InvalidEncoding``)."""
    field, _, reason = str(error).partition(": ")
    if field.startswith("proof"):
        return InvalidEncoding(field, reason)
    return InvalidInput(field, reason)


def shuffle_and_prove(
    rows: bytes,
    *,
    width: int,
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
    rng: RandomSource,
) -> tuple[bytes, RawShuffleProof]:
    """Shuffle ``rows`` under ``key`` and prove it (spec/protocol.md#6.4): the output rows
    and the proof. The draws are ``rng.token`` of 64 bytes each, in the spec's order, so
    that :class:`~suffrage.core.randomness.SeededRandom` gives the reference's proof."""
    count = row_count(rows, width, field="rows")
    randomness = rng.token(DRAW_BYTES * shuffle_draws(count, width))
    try:
        outputs, fields = shuffle_prove(
            rows,
            width=width,
            key=key.element,
            seed=seed,
            context=context,
            purpose=purpose,
            randomness=randomness,
        )
    except NativeDecodeError as exc:
        raise _refusal(exc) from None
    return outputs, RawShuffleProof(*fields)


def verify_shuffle(
    proof: RawShuffleProof,
    *,
    inputs: bytes,
    outputs: bytes,
    width: int,
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
    rng: RandomSource | None = None,
) -> None:
    """Check P4: raise :class:`~suffrage.errors.ProofRejected` naming the first equation
    that does not hold, as the reference does, or :class:`~suffrage.errors.InvalidInput`
    naming a value of the wrong length or encoding (``outputs row 3 ciphertext 1 beta``).
    ``rng`` (the operating system's when None) draws the seed of the batch's weights."""
    row_count(inputs, width, field="inputs")
    weight_seed = (rng or OsRandom()).token(WEIGHT_SEED_BYTES)
    try:
        failing = shuffle_verify(
            tuple(proof),
            inputs=inputs,
            outputs=outputs,
            width=width,
            key=key.element,
            seed=seed,
            context=context,
            purpose=purpose,
            weight_seed=weight_seed,
        )
    except NativeDecodeError as exc:
        raise _refusal(exc) from None
    if failing is not None:
        raise ProofRejected(f"shuffle/{purpose}", f"verification equation {failing} does not hold")
