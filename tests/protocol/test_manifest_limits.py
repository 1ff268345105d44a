"""The manifest loader's limits (spec/protocol.md#1.1): depth, integers, text, aliases."""

from __future__ import annotations

import contextlib
import time
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.errors import InvalidManifest, SuffrageError
from suffrage.protocol.manifest import load_manifest_text

Format = Literal["yaml", "json"]


def refused(text: str, fmt: Format) -> InvalidManifest:
    start = time.perf_counter()
    with pytest.raises(InvalidManifest) as caught:
        load_manifest_text(text, fmt=fmt)
    assert time.perf_counter() - start < 10
    assert len(str(caught.value)) < 300
    return caught.value


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_100000_deep_is_refused_without_recursion(fmt: Format) -> None:
    error = refused("[" * 100_000 + "]" * 100_000, fmt)
    assert "nested more than 64 levels deep" in error.reason


@pytest.mark.parametrize(
    ("text", "fmt"),
    [('{"election_id": ' + "9" * 5000 + "}", "json"), ("election_id: " + "9" * 5000, "yaml")],
)
def test_a_5000_digit_integer_is_refused(text: str, fmt: Format) -> None:
    assert "integer" in refused(text, fmt).reason


def test_a_lone_surrogate_in_a_json_manifest_is_refused() -> None:
    error = refused('{"election_id": "x\\ud800"}', "json")
    assert error.field == "election_id"
    assert "lone surrogate" in error.reason


def test_yaml_aliases_are_refused() -> None:
    error = refused("a: &x [1, 2]\nb: *x\n", "yaml")
    assert "aliases are not allowed (line 2" in error.reason


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["json", "yaml"]))
def test_random_bytes_raise_only_the_projects_errors(data: bytes, fmt: Format) -> None:
    with contextlib.suppress(SuffrageError):
        load_manifest_text(data.decode("utf-8", errors="replace"), fmt=fmt)
