"""Chaum-Pedersen proof of equal discrete logarithms (spec/protocol.md#6.2).

Statement: ``X = x * G_1`` and ``Y = x * G_2`` for public ``G_1, X, G_2, Y``; the prover
knows ``x``. Prover: ``a = w * G_1``, ``b = w * G_2``,
``c = H("chaum-pedersen/" + purpose; context, G_1, X, G_2, Y, a, b)``, ``s = w + c * x``.
Proof: ``(a, b, s)``. Checks: ``s*G_1 - a - c*X == O`` and ``s*G_2 - b - c*Y == O``.
Guardians prove their partial decryptions this way (``G_2`` = alpha, ``Y`` = share).
"""

from __future__ import annotations

from dataclasses import dataclass

from suffrage._native import Element, Scalar
from suffrage.core.hashing import Transcript
from suffrage.core.proofs.equations import Equation, check_equations
from suffrage.core.randomness import RandomSource

__all__ = [
    "ChaumPedersenProof",
    "ChaumPedersenStatement",
    "chaum_pedersen_equations",
    "check_chaum_pedersen",
    "prove_chaum_pedersen",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChaumPedersenStatement:
    """``public_1 = x * base_1`` and ``public_2 = x * base_2``."""

    base_1: Element
    public_1: Element
    base_2: Element
    public_2: Element


@dataclass(frozen=True, slots=True, kw_only=True)
class ChaumPedersenProof:
    """A Chaum-Pedersen proof ``(a, b, s)``."""

    commitment_1: Element
    commitment_2: Element
    response: Scalar


def _challenge(
    statement: ChaumPedersenStatement, a: Element, b: Element, *, context: bytes, purpose: str
) -> Scalar:
    return (
        Transcript(f"chaum-pedersen/{purpose}")
        .append("context", context)
        .element("base_1", statement.base_1)
        .element("public_1", statement.public_1)
        .element("base_2", statement.base_2)
        .element("public_2", statement.public_2)
        .element("commitment_1", a)
        .element("commitment_2", b)
        .challenge()
    )


def prove_chaum_pedersen(
    statement: ChaumPedersenStatement,
    *,
    secret: Scalar,
    context: bytes,
    rng: RandomSource,
    purpose: str,
) -> ChaumPedersenProof:
    """Prove that ``statement`` holds for ``secret``."""
    nonce = rng.scalar()
    a = statement.base_1 * nonce
    b = statement.base_2 * nonce
    challenge = _challenge(statement, a, b, context=context, purpose=purpose)
    return ChaumPedersenProof(commitment_1=a, commitment_2=b, response=nonce + challenge * secret)


def chaum_pedersen_equations(
    proof: ChaumPedersenProof, statement: ChaumPedersenStatement, *, context: bytes, purpose: str
) -> list[Equation]:
    """What must hold for ``proof`` to verify (two equations)."""
    c = _challenge(
        statement, proof.commitment_1, proof.commitment_2, context=context, purpose=purpose
    )
    minus_one = -Scalar.one()
    return [
        Equation(
            name="s*base_1 = a + c*public_1",
            scalars=(proof.response, minus_one, -c),
            elements=(statement.base_1, proof.commitment_1, statement.public_1),
        ),
        Equation(
            name="s*base_2 = b + c*public_2",
            scalars=(proof.response, minus_one, -c),
            elements=(statement.base_2, proof.commitment_2, statement.public_2),
        ),
    ]


def check_chaum_pedersen(
    proof: ChaumPedersenProof, statement: ChaumPedersenStatement, *, context: bytes, purpose: str
) -> None:
    """Raise :class:`~suffrage.errors.ProofRejected` unless ``proof`` verifies."""
    equations = chaum_pedersen_equations(proof, statement, context=context, purpose=purpose)
    check_equations(equations, check=f"chaum-pedersen/{purpose}")
