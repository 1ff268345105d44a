"""Exponential ElGamal: homomorphism, re-encryption, decryption, discrete logs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suffrage.core import (
    GENERATOR,
    DiscreteLog,
    Element,
    OsRandom,
    PublicKey,
    Scalar,
    SeededRandom,
    add_ciphertexts,
    decrypt_to_element,
    encrypt,
    encrypt_bits,
    partial_decrypt,
    reencrypt,
    remove_mask,
    scalar_from_int,
)
from suffrage.errors import VerificationFailed

from .strategies import nonzero_scalars, scalars

SMALL = DiscreteLog(10_000)
values = st.integers(min_value=0, max_value=2_000)


@given(nonzero_scalars, values, values, scalars, scalars)
def test_addition_is_homomorphic(x: Scalar, v1: int, v2: int, r1: Scalar, r2: Scalar) -> None:
    key = PublicKey(element=Element.mul_base(x))
    total = encrypt(v1, r1, key) + encrypt(v2, r2, key)
    assert total == encrypt(v1 + v2, r1 + r2, key)
    assert SMALL.solve(decrypt_to_element(total, x)) == v1 + v2


@given(nonzero_scalars, values, scalars, scalars)
def test_reencryption_keeps_the_value(x: Scalar, v: int, r: Scalar, r2: Scalar) -> None:
    key = PublicKey(element=Element.mul_base(x))
    ct = encrypt(v, r, key)
    again = reencrypt(ct, r2, key)
    assert again == encrypt(v, r + r2, key)
    assert SMALL.solve(decrypt_to_element(again, x)) == v


def test_partial_decryptions_combine() -> None:
    rng = SeededRandom("elgamal")
    x1, x2 = rng.scalar(), rng.scalar()
    key = PublicKey(element=Element.mul_base(x1 + x2))
    ct = add_ciphertexts(encrypt(v, rng.scalar(), key) for v in (3, 4, 5))
    mask = partial_decrypt(ct, x1) + partial_decrypt(ct, x2)
    assert SMALL.solve(remove_mask(ct, mask)) == 12


def test_negative_values_cannot_be_encrypted() -> None:
    key = PublicKey(element=GENERATOR)
    with pytest.raises(ValueError, match="non-negative"):
        encrypt(-1, Scalar.one(), key)


def test_public_key_equality_ignores_the_table() -> None:
    assert PublicKey(element=GENERATOR) == PublicKey(element=GENERATOR)
    assert PublicKey(element=GENERATOR).mul(scalar_from_int(9)) == GENERATOR * scalar_from_int(9)


@pytest.mark.parametrize("value", [0, 1, 31_622, 31_623, 31_624, 123_456_789, 10**9])
def test_discrete_log_up_to_a_billion(value: int) -> None:
    solver = DiscreteLog()
    assert solver.solve(Element.mul_base(scalar_from_int(value))) == value


def test_discrete_log_out_of_range_is_a_failure() -> None:
    solver = DiscreteLog(100)
    with pytest.raises(VerificationFailed, match="0 <= v <= 100"):
        solver.solve(Element.mul_base(scalar_from_int(101)))
    with pytest.raises(VerificationFailed):
        solver.solve(Element.mul_base(scalar_from_int(-1)))
    assert solver.solve(Element.mul_base(scalar_from_int(100))) == 100


def test_encrypt_bits_equals_encrypt_one_by_one() -> None:
    key = PublicKey(element=Element.mul_base(Scalar.from_int(424242)))
    rng = SeededRandom("bits")
    bits = [0, 1, 1, 0, 1] * 5
    nonces = rng.scalars(len(bits))
    many = encrypt_bits(bits, nonces, key)
    assert many == [encrypt(v, r, key) for v, r in zip(bits, nonces, strict=True)]
    assert [c.beta.to_bytes() for c in many] == [
        encrypt(v, r, key).beta.to_bytes() for v, r in zip(bits, nonces, strict=True)
    ]


def test_encrypt_bits_refuses_other_values() -> None:
    key = PublicKey(element=Element.generator())
    with pytest.raises(ValueError, match="the values 0 and 1 only"):
        encrypt_bits([0, 2], [Scalar.one(), Scalar.one()], key)
    with pytest.raises(ValueError, match="one nonce per value"):
        encrypt_bits([0, 1], [Scalar.one()], key)


def test_seeded_scalars_are_the_sequence_of_single_draws() -> None:
    one, many = SeededRandom(9), SeededRandom(9)
    assert many.scalars(7) == [one.scalar() for _ in range(7)]
    assert many.scalar() == one.scalar()
    assert len(OsRandom().scalars(3)) == 3
