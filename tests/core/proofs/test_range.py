"""Disjunctive range proofs (check P3): completeness and soundness."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.core import Ciphertext, Element, PublicKey, Scalar, SeededRandom, encrypt
from suffrage.core.proofs import MAX_RANGE, RangeProof, check_range, prove_range
from suffrage.errors import ProofRejected

from ..strategies import other_element, other_scalar

KEY = PublicKey(element=Element.mul_base(SeededRandom("key").scalar()))


@st.composite
def ranges(draw: st.DrawFn) -> tuple[int, int]:
    limit = draw(st.integers(min_value=0, max_value=6))
    return limit, draw(st.integers(min_value=0, max_value=limit))


@settings(max_examples=30)
@given(ranges(), st.binary(max_size=16))
def test_completeness(limit_value: tuple[int, int], seed: bytes) -> None:
    limit, value = limit_value
    rng = SeededRandom(seed)
    nonce = rng.scalar()
    ct = encrypt(value, nonce, KEY)
    proof = prove_range(
        ciphertext=ct,
        value=value,
        nonce=nonce,
        key=KEY,
        limit=limit,
        context=b"ctx",
        rng=rng,
        purpose="t",
    )
    check_range(proof, ciphertext=ct, key=KEY, limit=limit, context=b"ctx", purpose="t")


def _setup(limit: int = 2, value: int = 1) -> tuple[RangeProof, Ciphertext]:
    rng = SeededRandom(f"range-{limit}-{value}")
    nonce = rng.scalar()
    ct = encrypt(value, nonce, KEY)
    proof = prove_range(
        ciphertext=ct,
        value=value,
        nonce=nonce,
        key=KEY,
        limit=limit,
        context=b"ctx",
        rng=rng,
        purpose="t",
    )
    return proof, ct


def _check(proof: RangeProof, ct: Ciphertext, **kw: object) -> None:
    args: dict[str, object] = {
        "ciphertext": ct,
        "key": KEY,
        "limit": 2,
        "context": b"ctx",
        "purpose": "t",
    }
    args.update(kw)
    check_range(proof, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["alpha", "beta"])
def test_altered_ciphertext_is_rejected(field: str) -> None:
    proof, ct = _setup()
    altered = replace(ct, **{field: other_element(getattr(ct, field))})
    with pytest.raises(ProofRejected, match="range/t"):
        _check(proof, altered)


def test_altered_key_limit_context_purpose_are_rejected() -> None:
    proof, ct = _setup()
    other_key = PublicKey(element=other_element(KEY.element))
    for kw in ({"key": other_key}, {"context": b"ctx!"}, {"purpose": "u"}):
        with pytest.raises(ProofRejected):
            _check(proof, ct, **kw)
    with pytest.raises(ProofRejected, match="expected 4 branches"):
        _check(proof, ct, limit=3)


@pytest.mark.parametrize("branch", [0, 1, 2])
@pytest.mark.parametrize("part", ["commitments_g", "commitments_k", "challenges", "responses"])
def test_every_proof_component_is_bound(part: str, branch: int) -> None:
    proof, ct = _setup()
    values = list(getattr(proof, part))
    values[branch] = (
        other_scalar(values[branch])
        if part in ("challenges", "responses")
        else other_element(values[branch])
    )
    with pytest.raises(ProofRejected):
        _check(replace(proof, **{part: tuple(values)}), ct)


def test_out_of_range_value_cannot_be_proven() -> None:
    rng = SeededRandom("cheat")
    nonce = rng.scalar()
    ct = encrypt(2, nonce, KEY)
    # A cheating prover claims the value is 1 for a ciphertext of 2.
    proof = prove_range(
        ciphertext=ct, value=1, nonce=nonce, key=KEY, limit=1, context=b"", rng=rng, purpose="t"
    )
    with pytest.raises(ProofRejected, match="does not hold"):
        check_range(proof, ciphertext=ct, key=KEY, limit=1, context=b"", purpose="t")
    with pytest.raises(ValueError, match="outside the range"):
        prove_range(
            ciphertext=ct, value=2, nonce=nonce, key=KEY, limit=1, context=b"", rng=rng, purpose="t"
        )


def test_swapped_branches_are_rejected() -> None:
    proof, ct = _setup()
    swapped = RangeProof(
        commitments_g=proof.commitments_g[::-1],
        commitments_k=proof.commitments_k[::-1],
        challenges=proof.challenges[::-1],
        responses=proof.responses[::-1],
    )
    with pytest.raises(ProofRejected):
        _check(swapped, ct)


def test_limits_are_bounded() -> None:
    proof, ct = _setup()
    with pytest.raises(ValueError, match="range limit"):
        _check(proof, ct, limit=MAX_RANGE + 1)
    with pytest.raises(ValueError, match="range limit"):
        prove_range(
            ciphertext=ct,
            value=0,
            nonce=Scalar.one(),
            key=KEY,
            limit=-1,
            context=b"",
            rng=SeededRandom(0),
            purpose="t",
        )
