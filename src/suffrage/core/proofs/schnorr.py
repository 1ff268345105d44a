"""Schnorr proof of knowledge of a discrete logarithm (spec/protocol.md#6.1).

Statement: ``X = x * B`` for a public base ``B`` and public ``X``; the prover knows ``x``.
Prover: ``R = w * B``, ``c = H("schnorr/" + purpose; context, B, X, R, message)``,
``s = w + c * x``. Proof: ``(R, s)``. Check: ``s * B - R - c * X == O``. With a message,
the same proof is a Schnorr signature on it (credentials sign their ballots this way).
"""

from __future__ import annotations

from dataclasses import dataclass

from suffrage._native import Element, Scalar
from suffrage.core.group import GENERATOR
from suffrage.core.hashing import Transcript
from suffrage.core.proofs.equations import Equation, check_equations
from suffrage.core.randomness import RandomSource

__all__ = [
    "SchnorrProof",
    "check_schnorr",
    "prove_schnorr",
    "schnorr_challenge",
    "schnorr_challenge_digest",
    "schnorr_equations",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SchnorrProof:
    """A Schnorr proof ``(commitment R, response s)``."""

    commitment: Element
    response: Scalar


def schnorr_challenge(
    *,
    purpose: str,
    context: bytes,
    base: Element,
    public: Element,
    commitment: Element,
    message: bytes,
) -> Scalar:
    """The challenge of spec/protocol.md#6.1: it binds the whole statement and the context."""
    digest = schnorr_challenge_digest(
        purpose=purpose,
        context=context,
        base=base.to_bytes(),
        public=public.to_bytes(),
        commitment=commitment.to_bytes(),
        message=message,
    )
    return Scalar.from_bytes_wide(digest)


def schnorr_challenge_digest(
    *,
    purpose: str,
    context: bytes,
    base: bytes,
    public: bytes,
    commitment: bytes,
    message: bytes,
) -> bytes:
    """The 64-byte digest whose reduction is :func:`schnorr_challenge`, from the encodings."""
    return (
        Transcript(f"schnorr/{purpose}")
        .append("context", context)
        .append("base", base)
        .append("public", public)
        .append("commitment", commitment)
        .append("message", message)
        .digest()
    )


def prove_schnorr(
    *,
    secret: Scalar,
    public: Element,
    context: bytes,
    rng: RandomSource,
    purpose: str,
    message: bytes = b"",
    base: Element = GENERATOR,
) -> SchnorrProof:
    """Prove knowledge of ``secret`` with ``public == secret * base``."""
    nonce = rng.scalar()
    commitment = Element.mul_base(nonce) if base == GENERATOR else base * nonce
    challenge = schnorr_challenge(
        purpose=purpose,
        context=context,
        base=base,
        public=public,
        commitment=commitment,
        message=message,
    )
    return SchnorrProof(commitment=commitment, response=nonce + challenge * secret)


def schnorr_equations(
    proof: SchnorrProof,
    *,
    public: Element,
    context: bytes,
    purpose: str,
    message: bytes = b"",
    base: Element = GENERATOR,
) -> list[Equation]:
    """What must hold for ``proof`` to verify: ``s*B - R - c*X == O``."""
    challenge = schnorr_challenge(
        purpose=purpose,
        context=context,
        base=base,
        public=public,
        commitment=proof.commitment,
        message=message,
    )
    minus_one = -Scalar.one()
    return [
        Equation(
            name="s*B = R + c*X",
            scalars=(proof.response, minus_one, -challenge),
            elements=(base, proof.commitment, public),
        )
    ]


def check_schnorr(
    proof: SchnorrProof,
    *,
    public: Element,
    context: bytes,
    purpose: str,
    message: bytes = b"",
    base: Element = GENERATOR,
) -> None:
    """Raise :class:`~suffrage.errors.ProofRejected` unless ``proof`` verifies."""
    equations = schnorr_equations(
        proof, public=public, context=context, purpose=purpose, message=message, base=base
    )
    check_equations(equations, check=f"schnorr/{purpose}")
