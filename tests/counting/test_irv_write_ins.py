"""Undeclared write-ins in an IRV count: eliminated together first, never elected
(spec/counting.md#irv)."""

from __future__ import annotations

from suffrage.counting.ballots import Profile, make_ballot
from suffrage.counting.irv import IrvOptions, count_irv

NAMES = ("Ana", "Ben", "Cleo", "Write-in")


def _profile(rows: list[tuple[list[int], int]]) -> Profile:
    return Profile(
        candidates=NAMES, ballots=tuple(make_ballot([[c] for c in r], weight=w) for r, w in rows)
    )


def test_write_ins_go_first_even_when_not_lowest() -> None:
    # Write-in holds 4 first preferences, more than Cleo's 3: without the rule Cleo goes first.
    profile = _profile([([0], 5), ([1], 4), ([2, 1], 3), ([3, 0], 4)])
    plain = count_irv(profile)
    assert plain.trail.stages[0].events == ("eliminated Cleo",)
    result = count_irv(profile, IrvOptions(write_ins=frozenset({3})))
    first = result.trail.stages[0]
    assert first.events == ("eliminated first (undeclared write-ins cannot win): Write-in",)
    assert first.values["Write-in"] == 4
    second = result.trail.stages[1]
    assert "Write-in" not in second.values
    assert second.values["Ana"] == 9  # the write-in ballots moved on to their next choice
    assert result.elected == ("Ana",)
    assert result.options["write_ins"] == ["Write-in"]


def test_a_write_in_with_a_majority_is_not_elected() -> None:
    profile = _profile([([3], 6), ([0], 3), ([1, 0], 2)])
    result = count_irv(profile, IrvOptions(write_ins=frozenset({3})))
    assert result.elected == ("Ana",)
    assert "elected Write-in" not in sum((s.events for s in result.trail.stages), ())


def test_a_declared_majority_wins_before_write_ins_are_dropped() -> None:
    profile = _profile([([0], 6), ([3], 2), ([1], 1)])
    result = count_irv(profile, IrvOptions(write_ins=frozenset({3})))
    assert result.elected == ("Ana",)
    assert len(result.trail.stages) == 1


def test_options_unchanged_without_write_ins() -> None:
    result = count_irv(_profile([([0], 2), ([1], 1)]))
    assert "write_ins" not in result.options
