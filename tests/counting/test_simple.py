"""Plurality, approval, referendum and two-round (spec/counting.md)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from suffrage.counting._common import Lot
from suffrage.counting.simple import approval, plurality, referendum, runoff_candidates, two_round
from suffrage.errors import CountingError


def test_plurality_single_and_multi_seat() -> None:
    votes = {"A": 10, "B": 30, "C": 20}
    assert plurality(votes).elected == ("B",)
    result = plurality(votes, 2)
    assert result.elected == ("B", "C")
    assert result.seats == {"B": 1, "C": 1}


def test_plurality_tie_is_drawn_by_seeded_lot_and_recorded() -> None:
    votes = {"A": 10, "B": 10, "C": 5}
    first = plurality(votes, lot=Lot(seed=7))
    again = plurality(dict(reversed(list(votes.items()))), lot=Lot(seed=7))
    assert first.elected == again.elected
    assert first.elected[0] in {"A", "B"}
    assert first.trail.seed == 7
    assert first.trail.lots
    assert "lot among A, B" in first.trail.lots[0]


def test_plurality_refuses_bad_input() -> None:
    with pytest.raises(CountingError, match="negative"):
        plurality({"A": -1, "B": 2})
    with pytest.raises(CountingError, match="seats"):
        plurality({"A": 1}, 0)
    with pytest.raises(CountingError, match="only 2 candidates"):
        plurality({"A": 1, "B": 2}, 3)


def test_approval_elects_most_approved() -> None:
    result = approval({"A": 40, "B": 55, "C": 55, "D": 10}, 2)
    assert set(result.elected) == {"B", "C"}
    assert result.method == "approval"


def test_referendum_simple_majority() -> None:
    assert referendum({"yes": 51, "no": 49}).elected == ("yes",)
    assert referendum({"yes": 50, "no": 50}).elected == ("no",)
    assert referendum({"yes": 50, "no": 50}, strict=False).elected == ("yes",)


def test_referendum_supermajority_and_quorums() -> None:
    votes = {"yes": 60, "no": 40, "blank": 5}
    assert referendum(votes, majority=Fraction(2, 3)).elected == ("no",)
    assert referendum(votes, majority=Fraction(3, 5), strict=False).elected == ("yes",)
    assert referendum(votes, electorate=200, turnout_quorum=Fraction(1, 2)).elected == ("yes",)
    low = referendum(votes, electorate=300, turnout_quorum=Fraction(1, 2))
    assert low.elected == ("no",)
    assert any("turnout" in e and "not met" in e for e in low.trail.stages[0].events)
    assert referendum(votes, electorate=200, approval_quorum=Fraction(1, 4)).elected == ("yes",)
    assert referendum(votes, electorate=300, approval_quorum=Fraction(1, 4)).elected == ("no",)


def test_referendum_refuses_bad_options() -> None:
    with pytest.raises(CountingError, match="quorum needs the size of the electorate"):
        referendum({"yes": 1, "no": 1}, turnout_quorum=Fraction(1, 2))
    with pytest.raises(CountingError, match="unknown referendum figures"):
        referendum({"yes": 1, "no": 1, "maybe": 3})
    with pytest.raises(CountingError, match="exact Fraction"):
        referendum({"yes": 1, "no": 1}, majority=0.5)  # type: ignore[arg-type]


def test_two_round_majority_then_runoff() -> None:
    decided = two_round({"A": 51, "B": 30, "C": 19})
    assert decided.elected == ("A",)
    assert runoff_candidates(decided) == ()
    open_ = two_round({"A": 40, "B": 35, "C": 25})
    assert open_.elected == ()
    assert runoff_candidates(open_) == ("A", "B")
    final = two_round({"A": 40, "B": 35, "C": 25}, {"A": 45, "B": 55})
    assert final.elected == ("B",)


def test_two_round_majority_of_electorate() -> None:
    assert two_round({"A": 60, "B": 40}, electorate=150).elected == ()


def test_two_round_refuses_wrong_second_round() -> None:
    with pytest.raises(CountingError, match="second round must hold exactly"):
        two_round({"A": 40, "B": 35, "C": 25}, {"A": 45, "C": 55})
