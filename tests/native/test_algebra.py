"""The algebra, checked with Hypothesis against Python integers modulo l."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage._native import Element, ElementTable, Scalar

from .conftest import ORDER, ints, nonzero_ints


def s(value: int) -> Scalar:
    return Scalar.from_int(value)


@settings(deadline=None)  # no timed assertions
@given(ints, ints)
def test_scalar_field_laws_match_integers_mod_l(a: int, b: int) -> None:
    assert (s(a) + s(b)).to_int() == (a + b) % ORDER
    assert (s(a) - s(b)).to_int() == (a - b) % ORDER
    assert (s(a) * s(b)).to_int() == (a * b) % ORDER
    assert (-s(a)).to_int() == (-a) % ORDER


@settings(deadline=None)  # no timed assertions
@given(ints, ints, ints)
def test_scalar_ring_axioms(a: int, b: int, c: int) -> None:
    x, y, z = s(a), s(b), s(c)
    assert (x + y) + z == x + (y + z)
    assert x * (y + z) == x * y + x * z
    assert x * y == y * x
    assert x + Scalar.zero() == x
    assert x * Scalar.one() == x


@settings(deadline=None)  # no timed assertions
@given(nonzero_ints)
def test_invert(a: int) -> None:
    inverse = s(a).invert()
    assert s(a) * inverse == Scalar.one()
    assert inverse.to_int() == pow(a, -1, ORDER)


def test_zero_has_no_inverse() -> None:
    with pytest.raises(ZeroDivisionError, match="zero scalar has no inverse"):
        Scalar.zero().invert()


@settings(deadline=None)  # no timed assertions
@given(ints)
def test_scalar_bytes_round_trip(a: int) -> None:
    assert Scalar.from_bytes(s(a).to_bytes()) == s(a)
    assert s(a).to_bytes() == a.to_bytes(32, "little")
    assert s(a).is_zero() == (a == 0)


@settings(deadline=None)  # no timed assertions
@given(ints, ints)
def test_scalar_multiplication_distributes_over_scalars(a: int, b: int) -> None:
    base = Element.mul_base
    assert base(s(a) + s(b)) == base(s(a)) + base(s(b))
    assert base(s(a) - s(b)) == base(s(a)) - base(s(b))
    assert base(-s(a)) == -base(s(a))
    assert base(s(a) * s(b)) == base(s(a)) * s(b)


@settings(deadline=None)  # no timed assertions
@given(ints, ints)
def test_element_and_scalar_multiply_in_either_order(a: int, b: int) -> None:
    element = Element.mul_base(s(b))
    assert s(a) * element == element * s(a)
    assert (s(a) * element).to_bytes() == Element.mul_base(s(a) * s(b)).to_bytes()


@settings(deadline=None)  # no timed assertions
@given(ints)
def test_table_mul_agrees_with_variable_and_fixed_base(a: int) -> None:
    table = ElementTable(Element.generator())
    assert table.mul(s(a)) == Element.generator() * s(a) == Element.mul_base(s(a))


@settings(max_examples=20, deadline=None)
@given(nonzero_ints, ints)
def test_table_of_any_element(k: int, a: int) -> None:
    element = Element.mul_base(s(k))
    table = ElementTable(element)
    assert table.element() == element
    assert table.mul(s(a)) == element * s(a)
    assert table.mul(s(a)) == Element.mul_base(s(k) * s(a))


@settings(deadline=None)  # no timed assertions
@given(ints)
def test_element_bytes_round_trip(a: int) -> None:
    element = Element.mul_base(s(a))
    decoded = Element.from_bytes(element.to_bytes())
    assert decoded == element
    assert decoded.to_bytes() == element.to_bytes()
    assert hash(decoded) == hash(element)
    assert element.is_identity() == (a == 0)


@settings(deadline=None)  # no timed assertions
@given(ints)
def test_order_times_any_element_is_the_identity(a: int) -> None:
    element = Element.mul_base(s(a))
    assert (element * s(ORDER - 1) + element).is_identity()


@settings(deadline=None)  # no timed assertions
@given(st.binary(min_size=64, max_size=64))
def test_uniform_bytes_give_a_decodable_element(data: bytes) -> None:
    element = Element.from_uniform_bytes(data)
    assert Element.from_bytes(element.to_bytes()) == element


def test_group_identities() -> None:
    g = Element.generator()
    assert g + Element.identity() == g
    assert g - g == Element.identity()
    assert (g + -g).is_identity()
    assert Element.identity().is_identity()
    assert not g.is_identity()
