"""Strict hex, one definition (suffrage.inputs.hexes) and its four readers: every kind of bad
hex is refused with its reason, and each reader keeps its own error and wording."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suffrage.core.group import GENERATOR, decode_element_hex, decode_scalar_hex
from suffrage.errors import InvalidEncoding
from suffrage.inputs import strict_hex
from suffrage.record.fields import element_list, hexbytes

GOOD = GENERATOR.to_bytes().hex()

# (text, size, reason): each way a text can fail to be lowercase hex and nothing else.
BAD = [
    (17, 32, "expected a hex string, got int"),
    (b"ab" * 32, 32, "expected a hex string, got bytes"),
    (None, None, "expected a hex string, got NoneType"),
    (GOOD[:-2], 32, "expected 64 hex digits, got 62"),
    (GOOD + "00", 32, "expected 64 hex digits, got 66"),
    ("", 32, "expected 64 hex digits, got 0"),
    (GOOD.upper(), 32, "expected lowercase hexadecimal digits only"),
    ("Ab", None, "expected lowercase hexadecimal digits only"),
    ("ab cd", None, "expected lowercase hexadecimal digits only"),  # fromhex skips the space
    (" " + GOOD[1:], 32, "expected lowercase hexadecimal digits only"),
    (GOOD[:-1] + "\n", 32, "expected lowercase hexadecimal digits only"),
    ("abc", None, "expected lowercase hexadecimal digits only"),  # odd length
    ("+a", None, "expected lowercase hexadecimal digits only"),
    ("0x" + GOOD[2:], 32, "expected lowercase hexadecimal digits only"),
    ("١٢", None, "expected lowercase hexadecimal digits only"),  # Arabic-Indic digits
    ("ａｂ", None, "expected lowercase hexadecimal digits only"),  # full-width letters
]


@pytest.mark.parametrize(("text", "size", "reason"), BAD)
def test_each_kind_of_bad_hex_is_refused_with_its_reason(
    text: object, size: int | None, reason: str
) -> None:
    assert strict_hex(text, size) == reason


@given(st.binary(max_size=80))
def test_the_hex_of_any_bytes_reads_back(raw: bytes) -> None:
    assert strict_hex(raw.hex(), len(raw)) == raw
    assert strict_hex(raw.hex()) == raw


@given(st.text(alphabet="0123456789abcdefABCDEF \t\n-+xg", max_size=12))
def test_only_the_one_text_of_some_bytes_is_accepted(text: str) -> None:
    result = strict_hex(text)
    assert isinstance(result, bytes) == (
        len(text) % 2 == 0 and set(text) <= set("0123456789abcdef")
    )
    if isinstance(result, bytes):
        assert result.hex() == text


@pytest.mark.parametrize(("text", "size", "reason"), [b for b in BAD if b[1] == 32])
def test_the_group_raises_the_reason_for_the_field(text: object, size: int, reason: str) -> None:
    for decode in (decode_element_hex, decode_scalar_hex):
        with pytest.raises(InvalidEncoding) as info:
            decode(text, field="ballot.credential")  # type: ignore[arg-type]
        assert (info.value.field, info.value.reason) == ("ballot.credential", reason)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (17, "expected a string, got int"),
        (GOOD + "00", "longer than 64 characters"),
        (GOOD[:-2], "expected 64 lowercase hex digits"),
        (GOOD.upper(), "expected 64 lowercase hex digits"),
        (GOOD[:-1] + " ", "expected 64 lowercase hex digits"),
        ("١" * 64, "expected 64 lowercase hex digits"),
    ],
)
def test_hexbytes_keeps_its_wording(text: object, reason: str) -> None:
    assert hexbytes(GOOD, "x", size=32) == bytes.fromhex(GOOD)
    with pytest.raises(InvalidEncoding) as info:
        hexbytes(text, "tally.board_head", size=32)
    assert (info.value.field, info.value.reason) == ("tally.board_head", reason)


@pytest.mark.parametrize(("bad", "reason"), [(b[0], b[2]) for b in BAD if b[1] == 32])
def test_a_list_of_hex_names_its_bad_entry(bad: object, reason: str) -> None:
    assert element_list([GOOD, GOOD], "x") == (GENERATOR, GENERATOR)
    with pytest.raises(InvalidEncoding) as info:
        element_list([GOOD, bad, GOOD], "proof.commitments_g")
    assert (info.value.field, info.value.reason) == ("proof.commitments_g[1]", reason)
