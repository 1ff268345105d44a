"""Disjunctive range proof: a ciphertext encrypts one of ``0, 1, ..., R`` (spec/protocol.md#6.3).

Statement: ``(alpha, beta)`` under key ``K`` encrypts some ``v`` in ``0..R``, i.e. for some
``j``, ``alpha = r*G`` and ``beta - j*G = r*K``. It is an OR of ``R+1`` Chaum-Pedersen
statements (Cramer-Damgard-Schoenmakers). For the true branch ``v`` the prover commits
``a_v = w*G, b_v = w*K``; for every other branch it picks ``c_j, s_j`` and sets
``a_j = s_j*G - c_j*alpha``, ``b_j = s_j*K - c_j*(beta - j*G)``. The challenge
``c = H("range/" + purpose; context, K, R, alpha, beta, a_0..a_R, b_0..b_R)`` fixes
``c_v = c - sum_{j != v} c_j`` and ``s_v = w + c_v*r``.
Proof: all ``a_j, b_j, c_j, s_j``. Checks: ``sum_j c_j == c`` and, for every ``j``,
``s_j*G - a_j - c_j*alpha == O`` and ``s_j*K - b_j - c_j*beta + (j*c_j)*G == O``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from suffrage._native import Element, Scalar, mul_base_batch, mul_double_batch
from suffrage.core.elgamal import Ciphertext, PublicKey
from suffrage.core.group import GENERATOR, scalar_from_int
from suffrage.core.hashing import encode_int, field_prefix, tag_prefix
from suffrage.core.proofs.batch import Batch
from suffrage.core.proofs.equations import Equation, check_equations
from suffrage.core.randomness import RandomSource
from suffrage.errors import ProofRejected

__all__ = [
    "MAX_RANGE",
    "RangeClaim",
    "RangeProof",
    "check_range",
    "prove_range",
    "prove_ranges",
    "range_challenge_digest",
    "range_equations",
    "range_fold",
]

MAX_RANGE = 1024
"""The largest ``R`` a range proof may have: the proof has ``R + 1`` branches."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RangeProof:
    """Branch ``j`` of the proof is ``(commitments_g[j], commitments_k[j], challenges[j],
    responses[j])``; every tuple has ``R + 1`` entries."""

    commitments_g: tuple[Element, ...]
    commitments_k: tuple[Element, ...]
    challenges: tuple[Scalar, ...]
    responses: tuple[Scalar, ...]


def _challenge(
    ciphertext: Ciphertext,
    key: PublicKey,
    limit: int,
    a: tuple[Element, ...],
    b: tuple[Element, ...],
    *,
    context: bytes,
    purpose: str,
) -> Scalar:
    digest = range_challenge_digest(
        purpose=purpose,
        context=context,
        key=key.element.to_bytes(),
        limit=limit,
        alpha=ciphertext.alpha.to_bytes(),
        beta=ciphertext.beta.to_bytes(),
        commitments_g=b"".join(x.to_bytes() for x in a),
        commitments_k=b"".join(x.to_bytes() for x in b),
    )
    return Scalar.from_bytes_wide(digest)


def range_challenge_digest(
    *,
    purpose: str,
    context: bytes,
    key: bytes,
    limit: int,
    alpha: bytes,
    beta: bytes,
    commitments_g: bytes,
    commitments_k: bytes,
) -> bytes:
    """The 64-byte digest whose reduction is the challenge (spec/protocol.md#6.3), from the
    encodings: ``commitments_g`` and ``commitments_k`` are the branches' concatenated."""
    head, middle, on_g, on_k = _challenge_pieces(
        purpose, key, limit, (len(context), len(commitments_g), len(commitments_k))
    )
    return hashlib.sha512(
        b"".join(
            (head, context, middle, alpha, _BETA, beta, on_g, commitments_g, on_k, commitments_k)
        )
    ).digest()


@lru_cache(maxsize=256)
def _challenge_pieces(
    purpose: str, key: bytes, limit: int, sizes: tuple[int, int, int]
) -> tuple[bytes, bytes, bytes, bytes]:
    """The fixed pieces of a range transcript (a few dozen kinds in an election), joined;
    ``sizes`` are the lengths of the context and of the two lists of commitments."""
    context, on_g, on_k = sizes
    return (
        tag_prefix(f"range/{purpose}") + field_prefix("context", context),
        _KEY + key + _LIMIT + encode_int(limit) + _ALPHA,
        field_prefix("commitments_g", on_g),
        field_prefix("commitments_k", on_k),
    )


_KEY = field_prefix("key", 32)
_LIMIT = field_prefix("limit", 8)
_ALPHA = field_prefix("alpha", 32)
_BETA = field_prefix("beta", 32)


def _check_limit(limit: int) -> None:
    if not 0 <= limit <= MAX_RANGE:
        raise ValueError(f"range limit must be in 0..{MAX_RANGE}, got {limit}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RangeClaim:
    """What a prover knows for one range proof: the ciphertext, its value and its nonce."""

    ciphertext: Ciphertext
    value: int
    nonce: Scalar
    limit: int
    context: bytes
    purpose: str

    def __repr__(self) -> str:
        return f"RangeClaim(limit={self.limit}, purpose={self.purpose!r}, <secret>)"


@dataclass(slots=True)
class _Plan:
    claim: RangeClaim
    w: Scalar
    challenges: list[Scalar]
    responses: list[Scalar]


def prove_range(
    *,
    ciphertext: Ciphertext,
    value: int,
    nonce: Scalar,
    key: PublicKey,
    limit: int,
    context: bytes,
    rng: RandomSource,
    purpose: str,
) -> RangeProof:
    """Prove that ``ciphertext = encrypt(value, nonce, key)`` with ``0 <= value <= limit``."""
    claim = RangeClaim(
        ciphertext=ciphertext,
        value=value,
        nonce=nonce,
        limit=limit,
        context=context,
        purpose=purpose,
    )
    return prove_ranges([claim], key=key, rng=rng)[0]


def prove_ranges(
    claims: Sequence[RangeClaim], *, key: PublicKey, rng: RandomSource
) -> list[RangeProof]:
    """Prove many claims at once: the same proofs as :func:`prove_range` one after the other
    (the same random draws in the same order), with every multiplication of all of them done
    in two calls to the kernel, which spreads them over the cores.
    """
    # For a simulated branch j, A_j = s_j*G - c_j*alpha = (s_j - c_j*r)*G and
    # B_j = s_j*K - c_j*(beta - j*G) = (s_j - c_j*r)*K + c_j*(j - v)*G: the prover knows r
    # and v, so a simulated branch costs one multiplication on G and a double one on K and G
    # (the true branch, where j = v, uses w in place of s_j - c_j*r and has no G term). Every
    # proof of the same range costs the same; all of them are done in two kernel calls.
    for claim in claims:
        _check_limit(claim.limit)
        if not 0 <= claim.value <= claim.limit:
            raise ValueError("the value to prove is outside the range")
    draws = iter(rng.scalars(sum(2 * claim.limit + 3 for claim in claims)))
    plans: list[_Plan] = []
    bases: list[Scalar] = []
    shifts: list[Scalar | None] = []
    for claim in claims:
        plan = _Plan(claim, next(draws), [], [])
        for j in range(claim.limit + 1):
            c_j, s_j = next(draws), next(draws)  # drawn for every branch alike
            plan.challenges.append(c_j)
            plan.responses.append(s_j)
            if j == claim.value:
                bases.append(plan.w)
                shifts.append(None)
            else:
                bases.append(s_j - c_j * claim.nonce)
                shifts.append(c_j * scalar_from_int(j - claim.value))
        plans.append(plan)
    a_all = mul_base_batch(bases)
    b_all = mul_double_batch(key.table, bases, shifts)
    proofs, start = [], 0
    for plan in plans:
        end = start + plan.claim.limit + 1
        proofs.append(_finish(plan, tuple(a_all[start:end]), tuple(b_all[start:end]), key))
        start = end
    return proofs


def _finish(
    plan: _Plan, a: tuple[Element, ...], b: tuple[Element, ...], key: PublicKey
) -> RangeProof:
    claim = plan.claim
    c = _challenge(
        claim.ciphertext, key, claim.limit, a, b, context=claim.context, purpose=claim.purpose
    )
    others = Scalar.zero()
    for j, c_j in enumerate(plan.challenges):
        if j != claim.value:
            others = others + c_j
    challenges, responses = list(plan.challenges), list(plan.responses)
    challenges[claim.value] = c - others
    responses[claim.value] = plan.w + challenges[claim.value] * claim.nonce
    return RangeProof(
        commitments_g=a,
        commitments_k=b,
        challenges=tuple(challenges),
        responses=tuple(responses),
    )


def range_equations(
    proof: RangeProof,
    *,
    ciphertext: Ciphertext,
    key: PublicKey,
    limit: int,
    context: bytes,
    purpose: str,
) -> list[Equation]:
    """Check the challenge sum and return the ``2(R+1)`` equations that must hold."""
    _check_statement(
        proof, ciphertext=ciphertext, key=key, limit=limit, context=context, purpose=purpose
    )
    return [eq for j in range(limit + 1) for eq in _branch(proof, j, ciphertext, key)]


def range_fold(
    proof: RangeProof,
    *,
    ciphertext: Ciphertext,
    key: PublicKey,
    limit: int,
    context: bytes,
    purpose: str,
    batch: Batch,
) -> None:
    """Add the equations of :func:`range_equations` to ``batch``, merged per base."""
    _check_statement(
        proof, ciphertext=ciphertext, key=key, limit=limit, context=context, purpose=purpose
    )
    on_g = on_k = on_alpha = on_beta = Scalar.zero()
    for j in range(limit + 1):
        c_j, s_j = proof.challenges[j], proof.responses[j]
        z_1, z_2 = batch.weight(), batch.weight()
        on_g = on_g + z_1 * s_j
        if j:
            on_g = on_g + z_2 * c_j * scalar_from_int(j)
        on_k = on_k + z_2 * s_j
        on_alpha = on_alpha - z_1 * c_j
        on_beta = on_beta - z_2 * c_j
        batch.term(-z_1, proof.commitments_g[j])
        batch.term(-z_2, proof.commitments_k[j])
    batch.shared(GENERATOR, on_g)
    batch.shared(key.element, on_k)
    batch.term(on_alpha, ciphertext.alpha)
    batch.term(on_beta, ciphertext.beta)


def _check_statement(
    proof: RangeProof,
    *,
    ciphertext: Ciphertext,
    key: PublicKey,
    limit: int,
    context: bytes,
    purpose: str,
) -> None:
    """The checks of P3 that are not equations: branch count and challenge sum."""
    _check_limit(limit)
    check = f"range/{purpose}"
    sizes = {
        len(proof.commitments_g),
        len(proof.commitments_k),
        len(proof.challenges),
        len(proof.responses),
    }
    if sizes != {limit + 1}:
        raise ProofRejected(check, f"expected {limit + 1} branches for the range 0..{limit}")
    c = _challenge(
        ciphertext,
        key,
        limit,
        proof.commitments_g,
        proof.commitments_k,
        context=context,
        purpose=purpose,
    )
    total = Scalar.zero()
    for c_j in proof.challenges:
        total = total + c_j
    if total != c:
        raise ProofRejected(check, "the branch challenges do not add up to the challenge")


def _branch(proof: RangeProof, j: int, ct: Ciphertext, key: PublicKey) -> list[Equation]:
    c_j, s_j, minus_one = proof.challenges[j], proof.responses[j], -Scalar.one()
    return [
        Equation(
            name=f"branch {j}: s*G = a + c*alpha",
            scalars=(s_j, minus_one, -c_j),
            elements=(GENERATOR, proof.commitments_g[j], ct.alpha),
        ),
        Equation(
            name=f"branch {j}: s*K = b + c*(beta - {j}*G)",
            scalars=(s_j, minus_one, -c_j, c_j * scalar_from_int(j)),
            elements=(key.element, proof.commitments_k[j], ct.beta, GENERATOR),
        ),
    ]


def check_range(
    proof: RangeProof,
    *,
    ciphertext: Ciphertext,
    key: PublicKey,
    limit: int,
    context: bytes,
    purpose: str,
) -> None:
    """Raise :class:`~suffrage.errors.ProofRejected` unless ``proof`` verifies."""
    equations = range_equations(
        proof, ciphertext=ciphertext, key=key, limit=limit, context=context, purpose=purpose
    )
    check_equations(equations, check=f"range/{purpose}")
