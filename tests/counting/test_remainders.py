"""Largest-remainder methods (spec/counting.md#largest-remainder)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from suffrage.counting._common import Lot
from suffrage.counting.remainders import droop, hagenbach_bischoff, hare, imperiali, quota
from suffrage.errors import CountingError

VOTES = {"A": 47000, "B": 16000, "C": 15800, "D": 12000, "E": 6100, "F": 3100}


def test_quotas_are_exact_and_rounded_as_asked() -> None:
    assert quota(100000, 10, kind="hare") == 10000
    assert quota(100000, 10, kind="hagenbach_bischoff") == Fraction(100000, 11)
    assert quota(100000, 10, kind="droop", rounding="floor_plus_one") == 9091
    assert quota(100000, 10, kind="imperiali", rounding="half_up") == 8333
    assert quota(100000, 10, kind="imperiali", rounding="ceil") == 8334
    with pytest.raises(CountingError, match="unknown quota"):
        quota(1, 1, kind="nope")
    with pytest.raises(CountingError, match="unknown rounding"):
        quota(1, 1, kind="hare", rounding="bankers")


def test_hare_trail_holds_quota_whole_seats_and_remainders() -> None:
    result = hare(VOTES, 10)
    assert result.seats == {"A": 4 + 1, "B": 2, "C": 1, "D": 1, "E": 1, "F": 0}
    kinds = [s.kind for s in result.trail.stages]
    assert kinds == ["quota", "whole quotas", "remainders"]
    assert result.trail.stages[1].values["A"] == 4
    assert result.trail.stages[2].values["E"] == 6100


def test_droop_and_hagenbach_bischoff() -> None:
    expected = {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}
    assert droop(VOTES, 10).seats == expected
    assert hagenbach_bischoff(VOTES, 10).seats == expected


def test_over_award_is_taken_back_from_smallest_remainder() -> None:
    # Imperiali quota 100/(1+2): A gets 1 whole seat (rem 50/3), B gets 1 (rem 50/3 - ...).
    result = imperiali({"A": 60, "B": 40}, 1)
    assert sum(result.seats.values()) == 1
    assert result.seats == {"A": 1, "B": 0}
    assert any("taken back from B" in e for e in result.trail.stages[-1].events)


def test_equal_remainders_go_to_more_votes_then_lot() -> None:
    by_votes = hare({"A": 6, "B": 9, "C": 10}, 3)
    assert by_votes.seats == {"A": 1, "B": 1, "C": 1}
    result = hare({"A": 15, "B": 5, "C": 5}, 2, lot=Lot(seed=1))
    assert result.seats["A"] == 1
    assert result.seats["B"] + result.seats["C"] == 1
    assert len(result.trail.lots) == 1
    drawn = hare({"A": 5, "B": 5}, 1, lot=Lot(seed=9))
    assert sum(drawn.seats.values()) == 1
    assert drawn.trail.lots
    assert drawn.trail.seed == 9


def test_refuses_bad_input() -> None:
    with pytest.raises(CountingError, match="negative"):
        hare({"A": -1}, 1)
    with pytest.raises(CountingError, match="must be an integer"):
        hare({"A": 1.5}, 1)  # type: ignore[dict-item]
