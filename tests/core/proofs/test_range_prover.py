"""The prover's staged path (draw, multiply in one kernel call, finish) against the reference
composition: encrypt the bits, then prove each claim with :func:`prove_range`, one at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage._native import (
    encrypt_and_commit_batch,
    encrypt_bits_batch,
    mul_double_batch,
    range_challenges,
)
from suffrage.core import Element, PublicKey, Scalar, SeededRandom, encrypt_bits
from suffrage.core.elgamal import add_ciphertexts
from suffrage.core.proofs import RangeClaim, check_range, prove_range
from suffrage.core.proofs.range import (
    RangeWitness,
    draw_ranges,
    encrypt_and_commit,
    finish_ranges,
    range_challenge_digest,
)

KEY = PublicKey(element=Element.mul_base(SeededRandom("prover-key").scalar()))

bits_lists = st.lists(st.integers(min_value=0, max_value=1), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None)
@given(bits_lists, st.binary(max_size=8))
def test_one_call_equals_encrypting_then_proving_one_at_a_time(
    bits: list[int], seed: bytes
) -> None:
    """A contest as a ballot proves it: each bit (R = 1), then their sum (R = len(bits))."""
    rng = SeededRandom(seed)
    nonces = rng.scalars(len(bits))
    total = Scalar.zero()
    for nonce in nonces:
        total = total + nonce
    witnesses = [RangeWitness(v, r, 1) for v, r in zip(bits, nonces, strict=True)]
    witnesses.append(RangeWitness(sum(bits), total, len(bits)))
    drawn = draw_ranges(witnesses, rng)
    cts, on_g, on_k = encrypt_and_commit(bits, nonces, drawn, KEY)
    statements = [*cts, add_ciphertexts(cts)]
    claims = [
        RangeClaim(
            ciphertext=ct, value=w.value, nonce=w.nonce, limit=w.limit, context=b"c", purpose="t"
        )
        for ct, w in zip(statements, witnesses, strict=True)
    ]
    proofs = finish_ranges(claims, drawn, on_g, on_k, KEY)

    reference = SeededRandom(seed)
    ref_nonces = reference.scalars(len(bits))
    assert encrypt_bits(bits, ref_nonces, KEY) == cts
    for claim, proof in zip(claims, proofs, strict=True):
        assert proof == prove_range(
            ciphertext=claim.ciphertext,
            value=claim.value,
            nonce=claim.nonce,
            key=KEY,
            limit=claim.limit,
            context=b"c",
            rng=reference,
            purpose="t",
        )
        check_range(
            proof,
            ciphertext=claim.ciphertext,
            key=KEY,
            limit=claim.limit,
            context=b"c",
            purpose="t",
        )


def test_the_kernel_call_is_the_three_batch_calls_in_one() -> None:
    rng = SeededRandom("one call")
    nonces, bases = rng.scalars(20), rng.scalars(40)
    bits = [i % 3 % 2 for i in range(20)]
    shifts: list[Scalar | None] = [s if i % 3 else None for i, s in enumerate(rng.scalars(40))]
    pairs, on_g, on_k = encrypt_and_commit_batch(KEY.table, nonces, bits, bases, shifts)
    assert pairs == encrypt_bits_batch(KEY.table, nonces, bits)
    assert on_g == [Element.mul_base(s) for s in bases]
    assert on_k == mul_double_batch(KEY.table, bases, shifts)
    assert [e.to_bytes() for e in on_k] == [
        (KEY.mul(k) + (Element.mul_base(g) if g else Element.identity())).to_bytes()
        for k, g in zip(bases, shifts, strict=True)
    ]


def test_what_does_not_fit_is_refused() -> None:
    rng = SeededRandom("refusals")
    drawn = draw_ranges([RangeWitness(1, rng.scalar(), 1)], rng)
    with pytest.raises(ValueError, match="0 and 1 only"):
        encrypt_and_commit([2], [Scalar.one()], drawn, KEY)
    with pytest.raises(ValueError, match="outside the range"):
        draw_ranges([RangeWitness(2, Scalar.one(), 1)], rng)
    _, on_g, on_k = encrypt_and_commit([], [], drawn, KEY)
    ct = encrypt_bits([1], [Scalar.one()], KEY)[0]
    claim = RangeClaim(
        ciphertext=ct, value=0, nonce=Scalar.one(), limit=1, context=b"", purpose="t"
    )
    with pytest.raises(ValueError, match="not the witnesses drawn"):
        finish_ranges([claim], drawn, on_g, on_k, KEY)
    with pytest.raises(ValueError, match="one claim per witness"):
        finish_ranges([claim, claim], drawn, on_g, on_k, KEY)


def test_secrets_stay_out_of_reprs() -> None:
    rng = SeededRandom("repr")
    nonce = rng.scalar()
    witness = RangeWitness(1, nonce, 1)
    drawn = draw_ranges([witness], rng)
    assert repr(witness) == "RangeWitness(limit=1, <secret>)"
    assert repr(drawn) == "RangeDraws(1 proofs, <secret>)"
    assert repr(nonce) not in repr(drawn)


@settings(max_examples=60, deadline=None)
@given(
    purpose=st.sampled_from(["selection", "contest-limit", "other"]),
    context=st.binary(max_size=80),
    limit=st.integers(0, 6),
    seed=st.integers(0, 2**32),
)
def test_the_kernels_range_challenge_is_the_references(
    purpose: str, context: bytes, limit: int, seed: int
) -> None:
    """The prover takes its challenges from the kernel (one call for a ballot); the
    reference checker recomputes them with range_challenge_digest: the same transcript."""
    rng = SeededRandom(seed)
    key = Element.mul_base(rng.scalar())
    alpha, beta = (Element.mul_base(rng.scalar()) for _ in range(2))
    on_g = b"".join(Element.mul_base(s).to_bytes() for s in rng.scalars(limit + 1))
    on_k = b"".join(Element.mul_base(s).to_bytes() for s in rng.scalars(limit + 1))
    statement = (purpose.encode(), context, limit, alpha.to_bytes(), beta.to_bytes(), on_g, on_k)
    (kernel,) = range_challenges(key, [statement])
    reference = range_challenge_digest(
        purpose=purpose,
        context=context,
        key=key.to_bytes(),
        limit=limit,
        alpha=alpha.to_bytes(),
        beta=beta.to_bytes(),
        commitments_g=on_g,
        commitments_k=on_k,
    )
    assert kernel == Scalar.from_bytes_wide(reference)


def test_a_range_statement_of_the_wrong_size_is_refused() -> None:
    key = Element.generator()
    g = key.to_bytes()
    with pytest.raises(ValueError, match=r"items\[0\]: expected 64 bytes of commitments"):
        range_challenges(key, [(b"selection", b"", 1, g, g, g, g + g)])
    with pytest.raises(ValueError, match=r"items\[0\]: expected a limit"):
        range_challenges(key, [(b"selection", b"", 1, g[:31], g, g + g, g + g)])
