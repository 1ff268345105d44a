"""The one helper that puts outside input into an error message (suffrage.errors.quote)."""

from __future__ import annotations

import pytest

from suffrage.errors import QUOTE_LENGTH, clip, quote


def test_short_values_are_quoted_whole() -> None:
    assert quote("A") == "'A'"
    assert quote(12) == "12"
    assert quote(["a", "b"]) == "['a', 'b']"
    assert clip("votes.A") == "votes.A"


@pytest.mark.parametrize("value", ["x" * 50_000_000, ["y" * 1000], {"k" * 500: 1}])
def test_long_values_show_80_characters_and_their_length(value: object) -> None:
    shown = quote(value)
    assert len(shown) < QUOTE_LENGTH + 40
    assert "..." in shown
    assert shown.endswith("characters)")


def test_a_huge_integer_is_described_not_converted() -> None:
    assert quote(10**5000) == f"an integer of {(10**5000).bit_length()} bits"


def test_clip_keeps_the_first_80_characters() -> None:
    assert clip("z" * 100) == "z" * 80 + "... (100 characters)"
