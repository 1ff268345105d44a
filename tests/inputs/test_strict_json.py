"""The strict JSON loader, one definition (suffrage.inputs.strict_json), and its three
readers: each refuses duplicate keys, NaN and over-deep text in its own error and wording."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suffrage.counting.totals import read_totals_json
from suffrage.errors import InvalidBallotData, InvalidEncoding, InvalidManifest
from suffrage.inputs import (
    BeyondLimits,
    DuplicateKey,
    FloatRefused,
    IntegerRefused,
    JsonRefusal,
    NotANumber,
    load_strict_json,
    reload_own_json,
)
from suffrage.protocol.manifest_loaders import load_json
from suffrage.record.canonical import parse_canonical, parse_strict

DEEP = "[" * 65 + "]" * 65


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ('{"a":1,"a":2}', DuplicateKey, "duplicate key 'a'"),
        ('{"a":{"b":1,"b":1}}', DuplicateKey, "duplicate key 'b'"),
        ('[{"x":1},{"x":1,"x":1}]', DuplicateKey, "duplicate key 'x'"),
        ("NaN", NotANumber, "NaN is not JSON"),
        ('{"a":-Infinity}', NotANumber, "-Infinity is not JSON"),
        (DEEP, BeyondLimits, "JSON nested more than 64 levels deep (line 1, column 65)"),
        ("[1, 99999999999999999999]", BeyondLimits, "is outside ±(2^63 - 1) (line 1, column 5)"),
    ],
)
def test_the_loader_refuses_with_a_refusal_of_its_kind(
    text: str, kind: type[JsonRefusal], reason: str
) -> None:
    with pytest.raises(kind) as info:
        load_strict_json(text)
    assert info.value.reason.endswith(reason)


def test_floats_and_integers_follow_the_readers_rule() -> None:
    assert load_strict_json('{"a": 1.5, "b": [2]}') == {"a": 1.5, "b": [2]}
    with pytest.raises(FloatRefused, match=r"floating-point number 1\.5 is not allowed"):
        load_strict_json("[1.5]", floats=False)
    small = lambda digits: "too big" if int(digits) > 9 else None  # noqa: E731
    assert load_strict_json("[9]", integer=small, scan=False) == [9]
    with pytest.raises(IntegerRefused, match=r"^too big$"):
        load_strict_json("[10]", integer=small, scan=False)
    with pytest.raises(json.JSONDecodeError):
        load_strict_json('{"a": ')


values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=12,
)


@given(values)
def test_json_of_a_value_reads_back_the_same_either_way(value: object) -> None:
    text = json.dumps(value)
    assert load_strict_json(text) == reload_own_json(text) == value


def test_the_record_names_the_field_and_the_key() -> None:
    for parse in (parse_canonical, parse_strict):
        with pytest.raises(InvalidEncoding) as info:
            parse(b'{"a":{"b":1,"b":1}}', field="tally.json")
        assert (info.value.field, info.value.reason) == ("tally.json", "duplicate key 'b'")
    with pytest.raises(InvalidEncoding) as info:
        parse_strict(DEEP.encode(), field="body")
    assert info.value.reason == "JSON nested more than 64 levels deep (line 1, column 65)"


def test_the_manifest_names_the_key_as_the_field() -> None:
    with pytest.raises(InvalidManifest) as info:
        load_json('{"contests": [], "election_id": "a", "election_id": "b"}')
    assert (info.value.field, info.value.reason) == ("election_id", "duplicate key")
    with pytest.raises(InvalidManifest) as info:
        load_json('{"a": NaN}')
    assert (info.value.field, info.value.reason) == ("manifest", "not JSON: NaN")
    with pytest.raises(InvalidManifest) as info:
        load_json(DEEP)
    assert info.value.reason == "nested more than 64 levels deep (line 1, column 65)"


def test_a_totals_file_says_the_key_appears_twice() -> None:
    with pytest.raises(InvalidBallotData) as info:
        read_totals_json('{"votes": {"A": 1, "A": 2}}')
    assert (info.value.field, info.value.reason) == (
        "votes.json",
        "key 'A' appears twice; expected each key once",
    )
    with pytest.raises(InvalidBallotData) as info:
        read_totals_json('{"votes": {"A": Infinity}}', source="t.json")
    assert (info.value.field, info.value.reason) == ("t.json", "Infinity is not a number")
    with pytest.raises(InvalidBallotData) as info:
        read_totals_json(DEEP)
    assert info.value.reason == "JSON nested more than 64 levels deep (line 1, column 65)"
