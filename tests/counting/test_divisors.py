"""Highest-averages methods (spec/counting.md#highest-averages)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from suffrage.counting._common import Lot
from suffrage.counting.divisors import dhondt, huntington_hill, modified_sainte_lague, sainte_lague
from suffrage.errors import CountingError

VOTES = {"A": 100000, "B": 80000, "C": 30000, "D": 20000}


def test_dhondt_quotient_table_and_order() -> None:
    result = dhondt(VOTES, 8)
    assert result.seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.elected == ("A", "B", "A", "B", "A", "C", "B", "A")
    table = result.trail.stages[0]
    assert table.kind == "quotient table"
    assert table.values["A"][1]["quotient"] == Fraction(50000)
    assert "seat 8 to A, quotient 25000" in result.trail.stages[-1].events[0]


def test_sainte_lague_and_modified() -> None:
    assert sainte_lague(VOTES, 8).seats == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert modified_sainte_lague(VOTES, 8).seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    sweden = modified_sainte_lague(VOTES, 8, first_divisor=Fraction(6, 5))
    assert sweden.seats == {"A": 3, "B": 3, "C": 1, "D": 1}
    assert sweden.options["first_divisor"] == Fraction(6, 5)


def test_modified_sainte_lague_refuses_float_and_small_divisor() -> None:
    with pytest.raises(CountingError, match="exact Fraction"):
        modified_sainte_lague(VOTES, 8, first_divisor=1.4)  # type: ignore[arg-type]
    with pytest.raises(CountingError, match="at least 1"):
        modified_sainte_lague(VOTES, 8, first_divisor=Fraction(1, 2))


def test_tie_goes_to_more_votes_then_lot() -> None:
    # A 300 / 3 = B 100 / 1: equal quotients, A has more votes.
    result = dhondt({"A": 300, "B": 100}, 3)
    assert result.seats == {"A": 3, "B": 0}
    assert any("more votes" in e for s in result.trail.stages for e in s.events)
    tied = dhondt({"A": 100, "B": 100}, 1, lot=Lot(seed=3))
    assert sum(tied.seats.values()) == 1
    assert tied.trail.seed == 3
    assert len(tied.trail.lots) == 1


def test_minimums_are_held_before_the_count() -> None:
    result = sainte_lague({"A": 900, "B": 100}, 4, minimums={"B": 2})
    assert result.seats == {"A": 2, "B": 2}


def test_huntington_hill_gives_everyone_a_first_seat() -> None:
    result = huntington_hill({"a": 100, "b": 50, "c": 1}, 5)
    assert result.seats == {"a": 3, "b": 1, "c": 1}
    with pytest.raises(CountingError, match="at least 3 seats"):
        huntington_hill({"a": 100, "b": 50, "c": 1}, 2)


def test_refuses_bad_input() -> None:
    with pytest.raises(CountingError, match="negative"):
        dhondt({"A": -5, "B": 1}, 2)
    with pytest.raises(CountingError, match="whole number from 1 to 10000"):
        dhondt({"A": 5}, 0)
    with pytest.raises(CountingError, match="no votes"):
        dhondt({"A": 0, "B": 0}, 2)
    with pytest.raises(CountingError, match="unknown lists"):
        dhondt({"A": 5}, 2, minimums={"Z": 1})
