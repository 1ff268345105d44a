"""Batch multiplications that return their encodings, the two-term and bit-encryption
batches, and random scalars in bulk."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage._native import (
    Element,
    ElementTable,
    Scalar,
    encrypt_bits_batch,
    mul_base_batch,
    mul_batch,
    mul_double_batch,
)

from .conftest import ORDER, ints, nonzero_ints


def fresh_encoding(element: Element) -> bytes:
    """The encoding computed from the point alone (no encoding carried along)."""
    return (element + Element.identity()).to_bytes()


# Sizes around the thresholds: serial below 16 items, then chunks of 32 per batch inversion.
SIZES = [0, 1, 2, 15, 16, 17, 31, 32, 33, 64, 100]


@pytest.mark.parametrize("size", SIZES)
def test_mul_base_batch_carries_the_right_encodings(size: int) -> None:
    scalars = [Scalar.from_int((104729 * i + 3) % ORDER) for i in range(size)]
    points = mul_base_batch(scalars)
    for scalar, point in zip(scalars, points, strict=True):
        expected = Element.mul_base(scalar)
        assert point == expected
        assert point.to_bytes() == fresh_encoding(expected)
        assert Element.from_bytes(point.to_bytes()) == expected


@pytest.mark.parametrize("size", SIZES)
def test_mul_batch_carries_the_right_encodings(size: int) -> None:
    base = Element.mul_base(Scalar.from_int(987654321))
    table = ElementTable(base)
    scalars = [Scalar.from_int((7919 * i + 11) % ORDER) for i in range(size)]
    for scalar, point in zip(scalars, mul_batch(table, scalars), strict=True):
        assert point == base * scalar
        assert point.to_bytes() == fresh_encoding(base * scalar)


@pytest.mark.parametrize("where", [0, 5, 16, 31, 32, 40])
def test_a_zero_scalar_in_a_batch_gives_the_identity_and_spoils_nothing(where: int) -> None:
    scalars = [Scalar.from_int(i + 1) for i in range(41)]
    scalars[where] = Scalar.zero()
    points = mul_base_batch(scalars)
    assert points[where].is_identity()
    assert points[where].to_bytes() == bytes(32)
    for scalar, point in zip(scalars, points, strict=True):
        assert point.to_bytes() == fresh_encoding(Element.mul_base(scalar))


@settings(max_examples=15, deadline=None)
@given(
    nonzero_ints,
    st.lists(st.tuples(ints, st.none() | ints), max_size=40),
)
def test_mul_double_batch_is_k_times_key_plus_g_times_generator(
    key: int, pairs: list[tuple[int, int | None]]
) -> None:
    element = Element.mul_base(Scalar.from_int(key))
    table = ElementTable(element)
    ks = [Scalar.from_int(k) for k, _ in pairs]
    gs = [None if g is None else Scalar.from_int(g) for _, g in pairs]
    out = mul_double_batch(table, ks, gs)
    for k, g, point in zip(ks, gs, out, strict=True):
        expected = element * k if g is None else element * k + Element.mul_base(g)
        assert point == expected
        assert point.to_bytes() == fresh_encoding(expected)


def test_mul_double_batch_refuses_what_does_not_fit() -> None:
    table = ElementTable(Element.generator())
    with pytest.raises(ValueError, match="differ in length: 2 and 1"):
        mul_double_batch(table, [Scalar.one(), Scalar.one()], [None])
    with pytest.raises(TypeError, match=r"g_scalars\[0\]: expected Scalar or None, got int"):
        mul_double_batch(table, [Scalar.one()], [3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"k_scalars\[0\]: expected Scalar, got NoneType"):
        mul_double_batch(table, [None], [None])  # type: ignore[list-item]


@settings(max_examples=15, deadline=None)
@given(nonzero_ints, st.lists(st.tuples(ints, st.integers(0, 1)), max_size=40))
def test_encrypt_bits_batch_is_exponential_elgamal(
    secret: int, items: list[tuple[int, int]]
) -> None:
    key = Element.mul_base(Scalar.from_int(secret))
    nonces = [Scalar.from_int(r) for r, _ in items]
    bits = [v for _, v in items]
    out = encrypt_bits_batch(ElementTable(key), nonces, bits)
    for nonce, bit, (alpha, beta) in zip(nonces, bits, out, strict=True):
        assert alpha == Element.mul_base(nonce)
        expected_beta = key * nonce + (Element.generator() if bit else Element.identity())
        assert beta == expected_beta
        assert alpha.to_bytes() == fresh_encoding(alpha)
        assert beta.to_bytes() == fresh_encoding(expected_beta)
        # Decryption with the secret gives back v*G.
        assert beta - alpha * Scalar.from_int(secret) == Element.mul_base(Scalar.from_int(bit))


def test_encrypt_bits_batch_refuses_other_values_and_lengths() -> None:
    table = ElementTable(Element.generator())
    with pytest.raises(ValueError, match=r"bits\[1\]: expected 0 or 1"):
        encrypt_bits_batch(table, [Scalar.one(), Scalar.one()], [1, 2])
    with pytest.raises(ValueError, match="nonces and bits differ in length: 1 and 2"):
        encrypt_bits_batch(table, [Scalar.one()], [0, 1])
    with pytest.raises(OverflowError):
        encrypt_bits_batch(table, [Scalar.one()], [-1])


def test_random_batch_draws_distinct_uniform_scalars() -> None:
    drawn = Scalar.random_batch(500)
    assert len(drawn) == 500
    assert len({s.to_bytes() for s in drawn}) == 500
    assert all(0 <= s.to_int() < ORDER for s in drawn)
    # Wide reduction: the top bits are used, so some scalars are above 2^251.
    assert any(s.to_int() >= 2**251 for s in drawn)
    assert Scalar.random_batch(0) == []


def test_random_batch_refuses_a_huge_count() -> None:
    with pytest.raises(ValueError, match=r"at most 1048576 scalars at once, asked for 1048577"):
        Scalar.random_batch(2**20 + 1)
