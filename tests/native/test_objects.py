"""Object behaviour: equality, hashing, repr, immutability, copying and pickling."""

from __future__ import annotations

import copy
import pickle

import pytest

from suffrage._native import Element, ElementTable, Scalar


def test_scalar_repr_hides_the_value() -> None:
    secret = Scalar.from_int(123456789)
    assert repr(secret) == "Scalar(<hidden>)"
    assert str(secret) == "Scalar(<hidden>)"
    assert "123456789" not in repr([secret])


def test_element_repr_shows_the_encoding() -> None:
    generator = Element.generator()
    assert repr(generator) == f"Element({generator.to_bytes().hex()})"


def test_equal_values_are_equal_and_hash_alike() -> None:
    five = Element.mul_base(Scalar.from_int(5))
    summed = Element.generator() + Element.generator() * Scalar.from_int(4)
    assert five == summed
    assert not five != summed  # noqa: SIM202 (exercise __ne__)
    assert hash(five) == hash(summed)
    assert len({five, summed, Element.generator()}) == 2
    assert hash(Scalar.from_int(7)) == hash(Scalar.from_int(3) + Scalar.from_int(4))
    assert len({Scalar.from_int(7), Scalar.from_int(3) + Scalar.from_int(4)}) == 1


def test_other_types_are_unequal_and_unordered() -> None:
    assert Scalar.from_int(1) != 1
    assert Element.identity() != bytes(32)
    assert Scalar.zero() != Element.identity()
    with pytest.raises(TypeError):
        _ = Scalar.zero() < Scalar.one()  # type: ignore[operator]


def test_mixed_operations_are_refused() -> None:
    scalar, element = Scalar.one(), Element.generator()
    with pytest.raises(TypeError):
        _ = scalar + element  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = element + scalar  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = element * element  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = element * 2  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = scalar + 1  # type: ignore[operator]


def test_objects_are_immutable_and_final() -> None:
    with pytest.raises(AttributeError):
        Scalar.one().value = 2  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        Element.generator().point = 2  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        type("Sub", (Scalar,), {})


def test_copies_are_the_same_value() -> None:
    scalar, element = Scalar.from_int(42), Element.generator()
    assert copy.copy(scalar) == scalar
    assert copy.deepcopy([scalar, element]) == [scalar, element]


def test_pickle_round_trips() -> None:
    scalar = Scalar.from_int(2**200 + 1)
    element = Element.mul_base(scalar)
    table = ElementTable(element)
    assert pickle.loads(pickle.dumps(scalar)) == scalar
    assert pickle.loads(pickle.dumps(element)) == element
    restored = pickle.loads(pickle.dumps(table))
    assert restored.element() == element
    assert restored.mul(scalar) == table.mul(scalar)


def test_random_scalars_differ() -> None:
    drawn = {Scalar.random() for _ in range(8)}
    assert len(drawn) == 8
    assert all(not scalar.is_zero() for scalar in drawn)


def test_constants() -> None:
    assert Scalar.zero().to_int() == 0
    assert Scalar.one().to_int() == 1
    assert Element.identity().to_bytes() == bytes(32)
    assert Element.mul_base(Scalar.one()) == Element.generator()
    assert Element.mul_base(Scalar.zero()) == Element.identity()
