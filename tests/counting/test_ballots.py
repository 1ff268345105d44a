"""The ranked-ballot profile and the ballot rules (spec/counting.md#ranked-ballots)."""

from __future__ import annotations

import pytest

from suffrage.counting.ballots import (
    OvervoteRule,
    Profile,
    RankedBallot,
    RepeatRule,
    make_ballot,
    preference_order,
)
from suffrage.errors import InvalidBallotData


def test_profile_counts_weights() -> None:
    profile = Profile(
        candidates=("A", "B"), ballots=(make_ballot([[0], [1]], 3), make_ballot([[1]], 2))
    )
    assert profile.total_weight == 5
    assert profile.index("B") == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"candidates": ()}, "no candidates"),
        ({"candidates": ("A", "A")}, "'A' appears twice"),
        ({"candidates": ("A", " ")}, "name is empty"),
        ({"candidates": ("A", "B"), "seats": 3}, "seats must be 1..2"),
        ({"candidates": ("A", "B"), "seats": 0}, "seats must be 1..2"),
        ({"candidates": ("A",), "withdrawn": frozenset({4})}, "index 4 is not in 0..0"),
    ],
)
def test_profile_refuses_bad_candidates(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        Profile(ballots=(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        (RankedBallot(ranks=((0,),), weight=0), "ballot 1: weight must be positive"),
        (RankedBallot(ranks=((0,),), weight=True), "weight must be an integer"),
        (RankedBallot(ranks=((2,),)), "candidate index 2 is not in 0..1"),
        (RankedBallot(ranks=((-1,),)), "candidate index -1"),
    ],
)
def test_profile_refuses_bad_ballots(ballot: RankedBallot, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        Profile(candidates=("A", "B"), ballots=(ballot,), source="x.blt")


def test_unknown_name_is_refused() -> None:
    with pytest.raises(InvalidBallotData, match="no candidate named 'C'"):
        Profile(candidates=("A", "B"), ballots=()).index("C")


def test_make_ballot_sorts_and_dedupes_each_rank() -> None:
    assert make_ballot([[2, 1, 2], [], [0]]).ranks == ((1, 2), (), (0,))


OVER = make_ballot([[0], [1, 2], [3]])
SKIPS = make_ballot([[0], [], [], [1]])
REPEAT = make_ballot([[0], [0], [1]])


def test_overvote_exhausts_or_skips() -> None:
    assert preference_order(OVER) == (0,)
    assert preference_order(OVER, overvote=OvervoteRule.SKIP) == (0, 3)


def test_skipped_ranks_pass_or_exhaust() -> None:
    assert preference_order(SKIPS) == (0, 1)
    assert preference_order(SKIPS, max_skipped=2) == (0,)
    assert preference_order(SKIPS, max_skipped=3) == (0, 1)


def test_repeated_candidate_skips_or_exhausts() -> None:
    assert preference_order(REPEAT) == (0, 1)
    assert preference_order(REPEAT, repeat=RepeatRule.EXHAUST) == (0,)


def test_withdrawn_candidates_are_struck_out_first() -> None:
    # With candidate 2 withdrawn, the overvote {1, 2} is a single mark for 1.
    assert preference_order(OVER, ignore=frozenset({2})) == (0, 1, 3)
