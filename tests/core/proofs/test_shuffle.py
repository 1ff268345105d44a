"""Proof of shuffle (check P4, spec/protocol.md#6.4): completeness, soundness against altered
statements and proofs, and the known attacks of issue 17 (point 5) as regression tests.

Every check runs on the readable reference (``check_shuffle``) and on the native kernel's
``verify_shuffle`` (``suffrage.core.shuffle_kernel``), which must give the same verdicts and
the same reasons.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.core import (
    Ciphertext,
    Element,
    PublicKey,
    Scalar,
    SeededRandom,
    encrypt,
    scalar_from_int,
)
from suffrage.core.elgamal import decrypt_to_element
from suffrage.core.proofs import (
    RawShuffleProof,
    ShuffleProof,
    check_shuffle,
    equation_holds,
    prove_known_shuffle,
    prove_shuffle,
    shuffle_challenge_transcript,
    shuffle_draws,
    shuffle_equations,
    shuffle_exponents,
    shuffle_generators,
    shuffle_statement_digest,
)
from suffrage.core.proofs import shuffle as shuffle_module
from suffrage.errors import InvalidEncoding, InvalidInput, ProofRejected

from ..strategies import nonzero_scalars

Rows = list[tuple[Ciphertext, ...]]

SECRET = SeededRandom("shuffle-key").scalar()
KEY = PublicKey(element=Element.mul_base(SECRET))
SEED = hashlib.sha512(b"shuffle seed").digest()
CONTEXT = hashlib.sha512(b"shuffle context").digest()
PURPOSE = "test"


class Checker(Protocol):
    def __call__(
        self,
        proof: ShuffleProof,
        *,
        inputs: Sequence[Sequence[Ciphertext]],
        outputs: Sequence[Sequence[Ciphertext]],
        key: PublicKey,
        seed: bytes,
        context: bytes,
        purpose: str,
    ) -> None: ...


def _row_bytes(rows: Sequence[Sequence[Ciphertext]]) -> bytes:
    return b"".join(e.to_bytes() for row in rows for ct in row for e in (ct.alpha, ct.beta))


def _kernel_check(
    proof: ShuffleProof,
    *,
    inputs: Sequence[Sequence[Ciphertext]],
    outputs: Sequence[Sequence[Ciphertext]],
    key: PublicKey,
    seed: bytes,
    context: bytes,
    purpose: str,
) -> None:
    """The kernel's checker, fed the encodings of the same statement and proof."""
    kernel = pytest.importorskip("suffrage.core.shuffle_kernel")
    kernel.verify_shuffle(
        proof.to_raw(),
        inputs=_row_bytes(inputs),
        outputs=_row_bytes(outputs),
        width=len(inputs[0]),
        key=key,
        seed=seed,
        context=context,
        purpose=purpose,
        rng=SeededRandom("batch weights"),
    )


CHECKERS = [
    pytest.param(check_shuffle, id="reference"),
    pytest.param(_kernel_check, id="kernel"),
]


def _values(rows: int, width: int) -> list[list[int]]:
    return [[(3 * i + k) % 5 for k in range(width)] for i in range(rows)]


def _encrypt_rows(values: list[list[int]], rng: SeededRandom) -> Rows:
    return [tuple(encrypt(v, rng.scalar(), KEY) for v in row) for row in values]


def _decrypt(ct: Ciphertext) -> Element:
    return decrypt_to_element(ct, SECRET)


def _shuffle(
    rows: int, width: int, seed: str = "honest"
) -> tuple[Rows, Rows, list[int], ShuffleProof]:
    rng = SeededRandom(f"{seed}-{rows}-{width}")
    inputs = _encrypt_rows(_values(rows, width), rng)
    outputs, permutation, proof = prove_shuffle(
        inputs, key=KEY, seed=SEED, context=CONTEXT, purpose=PURPOSE, rng=rng
    )
    return inputs, outputs, permutation, proof


def _refused_at(
    checker: Checker,
    proof: ShuffleProof,
    inputs: Sequence[Sequence[Ciphertext]],
    outputs: Sequence[Sequence[Ciphertext]],
    equation: str,
    **statement: Any,
) -> None:
    """Assert that ``checker`` refuses, naming ``equation`` as the first that fails."""
    args: dict[str, Any] = {"key": KEY, "seed": SEED, "context": CONTEXT, "purpose": PURPOSE}
    args.update(statement)
    with pytest.raises(ProofRejected) as caught:
        checker(proof, inputs=inputs, outputs=outputs, **args)
    assert caught.value.check == f"shuffle/{args['purpose']}"
    assert caught.value.reason == f"verification equation {equation} does not hold"


# --- Completeness -------------------------------------------------------------------------


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("rows", [1, 2, 7])
@pytest.mark.parametrize("width", [1, 2, 5])
def test_honest_proofs_verify(checker: Checker, rows: int, width: int) -> None:
    inputs, outputs, _, proof = _shuffle(rows, width)
    checker(
        proof, inputs=inputs, outputs=outputs, key=KEY, seed=SEED, context=CONTEXT, purpose=PURPOSE
    )


@pytest.mark.parametrize(("rows", "width"), [(1, 1), (2, 2), (7, 5)])
def test_outputs_decrypt_to_the_inputs_permuted(rows: int, width: int) -> None:
    inputs, outputs, permutation, _ = _shuffle(rows, width)
    assert sorted(permutation) == list(range(rows))
    for i, row in enumerate(outputs):
        source = inputs[permutation[i]]
        assert [_decrypt(ct) for ct in row] == [_decrypt(ct) for ct in source]
        assert all(a != b for a, b in zip(row, source, strict=True))  # re-encrypted


def test_the_prover_draws_exactly_the_scalars_the_kernel_takes() -> None:
    rows, width = 7, 3
    rng = SeededRandom("draws")
    inputs = _encrypt_rows(_values(rows, width), rng)
    after_inputs = SeededRandom("draws")
    after_inputs.scalars(rows * width)
    prove_shuffle(inputs, key=KEY, seed=SEED, context=CONTEXT, purpose=PURPOSE, rng=rng)
    after_inputs.scalars(shuffle_draws(rows, width))
    assert rng.scalar() == after_inputs.scalar()


def test_seven_rows_are_permuted_at_all() -> None:
    assert _shuffle(7, 1)[2] != list(range(7))


def test_raw_round_trip_and_lengths() -> None:
    _, _, _, proof = _shuffle(3, 2)
    raw = proof.to_raw()
    assert [len(x) for x in raw] == [96, 96, 32, 32, 32, 128, 96, 32, 32, 32, 64, 96, 96]
    assert ShuffleProof.from_raw(raw, rows=3, width=2) == proof


# --- Single-field changes: refused, with the equation that catches them --------------------

_ROWS, _WIDTH = 3, 2
_INPUTS, _OUTPUTS, _, _PROOF = _shuffle(_ROWS, _WIDTH, "fields")

# Each element of the proof is hashed into d or c, so changing it changes every challenge and
# (1) fails first; each response appears first in the equation named.
_PROOF_FIELDS: list[tuple[str, int | None, str]] = [
    *[("permutation_commitment", i, "(1)") for i in range(_ROWS)],
    *[("chain", i, "(1)") for i in range(_ROWS)],
    ("t1", None, "(1)"),
    ("t2", None, "(1)"),
    ("t3", None, "(1)"),
    *[("t4_alpha", k, "(1)") for k in range(_WIDTH)],
    *[("t4_beta", k, "(1)") for k in range(_WIDTH)],
    *[("t_hat", i, "(1)") for i in range(_ROWS)],
    ("s1", None, "(1)"),
    ("s2", None, "(2)"),
    ("s3", None, "(3)"),
    *[("s4", k, f"(4) column {k}") for k in range(_WIDTH)],
    *[("s_hat", i, f"(5) at row {i}") for i in range(_ROWS)],
    *[("s_prime", i, "(3)") for i in range(_ROWS)],
]


def _alter_proof(proof: ShuffleProof, field: str, index: int | None, delta: Scalar) -> ShuffleProof:
    """``proof`` with one value moved: an element by ``delta*G``, a scalar by ``delta``."""
    if field.startswith("t4_"):
        part = field[3:]
        t4 = list(proof.t4)
        moved = getattr(t4[index or 0], part) + Element.mul_base(delta)
        t4[index or 0] = replace(t4[index or 0], **{part: moved})
        return replace(proof, t4=tuple(t4))
    value = getattr(proof, field)
    if index is None:
        moved = value + (delta if isinstance(value, Scalar) else Element.mul_base(delta))
        return replace(proof, **{field: moved})
    values = list(value)
    values[index] = values[index] + (
        delta if isinstance(values[index], Scalar) else Element.mul_base(delta)
    )
    changes: dict[str, Any] = {field: tuple(values)}
    return replace(proof, **changes)


@pytest.mark.parametrize("checker", CHECKERS)
@settings(max_examples=60, deadline=None)
@given(change=st.sampled_from(_PROOF_FIELDS), delta=nonzero_scalars)
def test_any_change_to_the_proof_is_refused(
    checker: Checker, change: tuple[str, int | None, str], delta: Scalar
) -> None:
    field, index, equation = change
    altered = _alter_proof(_PROOF, field, index, delta)
    _refused_at(checker, altered, _INPUTS, _OUTPUTS, equation)


def _alter_rows(rows: Rows, i: int, k: int, part: str, delta: Scalar) -> Rows:
    out = list(rows)
    row = list(out[i])
    row[k] = replace(row[k], **{part: getattr(row[k], part) + Element.mul_base(delta)})
    out[i] = tuple(row)
    return out


_STATEMENT_FIELDS = ["seed", "context", "purpose", "key", "inputs", "outputs"]


@pytest.mark.parametrize("checker", CHECKERS)
@settings(max_examples=60, deadline=None)
@given(
    field=st.sampled_from(_STATEMENT_FIELDS),
    i=st.integers(0, _ROWS - 1),
    k=st.integers(0, _WIDTH - 1),
    part=st.sampled_from(["alpha", "beta"]),
    delta=nonzero_scalars,
    byte=st.integers(0, 63),
)
def test_any_change_to_the_statement_is_refused(
    checker: Checker, field: str, i: int, k: int, part: str, delta: Scalar, byte: int
) -> None:
    inputs, outputs = _INPUTS, _OUTPUTS
    statement: dict[str, Any] = {}
    if field == "inputs":
        inputs = _alter_rows(_INPUTS, i, k, part, delta)
    elif field == "outputs":
        outputs = _alter_rows(_OUTPUTS, i, k, part, delta)
    elif field in ("seed", "context"):
        data = bytearray(SEED if field == "seed" else CONTEXT)
        data[byte] ^= 1 + delta.to_bytes()[0] % 255
        statement[field] = bytes(data)
    elif field == "purpose":
        statement["purpose"] = PURPOSE + "!"
    else:
        statement["key"] = PublicKey(element=KEY.element + Element.mul_base(delta))
    _refused_at(checker, _PROOF, inputs, outputs, "(1)", **statement)


# --- Bad input: refused with its reason -------------------------------------------------


@pytest.mark.parametrize("checker", CHECKERS)
def test_a_wrong_count_of_outputs_is_refused(checker: Checker) -> None:
    with pytest.raises(InvalidInput, match="outputs"):
        checker(
            _PROOF,
            inputs=_INPUTS,
            outputs=_OUTPUTS[:-1],
            key=KEY,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )


def test_a_malformed_raw_proof_is_refused_naming_the_field() -> None:
    raw = _PROOF.to_raw()
    with pytest.raises(InvalidEncoding, match=r"proof\.s4: has 96 bytes, expected 64"):
        ShuffleProof.from_raw(raw._replace(s4=raw.s4 + bytes(32)), rows=_ROWS, width=_WIDTH)
    t_hat = raw.t_hat[:64] + b"\xff" * 32
    with pytest.raises(InvalidEncoding, match=r"proof\.t_hat\[2\]"):
        ShuffleProof.from_raw(raw._replace(t_hat=t_hat), rows=_ROWS, width=_WIDTH)
    with pytest.raises(InvalidEncoding, match=r"proof\.t4\[1\]\.beta: the identity"):
        ShuffleProof.from_raw(raw._replace(t4=raw.t4[:96] + bytes(32)), rows=_ROWS, width=_WIDTH)
    big = (2**256 - 1).to_bytes(32, "little")
    with pytest.raises(InvalidEncoding, match=r"proof\.s_prime\[0\]"):
        ShuffleProof.from_raw(
            raw._replace(s_prime=big + raw.s_prime[32:]), rows=_ROWS, width=_WIDTH
        )
    with pytest.raises(InvalidEncoding, match=r"proof\.t1: has 31 bytes"):
        ShuffleProof.from_raw(raw._replace(t1=raw.t1[:31]), rows=_ROWS, width=_WIDTH)


def test_a_proof_of_the_wrong_length_and_a_short_seed_are_refused() -> None:
    short = replace(_PROOF, s_hat=_PROOF.s_hat[:-1])
    with pytest.raises(InvalidInput, match=r"proof\.s_hat: has 2 entries, expected 3"):
        check_shuffle(
            short,
            inputs=_INPUTS,
            outputs=_OUTPUTS,
            key=KEY,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )
    with pytest.raises(InvalidInput, match="seed: has 32 bytes, expected 64"):
        shuffle_generators(SEED[:32], 3)


def test_an_identity_ciphertext_component_is_refused() -> None:
    outputs = list(_OUTPUTS)
    outputs[1] = (outputs[1][0], replace(outputs[1][1], beta=Element.identity()))
    with pytest.raises(InvalidInput, match="outputs row 1 ciphertext 1 beta"):
        check_shuffle(
            _PROOF,
            inputs=_INPUTS,
            outputs=outputs,
            key=KEY,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )


# --- A cheating prover with knobs, for the attacks -----------------------------------------


def _cheat(
    inputs: Rows,
    outputs: Rows,
    *,
    generators: Sequence[Element],
    columns: Sequence[int],
    permute_u: Callable[[list[Scalar]], list[Scalar]],
    nonces: Sequence[Sequence[Scalar]],
    logs: Sequence[Scalar] | None = None,
    rng: SeededRandom,
) -> ShuffleProof:
    """The prover of spec 6.4 step by step, where a forger may choose: the generators (and,
    knowing their logarithms ``logs``, solve for ``rbar``, ``rhat``, ``rtil``), the output
    row each commitment column sits on (``c_j = r_j*G + H_{1+columns[j]}``), and the vector
    ``u'`` it claims is ``u`` permuted. ``r'_k = sum_i u'_i*nonces[i][k]``."""
    n, w = len(inputs), len(inputs[0])
    h, hs = generators[0], generators[1:]
    r, rh = rng.scalars(n), rng.scalars(n)
    o1, o2, o3 = rng.scalars(3)
    o4, oh, op = rng.scalars(w), rng.scalars(n), rng.scalars(n)
    commitment = [Element.mul_base(r[j]) + hs[columns[j]] for j in range(n)]
    d = shuffle_statement_digest(
        context=CONTEXT,
        purpose=PURPOSE,
        key=KEY,
        seed=SEED,
        generators=generators,
        width=w,
        inputs=inputs,
        outputs=outputs,
        permutation_commitment=commitment,
    )
    u = shuffle_exponents(d, purpose=PURPOSE, rows=n)
    u2 = permute_u(u)
    chain, before = [], [h]
    for i in range(n):
        chain.append(Element.mul_base(rh[i]) + u2[i] * before[-1])
        before.append(chain[-1])
    t1, t2 = Element.mul_base(o1), Element.mul_base(o2)
    t3 = Element.mul_base(o3)
    for o, hi in zip(op, hs, strict=True):
        t3 = t3 + o * hi
    t4 = []
    for k in range(w):
        alpha, beta = -Element.mul_base(o4[k]), -KEY.mul(o4[k])
        for o, row in zip(op, outputs, strict=True):
            alpha, beta = alpha + o * row[k].alpha, beta + o * row[k].beta
        t4.append(Ciphertext(alpha=alpha, beta=beta))
    t_hat = [Element.mul_base(oh[i]) + op[i] * before[i] for i in range(n)]
    c = shuffle_challenge_transcript(
        d, purpose=PURPOSE, chain=chain, t1=t1, t2=t2, t3=t3, t4=t4, t_hat=t_hat
    ).challenge()
    v = [Scalar.one()] * n
    for i in range(n - 1, 0, -1):
        v[i - 1] = u2[i] * v[i]
    rbar = _dot([Scalar.one()] * n, r)
    rhat, rtil = _dot(rh, v), _dot(r, u)
    if logs is not None:  # the trapdoor: every commitment opens to whatever is needed
        x0, xs = logs[0], logs[1:]
        rbar = (
            rbar
            + _dot([Scalar.one()] * n, [xs[j] for j in columns])
            - _dot([Scalar.one()] * n, list(xs))
        )
        rtil = rtil + _dot(u, [xs[j] for j in columns]) - _dot(u2, list(xs))
        rhat = rhat + (_product(u2) - _product(u)) * x0
    r_prime = [_dot(u2, [row[k] for row in nonces]) for k in range(w)]
    return ShuffleProof(
        permutation_commitment=tuple(commitment),
        chain=tuple(chain),
        t1=t1,
        t2=t2,
        t3=t3,
        t4=tuple(t4),
        t_hat=tuple(t_hat),
        s1=o1 + c * rbar,
        s2=o2 + c * rhat,
        s3=o3 + c * rtil,
        s4=tuple(o + c * x for o, x in zip(o4, r_prime, strict=True)),
        s_hat=tuple(o + c * x for o, x in zip(oh, rh, strict=True)),
        s_prime=tuple(o + c * x for o, x in zip(op, u2, strict=True)),
    )


def _dot(a: Sequence[Scalar], b: Sequence[Scalar]) -> Scalar:
    total = Scalar.zero()
    for x, y in zip(a, b, strict=True):
        total = total + x * y
    return total


def _product(values: Sequence[Scalar]) -> Scalar:
    total = Scalar.one()
    for x in values:
        total = total * x
    return total


def _zero(rng: SeededRandom, width: int) -> tuple[list[Scalar], tuple[Ciphertext, ...]]:
    nonces = rng.scalars(width)
    return nonces, tuple(encrypt(0, rho, KEY) for rho in nonces)


def test_the_honest_cheat_prover_is_the_prover() -> None:
    """The knobs set to honesty give the real prover's proof: so the attacks below change
    only what they say they change."""
    rng = SeededRandom("cheat-honest")
    inputs = _encrypt_rows(_values(3, 2), rng)
    permutation = [2, 0, 1]
    nonces = [rng.scalars(2) for _ in range(3)]
    outputs = [
        tuple(ct + encrypt(0, rho, KEY) for ct, rho in zip(inputs[p], nonces[i], strict=True))
        for i, p in enumerate(permutation)
    ]
    common: dict[str, Any] = {"key": KEY, "seed": SEED, "context": CONTEXT, "purpose": PURPOSE}
    honest = prove_known_shuffle(
        inputs, outputs, permutation=permutation, nonces=nonces, rng=SeededRandom("p"), **common
    )
    cheat = _cheat(
        inputs,
        outputs,
        generators=shuffle_generators(SEED, 3),
        columns=[1, 2, 0],
        permute_u=lambda u: [u[p] for p in permutation],
        nonces=nonces,
        rng=SeededRandom("p"),
    )
    assert cheat == honest
    check_shuffle(honest, inputs=inputs, outputs=outputs, **common)


# --- Attack: the Swiss Post 2019 trapdoor -------------------------------------------------


@pytest.mark.parametrize("checker", CHECKERS)
def test_swiss_post_trapdoor_generators_let_a_forger_change_a_vote_and_are_refused(
    checker: Checker,
) -> None:
    """With generators ``H_i = x_i*G`` whose ``x_i`` it knows, a forger proves
    ``E'_0 = E_0 + E_1`` (a non-permutation ``M``): it claims ``u'' = M^{-T} u``, so that
    ``sum u''_i E'_i = sum u_j E_j + Enc(0)``, and opens every commitment with the logs."""
    rng = SeededRandom("swiss-post")
    rows, width = 3, 2
    inputs = _encrypt_rows([[1, 0], [1, 1], [0, 1]], rng)
    logs = rng.scalars(rows + 1)
    trapdoor = [Element.mul_base(x) for x in logs]
    nonces, outputs = [], []
    for i in range(rows):
        rho, zero = _zero(rng, width)
        source = [inputs[0][k] + inputs[1][k] for k in range(width)] if i == 0 else inputs[i]
        nonces.append(rho)
        outputs.append(tuple(a + b for a, b in zip(source, zero, strict=True)))

    def inverse_transpose(u: list[Scalar]) -> list[Scalar]:  # M^{-T} = I - e_1 e_0^T
        return [u[0], u[1] - u[0], *u[2:]]

    forged = _cheat(
        inputs,
        outputs,
        generators=trapdoor,
        columns=list(range(rows)),
        permute_u=inverse_transpose,
        nonces=nonces,
        logs=logs,
        rng=rng,
    )
    # The vote changed: output 0 decrypts to 2 where no input row holds a 2.
    assert _decrypt(outputs[0][0]) == Element.mul_base(scalar_from_int(2))
    # Fed the trapdoor generators, every equation of P4 holds: the forgery is real.
    equations = shuffle_equations(
        forged,
        inputs=inputs,
        outputs=outputs,
        key=KEY,
        seed=SEED,
        context=CONTEXT,
        purpose=PURPOSE,
        generators=trapdoor,
    )
    assert len(equations) == 2 * width + rows + 3
    assert all(equation_holds(e) for e in equations)
    # The checker derives the generators from the seed, and refuses.
    with pytest.raises(ProofRejected):
        checker(
            forged,
            inputs=inputs,
            outputs=outputs,
            key=KEY,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )


def test_the_generators_are_derived_from_the_seed_as_the_spec_says() -> None:
    generators = shuffle_generators(SEED, 4)
    assert len(set(generators)) == 5
    for i, h in enumerate(generators):
        data = b"".join(
            len(x).to_bytes(8, "big") + x
            for x in (
                b"suffrage/1",
                b"shuffle/generator",
                b"seed",
                SEED,
                b"index",
                i.to_bytes(8, "big"),
            )
        )
        assert h == Element.from_uniform_bytes(hashlib.sha512(data).digest())
    assert shuffle_generators(bytes(64), 4) != generators


# --- Attack: weak Fiat-Shamir (Haines, Lewis, Pereira, Teague 2020) -----------------------

_WEAK_FS_CHANGES = [
    "seed",
    *[f"input {i}" for i in range(_ROWS)],
    *[f"output {i}" for i in range(_ROWS)],
    *[f"permutation_commitment {i}" for i in range(_ROWS)],
    *[f"chain {i}" for i in range(_ROWS)],
    "t1",
    "t2",
    "t3",
    *[f"t4 {k}" for k in range(_WIDTH)],
    *[f"t_hat {i}" for i in range(_ROWS)],
]


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("change", _WEAK_FS_CHANGES)
def test_weak_fiat_shamir_every_challenge_binds_the_whole_statement(
    checker: Checker, change: str
) -> None:
    """A proof made for one statement is refused for another that differs in the generators
    (the seed), one input, one output, the permutation commitment or any commitment: each
    is hashed into ``d`` or ``c``, so (1) fails with the new challenge."""
    name, _, index = change.partition(" ")
    i = int(index) if index else None
    inputs, outputs, proof = _INPUTS, _OUTPUTS, _PROOF
    statement: dict[str, Any] = {}
    if name == "seed":
        statement["seed"] = hashlib.sha512(b"another seed").digest()
    elif name in ("input", "output"):
        rows = _alter_rows(
            _INPUTS if name == "input" else _OUTPUTS, i or 0, 0, "beta", Scalar.one()
        )
        inputs, outputs = (rows, _OUTPUTS) if name == "input" else (_INPUTS, rows)
    elif name == "t4":
        proof = _alter_proof(_PROOF, "t4_alpha", i, Scalar.one())
    else:
        proof = _alter_proof(_PROOF, name, i, Scalar.one())
    _refused_at(checker, proof, inputs, outputs, "(1)", **statement)


def _weak_equations(
    proof: ShuffleProof,
    inputs: Rows,
    outputs: Rows,
    monkeypatch: pytest.MonkeyPatch,
    *,
    d: bytes,
    c: Scalar,
) -> bool:
    """Whether every equation of P4 holds when the challenges are those of ``d`` and ``c``
    whatever the statement and commitments: the checker a weak Fiat-Shamir would be."""
    with monkeypatch.context() as patch:
        patch.setattr(shuffle_module, "shuffle_statement_digest", lambda **_: d)
        fixed = SimpleNamespace(challenge=lambda: c)
        patch.setattr(shuffle_module, "shuffle_challenge_transcript", lambda *_, **__: fixed)
        equations = shuffle_equations(
            proof,
            inputs=inputs,
            outputs=outputs,
            key=KEY,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )
    return all(equation_holds(e) for e in equations)


@pytest.mark.parametrize("checker", CHECKERS)
def test_weak_fiat_shamir_a_vote_added_to_fit_the_old_challenges_is_refused(
    checker: Checker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack on a challenge that omits the inputs and outputs: add a vote to input 0
    and move the output it went to so that (4) still holds with the old ``u`` and ``c``.
    A weak checker accepts it; the checker recomputes the challenges and refuses."""
    inputs, outputs, permutation, proof = _shuffle(_ROWS, _WIDTH, "weak-fs")
    d = _digest(proof, inputs, outputs)
    u, c = shuffle_exponents(d, purpose=PURPOSE, rows=_ROWS), _challenge(proof, d)
    target = permutation.index(0)
    forged_in = _alter_rows(inputs, 0, 0, "beta", Scalar.one())
    shift = c * u[0] * proof.s_prime[target].invert()
    forged_out = _alter_rows(outputs, target, 0, "beta", shift)
    assert _weak_equations(proof, forged_in, forged_out, monkeypatch, d=d, c=c)
    _refused_at(checker, proof, forged_in, forged_out, "(1)")


_COMMITMENTS = [
    *[f"permutation_commitment {j}" for j in range(_ROWS)],
    *[f"chain {i}" for i in range(_ROWS)],
    "t1",
    "t2",
    "t3",
    *[f"t4 {k}" for k in range(_WIDTH)],
    *[f"t_hat {i}" for i in range(_ROWS)],
]


def _move_to_fit(proof: ShuffleProof, what: str, u: list[Scalar], c: Scalar) -> ShuffleProof:
    """Move one commitment by ``delta*G`` (``t4`` by an encryption of zero) and the responses
    it appears with so that every equation still holds with the old ``u`` and ``c``."""
    name, _, index = what.partition(" ")
    i, delta = int(index or 0), scalar_from_int(12345)
    moved = (
        _alter_proof(proof, name, int(index) if index else None, delta) if name != "t4" else proof
    )
    s_hat = list(proof.s_hat)
    if name == "permutation_commitment":
        return replace(moved, s1=proof.s1 + c * delta, s3=proof.s3 + c * u[i] * delta)
    if name == "chain":  # C_i is in (5) at row i and at row i+1 (or in (2) for the last)
        s_hat[i] = s_hat[i] + c * delta
        if i + 1 < len(s_hat):
            s_hat[i + 1] = s_hat[i + 1] - proof.s_prime[i + 1] * delta
            return replace(moved, s_hat=tuple(s_hat))
        return replace(moved, s_hat=tuple(s_hat), s2=proof.s2 + c * delta)
    if name in ("t1", "t2", "t3"):
        return replace(moved, **{f"s{name[1]}": getattr(proof, f"s{name[1]}") + delta})
    if name == "t_hat":
        s_hat[i] = s_hat[i] + delta
        return replace(moved, s_hat=tuple(s_hat))
    t4, s4 = list(proof.t4), list(proof.s4)
    t4[i] = t4[i] + encrypt(0, delta, KEY)
    s4[i] = s4[i] - delta
    return replace(proof, t4=tuple(t4), s4=tuple(s4))


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("what", _COMMITMENTS)
def test_weak_fiat_shamir_a_commitment_moved_to_fit_the_old_challenges_is_refused(
    checker: Checker, what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commitment chosen after the challenges, with the responses moved to match: every
    equation holds with the old challenges, so a challenge that omitted this commitment
    would accept it; the checker hashes it and refuses."""
    inputs, outputs, _, proof = _shuffle(_ROWS, _WIDTH, "weak-fs-commitment")
    d = _digest(proof, inputs, outputs)
    u, c = shuffle_exponents(d, purpose=PURPOSE, rows=_ROWS), _challenge(proof, d)
    forged = _move_to_fit(proof, what, u, c)
    assert forged != proof
    assert _weak_equations(forged, inputs, outputs, monkeypatch, d=d, c=c)
    _refused_at(checker, forged, inputs, outputs, "(1)")


def test_the_challenge_vector_depends_on_the_index() -> None:
    u = shuffle_exponents(bytes(64), purpose=PURPOSE, rows=5)
    assert len(set(u)) == 5


def _digest(proof: ShuffleProof, inputs: Rows, outputs: Rows) -> bytes:
    return shuffle_statement_digest(
        context=CONTEXT,
        purpose=PURPOSE,
        key=KEY,
        seed=SEED,
        generators=shuffle_generators(SEED, len(inputs)),
        width=len(inputs[0]),
        inputs=inputs,
        outputs=outputs,
        permutation_commitment=proof.permutation_commitment,
    )


def _challenge(proof: ShuffleProof, d: bytes) -> Scalar:
    return shuffle_challenge_transcript(
        d,
        purpose=PURPOSE,
        chain=proof.chain,
        t1=proof.t1,
        t2=proof.t2,
        t3=proof.t3,
        t4=proof.t4,
        t_hat=proof.t_hat,
    ).challenge()


# --- Attack: a cheating mixer running the honest prover on a bad output --------------------


def _bad_output(
    kind: str, inputs: Rows, rng: SeededRandom
) -> tuple[Rows, list[int], list[list[Scalar]]]:
    """An honest shuffle's permutation and nonces, and an output that is not what they say."""
    permutation, nonces = [1, 2, 0], [rng.scalars(_WIDTH) for _ in range(_ROWS)]
    outputs = [
        tuple(ct + encrypt(0, rho, KEY) for ct, rho in zip(inputs[p], nonces[i], strict=True))
        for i, p in enumerate(permutation)
    ]
    if kind == "replace":  # a fresh ballot of the mixer's choosing
        outputs[0] = tuple(encrypt(4, rng.scalar(), KEY) for _ in range(_WIDTH))
    elif kind == "drop-and-duplicate":  # input 1 dropped, input 2 twice, re-encrypted
        outputs[0] = tuple(ct + encrypt(0, rng.scalar(), KEY) for ct in inputs[2])
    elif kind == "duplicate":  # an output row copied over another
        outputs[0] = outputs[1]
    elif kind == "re-randomise":  # one ciphertext re-encrypted with a nonce the proof omits
        outputs[0] = (outputs[0][0] + encrypt(0, rng.scalar(), KEY), *outputs[0][1:])
    return outputs, permutation, nonces


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("kind", ["replace", "drop-and-duplicate", "duplicate", "re-randomise"])
def test_a_cheating_mixer_that_alters_one_row_is_refused(checker: Checker, kind: str) -> None:
    rng = SeededRandom(f"cheating-mixer-{kind}")
    inputs = _encrypt_rows(_values(_ROWS, _WIDTH), rng)
    outputs, permutation, nonces = _bad_output(kind, inputs, rng)
    proof = prove_known_shuffle(
        inputs,
        outputs,
        permutation=permutation,
        nonces=nonces,
        key=KEY,
        seed=SEED,
        context=CONTEXT,
        purpose=PURPOSE,
        rng=rng,
    )
    _refused_at(checker, proof, inputs, outputs, "(4) column 0")


# --- Attack: a permutation commitment that is not a permutation ----------------------------


@pytest.mark.parametrize("checker", CHECKERS)
def test_a_permutation_commitment_that_is_not_a_permutation_is_refused(checker: Checker) -> None:
    """Columns 0 and 1 both on ``H_1`` (input 0 sent to outputs 0 and 1, input 1 dropped):
    the committed matrix's rows no longer add up to one."""
    rng = SeededRandom("not-a-permutation")
    inputs = _encrypt_rows(_values(_ROWS, _WIDTH), rng)
    sources = [0, 0, 2]
    nonces, outputs = [], []
    for source in sources:
        rho, zero = _zero(rng, _WIDTH)
        nonces.append(rho)
        outputs.append(tuple(a + b for a, b in zip(inputs[source], zero, strict=True)))
    forged = _cheat(
        inputs,
        outputs,
        generators=shuffle_generators(SEED, _ROWS),
        columns=[0, 0, 2],
        permute_u=lambda u: [u[s] for s in sources],
        nonces=nonces,
        rng=rng,
    )
    _refused_at(checker, forged, inputs, outputs, "(1)")


def test_the_raw_form_is_the_contracts() -> None:
    assert RawShuffleProof._fields == (
        "permutation_commitment",
        "chain",
        "t1",
        "t2",
        "t3",
        "t4",
        "t_hat",
        "s1",
        "s2",
        "s3",
        "s4",
        "s_hat",
        "s_prime",
    )
    assert shuffle_draws(3, 2) == 2 + 6 + 6 + 3 + 2 + 6


# --- The published vector (tests/vectors/shuffle.json, spec/protocol.md#8) -----------------

VECTORS = Path(__file__).parent.parent.parent / "vectors"


def _vector_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_shuffle_vectors", VECTORS / "make_shuffle_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _vector() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / "shuffle.json").read_text())
    return data


def _hex_rows(rows: list[list[list[str]]]) -> Rows:
    return [
        tuple(
            Ciphertext(
                alpha=Element.from_bytes(bytes.fromhex(a)),
                beta=Element.from_bytes(bytes.fromhex(b)),
            )
            for a, b in row
        )
        for row in rows
    ]


def _vector_proof(v: dict[str, Any]) -> ShuffleProof:
    p = v["proof"]

    def cat(values: list[str]) -> bytes:
        return b"".join(bytes.fromhex(x) for x in values)

    raw = RawShuffleProof(
        permutation_commitment=cat(p["permutation_commitment"]),
        chain=cat(p["chain"]),
        t1=bytes.fromhex(p["t1"]),
        t2=bytes.fromhex(p["t2"]),
        t3=bytes.fromhex(p["t3"]),
        t4=cat([x for pair in p["t4"] for x in pair]),
        t_hat=cat(p["t_hat"]),
        s1=bytes.fromhex(p["s1"]),
        s2=bytes.fromhex(p["s2"]),
        s3=bytes.fromhex(p["s3"]),
        s4=cat(p["s4"]),
        s_hat=cat(p["s_hat"]),
        s_prime=cat(p["s_prime"]),
    )
    return ShuffleProof.from_raw(raw, rows=v["rows"], width=v["width"])


def test_the_shuffle_vector_is_reproduced_byte_for_byte() -> None:
    assert _vector_generator().make() == _vector()


def test_the_shuffle_vector_checks_from_its_json_alone() -> None:
    v = _vector()
    key = PublicKey(element=Element.from_bytes(bytes.fromhex(v["key"])))
    seed, context = bytes.fromhex(v["seed"]), bytes.fromhex(v["context"])
    inputs, outputs, proof = _hex_rows(v["inputs"]), _hex_rows(v["outputs"]), _vector_proof(v)
    generators = shuffle_generators(seed, v["rows"])
    assert [g.to_bytes().hex() for g in generators] == v["generators"]
    d = hashlib.sha512(bytes.fromhex(v["statement_transcript"])).digest()
    assert d.hex() == v["statement_digest"]
    assert d == shuffle_statement_digest(
        context=context,
        purpose=v["purpose"],
        key=key,
        seed=seed,
        generators=generators,
        width=v["width"],
        inputs=inputs,
        outputs=outputs,
        permutation_commitment=proof.permutation_commitment,
    )
    u = shuffle_exponents(d, purpose=v["purpose"], rows=v["rows"])
    assert [x.to_bytes().hex() for x in u] == v["u"]
    transcript = shuffle_challenge_transcript(
        d,
        purpose=v["purpose"],
        chain=proof.chain,
        t1=proof.t1,
        t2=proof.t2,
        t3=proof.t3,
        t4=proof.t4,
        t_hat=proof.t_hat,
    )
    assert transcript.data.hex() == v["challenge_transcript"]
    assert transcript.challenge().to_bytes().hex() == v["challenge"]
    check_shuffle(
        proof,
        inputs=inputs,
        outputs=outputs,
        key=key,
        seed=seed,
        context=context,
        purpose=v["purpose"],
    )
    for i, row in enumerate(outputs):
        assert [decrypt_to_element(ct, SeededRandom("shuffle").scalar()) for ct in row] == [
            Element.mul_base(scalar_from_int(x)) for x in v["values"][v["permutation"][i]]
        ]


def test_the_kernel_gives_the_reference_proof_byte_for_byte() -> None:
    """Fed the same random source, ``shuffle_and_prove`` makes the same outputs and proof as
    ``prove_shuffle`` (the contract of slice A: ``rng.token(64*n)`` is ``n`` scalars)."""
    kernel = pytest.importorskip("suffrage.core.shuffle_kernel")
    for rows, width in [(1, 1), (3, 2), (7, 5)]:
        inputs, outputs, _, proof = _shuffle(rows, width, "kernel")
        rng = SeededRandom(f"kernel-{rows}-{width}")
        _encrypt_rows(_values(rows, width), rng)  # the same draws as _shuffle's inputs
        out, raw = kernel.shuffle_and_prove(
            _row_bytes(inputs),
            width=width,
            key=KEY,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
            rng=rng,
        )
        assert out == _row_bytes(outputs)
        assert raw == proof.to_raw()
