"""The group's strict decoders: every bad input refused, naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given

from suffrage.core import (
    GENERATOR,
    IDENTITY,
    ORDER,
    Element,
    Scalar,
    decode_element,
    decode_element_hex,
    decode_scalar,
    decode_scalar_hex,
    element_from_uniform,
    scalar_from_int,
    scalar_from_wide,
    sum_elements,
)
from suffrage.errors import InvalidEncoding

from .strategies import elements, scalars


@given(scalars)
def test_scalar_round_trip(s: Scalar) -> None:
    assert decode_scalar(s.to_bytes(), field="x") == s
    assert decode_scalar_hex(s.to_bytes().hex(), field="x") == s


@given(elements)
def test_element_round_trip(e: Element) -> None:
    assert decode_element(e.to_bytes(), field="x") == e
    assert decode_element_hex(e.to_bytes().hex(), field="x") == e


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "32"),
        (b"\x01" * 31, "32"),
        (b"\x01" * 33, "32"),
        (ORDER.to_bytes(32, "little"), "canonical"),
        ((ORDER + 1).to_bytes(32, "little"), "canonical"),
        (b"\xff" * 32, "canonical"),
    ],
)
def test_bad_scalars_are_refused_naming_the_field(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidEncoding, match=reason) as info:
        decode_scalar(data, field="proof.response")
    assert info.value.field == "proof.response"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 31,
        b"\x00" * 33,
        # non-canonical field element (p), a negative field element (s = 1 is odd),
        # and a non-square: all from RFC 9496 A.2's categories
        bytes.fromhex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        bytes.fromhex("0100000000000000000000000000000000000000000000000000000000000000"),
        bytes.fromhex("26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371"),
    ],
)
def test_bad_elements_are_refused_naming_the_field(data: bytes) -> None:
    with pytest.raises(InvalidEncoding) as info:
        decode_element(data, field="ballot.alpha")
    assert info.value.field == "ballot.alpha"
    assert str(info.value).startswith("ballot.alpha: ")


def test_identity_is_refused_unless_allowed() -> None:
    with pytest.raises(InvalidEncoding, match="identity"):
        decode_element(bytes(32), field="key")
    assert decode_element(bytes(32), field="key", allow_identity=True) == IDENTITY


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ab", "64 hex digits"),
        (GENERATOR.to_bytes().hex().upper(), "lowercase"),
        ("zz" * 32, "lowercase"),
        (" " + GENERATOR.to_bytes().hex()[1:], "lowercase"),
    ],
)
def test_bad_hex_is_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidEncoding, match=reason):
        decode_element_hex(text, field="commitment")
    with pytest.raises(InvalidEncoding, match=reason):
        decode_scalar_hex(text, field="response")


def test_non_string_hex_is_refused() -> None:
    with pytest.raises(InvalidEncoding, match="hex string"):
        decode_scalar_hex(5, field="response")  # type: ignore[arg-type]


def test_wide_and_uniform_inputs_need_64_bytes() -> None:
    with pytest.raises(InvalidEncoding, match="64 bytes"):
        scalar_from_wide(b"\x00" * 63)
    with pytest.raises(InvalidEncoding, match="64 bytes"):
        element_from_uniform(b"\x00" * 65)
    assert scalar_from_wide(ORDER.to_bytes(64, "little")) == Scalar.zero()


def test_scalar_from_int_reduces_any_integer() -> None:
    assert scalar_from_int(-1) == -Scalar.one()
    assert scalar_from_int(ORDER + 5) == scalar_from_int(5)


@given(scalars, scalars)
def test_sum_elements(a: Scalar, b: Scalar) -> None:
    pa, pb = Element.mul_base(a), Element.mul_base(b)
    assert sum_elements([pa, pb]) == Element.mul_base(a + b)
    assert sum_elements([]) == IDENTITY
