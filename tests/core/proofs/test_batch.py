"""Batch verification: the folds accept exactly what the one-by-one checks accept."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.core import Element, OsRandom, PublicKey, SeededRandom, encrypt
from suffrage.core.proofs import (
    Batch,
    RangeProof,
    batch_holds,
    prove_range,
    prove_schnorr,
    range_equations,
    range_fold,
    schnorr_fold,
)
from suffrage.errors import ProofRejected

from ..strategies import other_element, other_scalar

KEY = PublicKey(element=Element.mul_base(SeededRandom("batch-key").scalar()))


def _proofs(n: int, seed: int) -> list[tuple[RangeProof, object]]:
    rng = SeededRandom(seed)
    out = []
    for i in range(n):
        nonce = rng.scalar()
        ct = encrypt(i % 2, nonce, KEY)
        proof = prove_range(
            ciphertext=ct,
            value=i % 2,
            nonce=nonce,
            key=KEY,
            limit=1,
            context=b"b",
            rng=rng,
            purpose="t",
        )
        out.append((proof, ct))
    return out


def _fold_all(items: list[tuple[RangeProof, object]]) -> Batch:
    batch = Batch(OsRandom())
    for proof, ct in items:
        range_fold(
            proof,
            ciphertext=ct,
            key=KEY,
            limit=1,
            context=b"b",
            purpose="t",  # type: ignore[arg-type]
            batch=batch,
        )
    return batch


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=6), st.integers(min_value=0, max_value=10**6))
def test_valid_proofs_fold_to_the_identity(n: int, seed: int) -> None:
    items = _proofs(n, seed)
    assert _fold_all(items).holds()
    equations = [
        eq
        for proof, ct in items
        for eq in range_equations(
            proof,
            ciphertext=ct,
            key=KEY,
            limit=1,
            context=b"b",  # type: ignore[arg-type]
            purpose="t",
        )
    ]
    assert batch_holds(equations, OsRandom())


@settings(max_examples=10, deadline=None)
@given(
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["commitments_g", "commitments_k", "responses"]),
)
def test_one_bad_proof_makes_the_batch_fail(which: int, part: str) -> None:
    items = _proofs(5, 99)
    proof, ct = items[which]
    values = list(getattr(proof, part))
    values[0] = other_scalar(values[0]) if part == "responses" else other_element(values[0])
    items[which] = (replace(proof, **{part: tuple(values)}), ct)
    try:
        accepted = _fold_all(items).holds()
    except ProofRejected:  # a changed commitment changes the challenge: refused before folding
        accepted = False
    assert not accepted


def test_extend_merges_shared_bases() -> None:
    a, b = _fold_all(_proofs(2, 1)), _fold_all(_proofs(2, 2))
    whole = Batch(OsRandom())
    whole.extend(a)
    whole.extend(b)
    assert whole.holds()
    assert len(whole.points) == len(a.points) + len(b.points)


def test_schnorr_fold_rejects_a_wrong_message() -> None:
    rng = SeededRandom("schnorr-batch")
    secret = rng.scalar()
    public = Element.mul_base(secret)
    proof = prove_schnorr(
        secret=secret, public=public, context=b"c", message=b"m", rng=rng, purpose="t"
    )
    good, bad = Batch(OsRandom()), Batch(OsRandom())
    schnorr_fold(proof, public=public, context=b"c", message=b"m", purpose="t", batch=good)
    schnorr_fold(proof, public=public, context=b"c", message=b"x", purpose="t", batch=bad)
    assert good.holds()
    assert not bad.holds()
