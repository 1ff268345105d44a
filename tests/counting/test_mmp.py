"""Mixed-member proportional compositions (spec/counting.md#mmp)."""

from __future__ import annotations

import pytest

from suffrage.counting.apportion import seats_by_district
from suffrage.counting.mmp import bundestag_2013, constituency_wins, mmp
from suffrage.errors import CountingError


def test_overhang_is_kept_and_house_grows() -> None:
    votes = {"Big": 600, "Mid": 350, "Tiny": 50}
    result = mmp(votes, {"Tiny": 3, "Big": 2}, 10)
    assert result.seats["Tiny"] == 3
    assert sum(result.seats.values()) > 10
    assert any("overhang: Tiny +" in e for s in result.trail.stages for e in s.events)


def test_threshold_and_constituency_exemption() -> None:
    votes = {"A": 900, "B": 40, "C": 60}
    assert "B" not in mmp(votes, {}, 10).seats
    assert mmp(votes, {"B": 1}, 10).seats["B"] >= 1


def test_constituency_wins_and_bad_input() -> None:
    assert constituency_wins({"x": "A", "y": "A", "z": "B"}) == {"A": 2, "B": 1}
    with pytest.raises(CountingError, match="wins of 'A'"):
        mmp({"A": 1}, {"A": -1}, 5)


def test_bundestag_levelling_gives_every_party_its_minimum() -> None:
    population = {"North": 1000, "South": 1000}
    votes = {"North": {"X": 500, "Y": 500}, "South": {"X": 100, "Y": 900}}
    wins = {"North": {"X": 4}, "South": {"X": 1}}
    result = bundestag_2013(population, votes, wins, seats=8)
    assert result.seats["X"] >= 5
    assert sum(result.seats.values()) >= 8
    per = seats_by_district(result)
    assert per["North"]["X"] >= 4
    assert per["South"].get("X", 0) >= 1
