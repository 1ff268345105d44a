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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from suffrage._native import Element, Scalar, encrypt_and_commit_batch, range_challenges
from suffrage.core.elgamal import Ciphertext, PublicKey
from suffrage.core.group import GENERATOR, scalar_from_int
from suffrage.core.hashing import Transcript
from suffrage.core.proofs.equations import Equation, check_equations
from suffrage.core.randomness import RandomSource
from suffrage.errors import ProofRejected

__all__ = [
    "MAX_RANGE",
    "RangeClaim",
    "RangeDraws",
    "RangeProof",
    "RangeWitness",
    "check_range",
    "draw_ranges",
    "encrypt_and_commit",
    "finish_ranges",
    "prove_range",
    "prove_ranges",
    "range_challenge_digest",
    "range_equations",
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
    return (
        Transcript(f"range/{purpose}")
        .append("context", context)
        .append("key", key)
        .integer("limit", limit)
        .append("alpha", alpha)
        .append("beta", beta)
        .append("commitments_g", commitments_g)
        .append("commitments_k", commitments_k)
        .digest()
    )


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


class RangeWitness(NamedTuple):
    """What a prover knows of one range proof before its ciphertext exists: the value, its
    nonce and the limit ``R``; enough to draw the proof's scalars and derive its commitments."""

    value: int
    nonce: Scalar
    limit: int

    def __repr__(self) -> str:
        return f"RangeWitness(limit={self.limit}, <secret>)"


@dataclass(slots=True)
class _Plan:
    witness: RangeWitness
    w: Scalar
    challenges: list[Scalar]
    responses: list[Scalar]


@dataclass(frozen=True, slots=True)
class RangeDraws:
    """The prover's draws for many range proofs and the scalars of their commitments.

    Branch ``i`` of all the proofs' branches in a row commits ``bases[i]*G`` and
    ``bases[i]*K + shifts[i]*G`` (no G term where the shift is None): one kernel call computes
    them all, alone (:func:`prove_ranges`) or with a ballot's encryptions
    (:func:`encrypt_and_commit`), since they depend on the draws and nonces only.
    """

    plans: tuple[_Plan, ...]
    bases: list[Scalar]
    shifts: list[Scalar | None]

    def __repr__(self) -> str:
        return f"RangeDraws({len(self.plans)} proofs, <secret>)"


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
    in one call to the kernel, which spreads them over the cores.
    """
    drawn = draw_ranges([RangeWitness(c.value, c.nonce, c.limit) for c in claims], rng)
    _, on_g, on_k = encrypt_and_commit_batch(key.table, [], [], drawn.bases, drawn.shifts)
    return finish_ranges(claims, drawn, on_g, on_k, key)


def draw_ranges(witnesses: Sequence[RangeWitness], rng: RandomSource) -> RangeDraws:
    """Draw every scalar of the proofs of ``witnesses``, in order (spec/protocol.md#13.4: per
    proof ``w``, then ``c_j, s_j`` for every branch ``j``), and derive their commitments'."""
    # For a simulated branch j, A_j = s_j*G - c_j*alpha = (s_j - c_j*r)*G and
    # B_j = s_j*K - c_j*(beta - j*G) = (s_j - c_j*r)*K + c_j*(j - v)*G: the prover knows r
    # and v, so a simulated branch costs one multiplication on G and a double one on K and G
    # (the true branch, where j = v, uses w in place of s_j - c_j*r and has no G term). Every
    # proof of the same range costs the same.
    for witness in witnesses:
        _check_limit(witness.limit)
        if not 0 <= witness.value <= witness.limit:
            raise ValueError("the value to prove is outside the range")
    draws = iter(rng.scalars(sum(2 * witness.limit + 3 for witness in witnesses)))
    plans: list[_Plan] = []
    bases: list[Scalar] = []
    shifts: list[Scalar | None] = []
    for witness in witnesses:
        plan = _Plan(witness, next(draws), [], [])
        for j in range(witness.limit + 1):
            c_j, s_j = next(draws), next(draws)  # drawn for every branch alike
            plan.challenges.append(c_j)
            plan.responses.append(s_j)
            if j == witness.value:
                bases.append(plan.w)
                shifts.append(None)
            else:
                bases.append(s_j - c_j * witness.nonce)
                shifts.append(c_j * scalar_from_int(j - witness.value))
        plans.append(plan)
    return RangeDraws(tuple(plans), bases, shifts)


def encrypt_and_commit(
    bits: Sequence[int], nonces: Sequence[Scalar], drawn: RangeDraws, key: PublicKey
) -> tuple[list[Ciphertext], list[Element], list[Element]]:
    """:func:`~suffrage.core.elgamal.encrypt_bits` of ``bits`` with ``nonces`` and the
    commitments of ``drawn`` (on G, on K), in one kernel call constant time in all of them:
    a ballot's multiplications (but its signature's) balanced over the cores as one batch."""
    if any(v not in (0, 1) for v in bits):
        raise ValueError("encrypt_and_commit encrypts the values 0 and 1 only")
    pairs, on_g, on_k = encrypt_and_commit_batch(
        key.table, nonces, list(bits), drawn.bases, drawn.shifts
    )
    return [Ciphertext(alpha=alpha, beta=beta) for alpha, beta in pairs], on_g, on_k


def finish_ranges(
    claims: Sequence[RangeClaim],
    drawn: RangeDraws,
    commitments_g: Sequence[Element],
    commitments_k: Sequence[Element],
    key: PublicKey,
) -> list[RangeProof]:
    """The proofs of ``claims`` (the witnesses of ``drawn``, with their ciphertexts and
    contexts), from the commitments computed from ``drawn``, all branches in a row."""
    if len(claims) != len(drawn.plans) or len(commitments_g) != len(drawn.bases):
        raise ValueError("one claim per witness drawn and one commitment per branch")
    commitments, statements, start = [], [], 0
    for claim, plan in zip(claims, drawn.plans, strict=True):
        if (claim.value, claim.limit) != (plan.witness.value, plan.witness.limit):
            raise ValueError("the claims are not the witnesses drawn")
        end = start + claim.limit + 1
        a, b = tuple(commitments_g[start:end]), tuple(commitments_k[start:end])
        commitments.append((a, b))
        statements.append(
            (
                claim.purpose.encode(),
                claim.context,
                claim.limit,
                claim.ciphertext.alpha.to_bytes(),
                claim.ciphertext.beta.to_bytes(),
                b"".join(x.to_bytes() for x in a),
                b"".join(x.to_bytes() for x in b),
            )
        )
        start = end
    # Every challenge in one kernel call (the kernel's definition of the transcript, which
    # the tests hold to range_challenge_digest's).
    challenges = range_challenges(key.element, statements)
    return [
        _finish(claim, plan, a, b, c)
        for claim, plan, (a, b), c in zip(claims, drawn.plans, commitments, challenges, strict=True)
    ]


def _finish(
    claim: RangeClaim, plan: _Plan, a: tuple[Element, ...], b: tuple[Element, ...], c: Scalar
) -> RangeProof:
    """Fix the true branch's challenge and response from the challenge ``c``."""
    others = Scalar.zero()
    for j, c_j in enumerate(plan.challenges):
        if j != claim.value:
            others = others + c_j
    challenges, responses = list(plan.challenges), list(plan.responses)
    challenges[claim.value] = c - others
    responses[claim.value] = plan.w + challenges[claim.value] * plan.witness.nonce
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
