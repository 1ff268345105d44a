"""Strict decoding: lengths, canonical scalars, valid points, integer ranges."""

from __future__ import annotations

import pytest

from suffrage._native import (
    Element,
    NativeDecodeError,
    Scalar,
    elements_from_bytes,
    scalars_from_bytes,
)

from .conftest import ORDER

GENERATOR_BYTES = bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
BAD_POINT = bytes.fromhex("26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371")


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(NativeDecodeError, ValueError)


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_element_of_wrong_length_is_refused(size: int) -> None:
    with pytest.raises(NativeDecodeError, match=f"expected 32 bytes, got {size}"):
        Element.from_bytes(bytes(size))


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_scalar_of_wrong_length_is_refused(size: int) -> None:
    with pytest.raises(NativeDecodeError, match=f"expected 32 bytes, got {size}"):
        Scalar.from_bytes(bytes(size))


@pytest.mark.parametrize("size", [0, 32, 63, 65])
def test_wide_scalar_of_wrong_length_is_refused(size: int) -> None:
    with pytest.raises(NativeDecodeError, match=f"expected 64 bytes, got {size}"):
        Scalar.from_bytes_wide(bytes(size))


@pytest.mark.parametrize("size", [0, 32, 63, 65])
def test_uniform_bytes_of_wrong_length_are_refused(size: int) -> None:
    with pytest.raises(NativeDecodeError, match=f"expected 64 bytes, got {size}"):
        Element.from_uniform_bytes(bytes(size))


@pytest.mark.parametrize("value", [ORDER, ORDER + 1, 2**255, 2**256 - 1])
def test_non_canonical_scalar_is_refused(value: int) -> None:
    with pytest.raises(NativeDecodeError, match="non-canonical scalar"):
        Scalar.from_bytes(value.to_bytes(32, "little"))


def test_largest_canonical_scalar_is_accepted() -> None:
    assert Scalar.from_bytes((ORDER - 1).to_bytes(32, "little")).to_int() == ORDER - 1


def test_wide_scalar_is_reduced_modulo_the_order() -> None:
    data = bytes(range(64))
    expected = int.from_bytes(data, "little") % ORDER
    assert Scalar.from_bytes_wide(data).to_int() == expected
    assert Scalar.from_bytes_wide(b"\xff" * 64).to_int() == (2**512 - 1) % ORDER


def test_invalid_point_is_refused() -> None:
    with pytest.raises(NativeDecodeError, match="invalid or non-canonical ristretto255"):
        Element.from_bytes(BAD_POINT)


def test_identity_decodes() -> None:
    assert Element.from_bytes(bytes(32)).is_identity()


@pytest.mark.parametrize("value", [-1, -(2**300), ORDER, ORDER + 1, 2**256, 2**300])
def test_from_int_out_of_range_is_refused(value: int) -> None:
    with pytest.raises(
        NativeDecodeError, match=r"scalar out of range: expected 0 <= value < ORDER"
    ):
        Scalar.from_int(value)


@pytest.mark.parametrize("value", [0, 1, 2**64 - 1, 2**64, 2**200, ORDER - 1])
def test_from_int_round_trips(value: int) -> None:
    assert Scalar.from_int(value).to_int() == value
    assert Scalar.from_int(value).to_bytes() == value.to_bytes(32, "little")


@pytest.mark.parametrize("value", [1.0, "1", b"\x01", None])
def test_from_int_refuses_what_is_not_an_int(value: object) -> None:
    with pytest.raises(TypeError, match=r"Scalar\.from_int: expected int"):
        Scalar.from_int(value)  # type: ignore[arg-type]


def test_order_is_the_group_order() -> None:
    assert Scalar.ORDER == ORDER


def test_elements_from_bytes_decodes_each() -> None:
    data = bytes(32) + GENERATOR_BYTES + GENERATOR_BYTES
    decoded = elements_from_bytes(data)
    assert decoded == [Element.identity(), Element.generator(), Element.generator()]
    assert [element.to_bytes() for element in decoded] == [
        bytes(32),
        GENERATOR_BYTES,
        GENERATOR_BYTES,
    ]
    assert elements_from_bytes(b"") == []


def test_elements_from_bytes_names_the_bad_index() -> None:
    data = GENERATOR_BYTES * 3 + BAD_POINT + GENERATOR_BYTES
    with pytest.raises(NativeDecodeError, match=r"^element 3: invalid or non-canonical"):
        elements_from_bytes(data)


@pytest.mark.parametrize("size", [1, 31, 33, 65])
def test_elements_from_bytes_refuses_a_partial_encoding(size: int) -> None:
    with pytest.raises(NativeDecodeError, match=f"expected a multiple of 32 bytes, got {size}"):
        elements_from_bytes(bytes(size))


def test_scalars_from_bytes_decodes_each() -> None:
    values = [0, 1, ORDER - 1, 12345]
    data = b"".join(value.to_bytes(32, "little") for value in values)
    assert [scalar.to_int() for scalar in scalars_from_bytes(data)] == values
    assert scalars_from_bytes(b"") == []


def test_scalars_from_bytes_names_the_bad_index() -> None:
    data = bytes(64) + ORDER.to_bytes(32, "little")
    with pytest.raises(NativeDecodeError, match=r"^scalar 2: non-canonical scalar"):
        scalars_from_bytes(data)


@pytest.mark.parametrize("size", [1, 31, 33, 65])
def test_scalars_from_bytes_refuses_a_partial_encoding(size: int) -> None:
    with pytest.raises(NativeDecodeError, match=f"expected a multiple of 32 bytes, got {size}"):
        scalars_from_bytes(bytes(size))
