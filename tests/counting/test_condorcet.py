"""Condorcet: pairwise counts, Schulze, Ranked Pairs, Debian A.6 (spec/counting.md#condorcet)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from suffrage.counting.ballots import Profile, make_ballot
from suffrage.counting.condorcet import count_debian, count_ranked_pairs, count_schulze, pairwise
from suffrage.errors import CountingError


def orders(names: str, *groups: tuple[int, str]) -> Profile:
    ballots = tuple(make_ballot([[names.index(c)] for c in order], w) for w, order in groups)
    return Profile(candidates=tuple(names), ballots=ballots)


# The worked example of Schulze's paper (45 voters, 5 candidates): Schulze elects E.
SCHULZE = orders(
    "ABCDE",
    (5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"),
    (7, "CAEBD"), (2, "CBADE"), (7, "DCEBA"), (8, "EBADC"),
)  # fmt: skip


def test_pairwise_counts_strict_preferences_and_unranked_below() -> None:
    p = Profile(
        candidates=("A", "B", "C"),
        ballots=(make_ballot([[0, 1]], 2), make_ballot([[2]], 1)),
    )
    assert pairwise(p) == [[0, 0, 2], [0, 0, 2], [1, 1, 0]]


def test_schulze_example() -> None:
    matrix = pairwise(SCHULZE)
    assert matrix[0][1] == 20
    assert matrix[1][0] == 25
    result = count_schulze(SCHULZE)
    assert result.elected == ("E",)
    paths = result.trail.stages[1].values
    assert paths["E > A"] == 25
    assert paths["A > E"] == 24


def test_ranked_pairs_example() -> None:
    result = count_ranked_pairs(SCHULZE)
    assert result.elected == ("A",)
    assert any(e.startswith("skipped") for e in result.trail.stages[1].events)


def test_condorcet_winner_wins_everywhere() -> None:
    p = orders("ABC", (3, "ABC"), (2, "BCA"), (2, "CAB"))
    assert pairwise(p)[0][1] == 5
    assert count_schulze(p).elected == count_ranked_pairs(p).elected == ("A",)


def test_a_perfect_tie_is_drawn_by_lot_and_recorded() -> None:
    p = orders("AB", (1, "AB"), (1, "BA"))
    result = count_schulze(p, seed=5)
    assert result.trail.seed == 5
    assert len(result.trail.lots) == 1
    assert {count_schulze(p, seed=s).elected for s in range(16)} == {("A",), ("B",)}


def test_debian_drops_options_that_do_not_beat_the_default() -> None:
    # B beats the default N only 4:3; with a 3:1 supermajority B is dropped and N wins.
    p = orders("ABN", (4, "BNA"), (3, "NBA"))
    assert count_debian(p, default="N").elected == ("B",)
    strict = count_debian(p, default="N", majority=Fraction(3))
    assert strict.elected == ("N",)
    dropped = strict.trail.stages[1].events
    assert "dropped A: does not defeat N by 3:1" in dropped
    assert "dropped B: does not defeat N by 3:1" in dropped


def test_debian_refuses_bad_options() -> None:
    p = orders("AB", (1, "AB"))
    with pytest.raises(CountingError, match="default option 'Z' is not an option"):
        count_debian(p, default="Z")
    with pytest.raises(CountingError, match="majority ratio must be at least 1"):
        count_debian(p, default="B", majority=Fraction(1, 2))
