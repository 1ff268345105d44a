"""Canonical JSON of the record (spec/record-format.md#canonical-json)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suffrage.errors import InvalidEncoding
from suffrage.record.canonical import MAX_SAFE_INTEGER, canonical_bytes, parse_canonical

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@given(json_values)
def test_round_trip(value: Any) -> None:
    data = canonical_bytes(value)
    assert parse_canonical(data, field="doc") == value
    assert canonical_bytes(parse_canonical(data, field="doc")) == data


@given(json_values, st.sampled_from([b" ", b"\n", b"\t", b"\r"]), st.booleans())
def test_any_added_whitespace_is_refused(value: Any, space: bytes, before: bool) -> None:
    data = canonical_bytes(value)
    spaced = space + data if before else data + space
    with pytest.raises(InvalidEncoding, match="not canonical JSON"):
        parse_canonical(spaced, field="doc")


@given(st.dictionaries(st.text(max_size=4), json_values, min_size=2, max_size=4))
def test_any_other_key_order_is_refused(value: dict[str, Any]) -> None:
    data = canonical_bytes(value)
    reordered = (
        b"{"
        + b",".join(canonical_bytes({key: item})[1:-1] for key, item in reversed(value.items()))
        + b"}"
    )
    if reordered != data:
        with pytest.raises(InvalidEncoding, match="not canonical JSON"):
            parse_canonical(reordered, field="doc")


def test_known_encoding() -> None:
    value = {"b": [1, True, None], "a": "é\u2028<\n", "": -5}
    assert canonical_bytes(value) == b'{"":-5,"a":"\xc3\xa9\xe2\x80\xa8<\\n","b":[1,true,null]}'


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 (surrogates D83D DE00) sorts before U+FB01 in UTF-16, after it in code points.
    assert canonical_bytes({"\ufb01": 1, "\U0001f600": 2}).startswith(b'{"\xf0\x9f\x98\x80"')


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": 1}',  # whitespace
        b' {"a":1}',
        b'{"a":1}\n',
        b'{"b":1,"a":2}',  # key order
        b'"\\u0041"',  # needless escape
        b'"\\/"',
        b'"\\u00e9"',
        b"-0",
        b"\xef\xbb\xbf{}",  # byte-order mark
    ],
)
def test_non_canonical_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(InvalidEncoding) as info:
        parse_canonical(data, field="record.json")
    assert info.value.field == "record.json"
    assert info.value.reason in {"not canonical JSON (RFC 8785)"} or "not JSON" in info.value.reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"1.5", "floating-point number 1.5"),
        (b"1.0", "floating-point number 1.0"),
        (b"1e3", "floating-point number 1e3"),
        (b'{"x":[0.25]}', "floating-point number 0.25"),
        (b"NaN", "NaN is not JSON"),
        (b"-Infinity", "-Infinity is not JSON"),
        (b'{"a":1,"a":1}', "duplicate key 'a'"),
        (b'{"a":{"b":1,"b":2}}', "duplicate key 'b'"),
        (b"9007199254740992", "outside ±(2^53 - 1)"),
        (b"-9007199254740992", "outside ±(2^53 - 1)"),
        (b"1" + b"0" * 5000, "outside ±(2^53 - 1)"),
        (b'"\\ud800"', "lone surrogate"),
        (b"\xff", "not UTF-8"),
        (b"{", "not JSON"),
        (b"", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 64 levels deep"),
    ],
)
def test_refusals_name_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidEncoding) as info:
        parse_canonical(data, field="tally.json")
    assert info.value.field == "tally.json"
    assert reason in info.value.reason


def test_largest_integers_are_accepted() -> None:
    assert parse_canonical(b"9007199254740991", field="n") == MAX_SAFE_INTEGER
    assert parse_canonical(b"-9007199254740991", field="n") == -MAX_SAFE_INTEGER


@pytest.mark.parametrize(
    ("value", "field", "reason"),
    [
        ({"a": [1, 2.5]}, "value.a[1]", "floating-point"),
        ({"a": {"b": 2**53}}, "value.a.b", "outside"),
        ({1: "x"}, "value", "not a string"),
        ({"s": {1, 2}}, "value.s", "a set has no JSON form"),
        ([b"raw"], "value[0]", "a bytes has no JSON form"),
        (["\udc00"], "value[0]", "lone surrogate"),
    ],
)
def test_canonical_bytes_refuses_values_outside_the_domain(
    value: Any, field: str, reason: str
) -> None:
    with pytest.raises(InvalidEncoding) as info:
        canonical_bytes(value)
    assert info.value.field == field
    assert reason in info.value.reason


def test_tuples_encode_as_arrays() -> None:
    assert canonical_bytes({"a": (1, "x")}) == b'{"a":[1,"x"]}'


def test_deep_nesting_is_refused_quickly_naming_the_place() -> None:
    start = time.perf_counter()
    with pytest.raises(InvalidEncoding) as info:
        parse_canonical(b"[" * 100_000 + b"]" * 100_000, field="tally.json")
    assert time.perf_counter() - start < 5
    assert info.value.reason == "JSON nested more than 64 levels deep (line 1, column 65)"


def test_64_levels_are_accepted_and_65_refused() -> None:
    assert parse_canonical(b"[" * 64 + b"]" * 64, field="doc") == _nested(64)
    with pytest.raises(InvalidEncoding, match="nested more than 64"):
        parse_canonical(b"[" * 65 + b"]" * 65, field="doc")


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize("inside", ["[" * 200, "{" * 200, '\\"' + "[" * 200, "\\\\" + "{[" * 100])
def test_brackets_inside_strings_are_not_nesting(inside: str) -> None:
    data = canonical_bytes({"a": [inside, "]" * 300, {"b": inside}]})
    assert b"\\" in data or '"' not in inside
    assert parse_canonical(data, field="doc")["a"][0] == inside


@pytest.mark.parametrize(
    "data",
    [
        b'{"' + b"k" * 200_000 + b'":1,"' + b"k" * 200_000 + b'":2}',
        b"[1." + b"5" * 200_000 + b"]",
        b"[" + b"9" * 200_000 + b"]",
    ],
)
def test_refusals_quote_at_most_80_characters(data: bytes) -> None:
    with pytest.raises(InvalidEncoding) as info:
        parse_canonical(data, field="doc")
    assert len(str(info.value)) < 200
