"""Proof of shuffle for rows of ElGamal ciphertexts (Terelius-Wikstroem; spec/protocol.md#6.4).

A shuffle re-encrypts ``N`` rows of ``w`` ciphertexts and permutes them: output row ``i`` is
input row ``pi(i)`` plus an encryption of zero. The proof commits to the permutation matrix
(``c_j = r_j*G + H_{1+i}`` for ``pi(i) = j``), shows that the commitment opens to a
permutation of the challenge vector ``u`` (a chain of commitments to the partial products),
and that ``sum_i u'_i*E'_i - sum_j u_j*E_j`` encrypts zero. The generators ``H_0..H_N`` are
derived from a public seed, never read from a record: generators whose discrete logarithms
someone knows (the Swiss Post trapdoor of 2019) would let that someone prove a non-shuffle.
Every challenge binds the whole statement (the weak Fiat-Shamir findings of Haines, Lewis,
Pereira and Teague, 2020).

This is the readable reference, one equation at a time, for reading and for tests (a few
hundred rows); ``suffrage.core.shuffle_kernel`` is the fast path and gives the same proofs
byte for byte. Its multiplications are the kernel's constant-time ones, but Python indexes
lists by the secret permutation: do not use it to mix a real election. The proof's data
and the statement's hashes are in :mod:`suffrage.core.proofs.shuffle_statement`, re-exported
here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from suffrage._native import Element, Scalar
from suffrage.core.elgamal import Ciphertext, PublicKey
from suffrage.core.group import GENERATOR
from suffrage.core.proofs.equations import Equation, check_equations
from suffrage.core.proofs.shuffle_statement import (
    SEED_BYTES,
    RawShuffleProof,
    Row,
    ShuffleProof,
    shuffle_challenge_transcript,
    shuffle_draws,
    shuffle_exponents,
    shuffle_generators,
    shuffle_shape,
    shuffle_statement_digest,
)
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput

__all__ = [
    "SEED_BYTES",
    "RawShuffleProof",
    "ShuffleProof",
    "check_shuffle",
    "prove_known_shuffle",
    "prove_shuffle",
    "shuffle_challenge_transcript",
    "shuffle_draws",
    "shuffle_equations",
    "shuffle_exponents",
    "shuffle_generators",
    "shuffle_shape",
    "shuffle_statement_digest",
]

# --- The prover ----------------------------------------------------------------------------


def prove_shuffle(
    rows: Sequence[Row],
    *,
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
    rng: RandomSource,
) -> tuple[list[tuple[Ciphertext, ...]], list[int], ShuffleProof]:
    """Shuffle ``rows`` and prove it: the output rows, the permutation (output ``i`` is
    input ``permutation[i]`` re-encrypted) and the proof. Draws in the spec's order."""
    count, width = shuffle_shape(rows, "inputs")
    permutation = list(range(count))
    for i in range(count - 1, 0, -1):  # Fisher-Yates, one scalar per swap
        j = rng.scalar().to_int() % (i + 1)
        permutation[i], permutation[j] = permutation[j], permutation[i]
    nonces = [[rng.scalar() for _ in range(width)] for _ in range(count)]
    outputs = [
        tuple(_reencrypt(ct, rho, key) for ct, rho in zip(rows[p], row, strict=True))
        for p, row in zip(permutation, nonces, strict=True)
    ]
    proof = prove_known_shuffle(
        rows,
        outputs,
        permutation=permutation,
        nonces=nonces,
        key=key,
        seed=seed,
        context=context,
        purpose=purpose,
        rng=rng,
    )
    return outputs, permutation, proof


def _reencrypt(ct: Ciphertext, rho: Scalar, key: PublicKey) -> Ciphertext:
    return Ciphertext(alpha=ct.alpha + Element.mul_base(rho), beta=ct.beta + key.mul(rho))


def prove_known_shuffle(
    inputs: Sequence[Row],
    outputs: Sequence[Row],
    *,
    permutation: Sequence[int],
    nonces: Sequence[Sequence[Scalar]],
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
    rng: RandomSource,
) -> ShuffleProof:
    """The proof for ``outputs`` made from ``inputs`` with ``permutation`` and ``nonces``
    (steps 1-6 of the prover, drawing ``r``, ``rh`` and the ``o``'s). Honest only if the
    outputs are what the permutation and nonces say: the tests run it on dishonest ones."""
    count, width = shuffle_shape(inputs, "inputs")
    generators = shuffle_generators(seed, count)
    draws = _Draws.take(rng, count, width)
    inverse = {j: i for i, j in enumerate(permutation)}
    commitment = [Element.mul_base(draws.r[j]) + generators[1 + inverse[j]] for j in range(count)]
    d = shuffle_statement_digest(
        context=context,
        purpose=purpose,
        key=key,
        seed=seed,
        generators=generators,
        width=width,
        inputs=inputs,
        outputs=outputs,
        permutation_commitment=commitment,
    )
    u = shuffle_exponents(d, purpose=purpose, rows=count)
    u_out = [u[permutation[i]] for i in range(count)]
    chain = _chain(u_out, draws.rh, generators[0])
    t = _commit(draws, outputs, chain, generators, key)
    c = shuffle_challenge_transcript(d, purpose=purpose, chain=chain, **t._asdict()).challenge()
    s = _respond(draws, c, u=u, u_out=u_out, nonces=nonces)
    return ShuffleProof(
        permutation_commitment=tuple(commitment), chain=tuple(chain), **t._asdict(), **s
    )


@dataclass(frozen=True, slots=True)
class _Draws:
    """The prover's secret scalars after the permutation and the nonces, in draw order."""

    r: list[Scalar]
    rh: list[Scalar]
    o1: Scalar
    o2: Scalar
    o3: Scalar
    o4: list[Scalar]
    oh: list[Scalar]
    op: list[Scalar]

    @classmethod
    def take(cls, rng: RandomSource, count: int, width: int) -> _Draws:
        r, rh = rng.scalars(count), rng.scalars(count)
        o1, o2, o3 = rng.scalars(3)
        o4, oh, op = rng.scalars(width), rng.scalars(count), rng.scalars(count)
        return cls(r, rh, o1, o2, o3, o4, oh, op)

    def __repr__(self) -> str:
        return "_Draws(<secret>)"


class _Commitments(NamedTuple):
    t1: Element
    t2: Element
    t3: Element
    t4: tuple[Ciphertext, ...]
    t_hat: tuple[Element, ...]


def _chain(u_out: Sequence[Scalar], rh: Sequence[Scalar], h: Element) -> list[Element]:
    """Step 3: ``C_i = rh_i*G + u'_i*C_{i-1}`` from ``C_{-1} = H``."""
    chain, previous = [], h
    for u_i, rh_i in zip(u_out, rh, strict=True):
        previous = Element.mul_base(rh_i) + u_i * previous
        chain.append(previous)
    return chain


def _commit(
    draws: _Draws,
    outputs: Sequence[Row],
    chain: Sequence[Element],
    generators: Sequence[Element],
    key: PublicKey,
) -> _Commitments:
    """Step 4: ``t_1``, ``t_2``, ``t_3``, ``t_{4,k}`` and ``th_i``."""
    op, before = draws.op, [generators[0], *chain[:-1]]
    t3 = _sum(
        [Element.mul_base(draws.o3), *(o * h for o, h in zip(op, generators[1:], strict=True))]
    )
    t4 = tuple(
        Ciphertext(
            alpha=_sum([o * row[k].alpha for o, row in zip(op, outputs, strict=True)])
            - Element.mul_base(o4_k),
            beta=_sum([o * row[k].beta for o, row in zip(op, outputs, strict=True)])
            - key.mul(o4_k),
        )
        for k, o4_k in enumerate(draws.o4)
    )
    t_hat = tuple(
        Element.mul_base(oh_i) + op_i * c_before
        for oh_i, op_i, c_before in zip(draws.oh, op, before, strict=True)
    )
    return _Commitments(Element.mul_base(draws.o1), Element.mul_base(draws.o2), t3, t4, t_hat)


def _respond(
    draws: _Draws,
    c: Scalar,
    *,
    u: Sequence[Scalar],
    u_out: Sequence[Scalar],
    nonces: Sequence[Sequence[Scalar]],
) -> dict[str, Any]:
    """Step 6: the responses, from ``rbar``, ``rhat``, ``rtil`` and ``r'_k``."""
    count = len(u)
    v = [Scalar.one()] * count
    for i in range(count - 1, 0, -1):
        v[i - 1] = u_out[i] * v[i]
    rbar, rhat, rtil = _dot([Scalar.one()] * count, draws.r), _dot(draws.rh, v), _dot(draws.r, u)
    r_prime = [_dot([row[k] for row in nonces], u_out) for k in range(len(draws.o4))]
    return {
        "s1": draws.o1 + c * rbar,
        "s2": draws.o2 + c * rhat,
        "s3": draws.o3 + c * rtil,
        "s4": tuple(o + c * x for o, x in zip(draws.o4, r_prime, strict=True)),
        "s_hat": tuple(o + c * x for o, x in zip(draws.oh, draws.rh, strict=True)),
        "s_prime": tuple(o + c * x for o, x in zip(draws.op, u_out, strict=True)),
    }


def _sum(elements: Sequence[Element]) -> Element:
    total = elements[0]
    for element in elements[1:]:
        total = total + element
    return total


def _dot(a: Sequence[Scalar], b: Sequence[Scalar]) -> Scalar:
    total = Scalar.zero()
    for x, y in zip(a, b, strict=True):
        total = total + x * y
    return total


# --- The checker ---------------------------------------------------------------------------


def _check_lengths(proof: ShuffleProof, rows: int, width: int) -> None:
    for field, expected in (
        ("permutation_commitment", rows),
        ("chain", rows),
        ("t4", width),
        ("t_hat", rows),
        ("s4", width),
        ("s_hat", rows),
        ("s_prime", rows),
    ):
        got = len(getattr(proof, field))
        if got != expected:
            raise InvalidInput(f"proof.{field}", f"has {got} entries, expected {expected}")


def shuffle_equations(
    proof: ShuffleProof,
    *,
    inputs: Sequence[Row],
    outputs: Sequence[Row],
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
    generators: Sequence[Element] | None = None,
) -> list[Equation]:
    """Recompute ``d``, ``u`` and ``c`` and return the ``2w + N + 3`` equations of P4 in the
    spec's order. ``generators`` None derives them from ``seed``, as P4 requires; other
    generators are for the tests that show why (the Swiss Post trapdoor)."""
    count, width = shuffle_shape(inputs, "inputs")
    if shuffle_shape(outputs, "outputs") != (count, width):
        raise InvalidInput("outputs", f"expected {count} rows of {width} ciphertexts")
    _check_lengths(proof, count, width)
    if generators is None:
        generators = shuffle_generators(seed, count)
    d = shuffle_statement_digest(
        context=context,
        purpose=purpose,
        key=key,
        seed=seed,
        generators=generators,
        width=width,
        inputs=inputs,
        outputs=outputs,
        permutation_commitment=proof.permutation_commitment,
    )
    u = shuffle_exponents(d, purpose=purpose, rows=count)
    c = shuffle_challenge_transcript(
        d,
        purpose=purpose,
        chain=proof.chain,
        t1=proof.t1,
        t2=proof.t2,
        t3=proof.t3,
        t4=proof.t4,
        t_hat=proof.t_hat,
    ).challenge()
    return [
        *_permutation_equations(proof, u, c, generators),
        *_reencryption_equations(proof, u, c, inputs, outputs, key=key),
        *_chain_equations(proof, c, generators[0]),
    ]


def _permutation_equations(
    proof: ShuffleProof, u: list[Scalar], c: Scalar, generators: Sequence[Element]
) -> list[Equation]:
    """(1), (2) and (3): the committed matrix's rows add up to one, and it maps ``u`` to a
    vector with the same product that the commitment opens to."""
    h, hs, one, cs = (
        generators[0],
        tuple(generators[1:]),
        Scalar.one(),
        proof.permutation_commitment,
    )
    n = len(cs)
    product = one
    for u_j in u:
        product = product * u_j
    return [
        Equation(
            name="(1)",
            scalars=(proof.s1, -one, *[-c] * n, *[c] * n),
            elements=(GENERATOR, proof.t1, *cs, *hs),
        ),
        Equation(
            name="(2)",
            scalars=(proof.s2, -one, -c, c * product),
            elements=(GENERATOR, proof.t2, proof.chain[-1], h),
        ),
        Equation(
            name="(3)",
            scalars=(proof.s3, *proof.s_prime, -one, *[-(c * u_j) for u_j in u]),
            elements=(GENERATOR, *hs, proof.t3, *cs),
        ),
    ]


def _reencryption_equations(
    proof: ShuffleProof,
    u: list[Scalar],
    c: Scalar,
    inputs: Sequence[Row],
    outputs: Sequence[Row],
    *,
    key: PublicKey,
) -> list[Equation]:
    """(4), for each column ``k``: ``sum_i s'_i*E'_{i,k}`` and ``sum_j u_j*E_{j,k}`` differ
    by an encryption of zero, alpha then beta."""
    one, cu = Scalar.one(), [-(c * u_j) for u_j in u]
    equations = []
    for k, t in enumerate(proof.t4):
        for part, base, commitment in (
            ("alpha", GENERATOR, t.alpha),
            ("beta", key.element, t.beta),
        ):
            equations.append(
                Equation(
                    name=f"(4) column {k}",
                    scalars=(*proof.s_prime, -proof.s4[k], -one, *cu),
                    elements=(
                        *(getattr(row[k], part) for row in outputs),
                        base,
                        commitment,
                        *(getattr(row[k], part) for row in inputs),
                    ),
                )
            )
    return equations


def _chain_equations(proof: ShuffleProof, c: Scalar, h: Element) -> list[Equation]:
    """(5), for each row ``i``: the chain ``C_i = rh_i*G + u'_i*C_{i-1}`` is well formed."""
    before = (h, *proof.chain[:-1])
    return [
        Equation(
            name=f"(5) at row {i}",
            scalars=(proof.s_hat[i], proof.s_prime[i], -Scalar.one(), -c),
            elements=(GENERATOR, before[i], proof.t_hat[i], proof.chain[i]),
        )
        for i in range(len(proof.chain))
    ]


def check_shuffle(
    proof: ShuffleProof,
    *,
    inputs: Sequence[Row],
    outputs: Sequence[Row],
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
) -> None:
    """Check P4: raise :class:`~suffrage.errors.ProofRejected` naming the first equation
    that does not hold (``InvalidInput`` for a malformed statement or proof)."""
    equations = shuffle_equations(
        proof,
        inputs=inputs,
        outputs=outputs,
        key=key,
        seed=seed,
        context=context,
        purpose=purpose,
    )
    check_equations(equations, check=f"shuffle/{purpose}")
