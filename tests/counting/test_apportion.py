"""Apportionment, district-by-district counts, pooled remainders, open lists."""

from __future__ import annotations

from fractions import Fraction

import pytest

from suffrage.counting.apportion import (
    by_district,
    hare_apportionment,
    huntington_hill_apportionment,
    open_list,
    pooled_remainders,
    seats_by_district,
)
from suffrage.counting.divisors import dhondt
from suffrage.errors import CountingError


def test_hare_and_huntington_hill_apportionment() -> None:
    figures = {"N": 700, "S": 250, "E": 50}
    assert hare_apportionment(figures, 10).seats == {"N": 7, "S": 3, "E": 0}
    hh = huntington_hill_apportionment(figures, 10)
    assert hh.seats == {"N": 7, "S": 2, "E": 1}
    assert hh.method == "apportion_huntington_hill"


def test_by_district_adds_seats_and_keeps_each_district() -> None:
    votes = {"one": {"A": 60, "B": 40}, "two": {"A": 10, "B": 90}}
    result = by_district(votes, {"one": 2, "two": 3}, dhondt, method="dhondt_by_district")
    assert result.seats == {"A": 1 + 0, "B": 1 + 3}
    assert seats_by_district(result) == {"one": {"A": 1, "B": 1}, "two": {"A": 0, "B": 3}}
    with pytest.raises(CountingError, match="without both votes and seats"):
        by_district(votes, {"one": 2}, dhondt, method="x")


def test_pooled_remainders_fill_every_seat() -> None:
    votes = {"d1": {"A": 500, "B": 300, "C": 200}, "d2": {"A": 100, "B": 450, "C": 450}}
    result = pooled_remainders(votes, {"d1": 3, "d2": 3})
    assert sum(result.seats.values()) == 6
    per = seats_by_district(result)
    assert sum(per["d1"].values()) == 3
    assert sum(per["d2"].values()) == 3
    with pytest.raises(CountingError, match="round the quota"):
        pooled_remainders(votes, {"d1": 3, "d2": 3}, rounding="exact")


def test_open_list_preference_jump() -> None:
    # average 100, bar 105: only D jumps; then list order.
    result = open_list([("A", 100), ("B", 95), ("C", 95), ("D", 110)], 2)
    assert result.elected == ("D", "A")
    assert result.options["bar"] == Fraction(105)
    with pytest.raises(CountingError, match="appears twice"):
        open_list([("A", 1), ("A", 2)], 1)
