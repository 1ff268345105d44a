"""Results of a party list that has nothing to divide (spec/protocol.md#17)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from suffrage.protocol.manifest import Contest, ContestKind, load_sample_manifest
from suffrage.protocol.results import contest_count


def _party_list() -> Contest:
    manifest = load_sample_manifest()
    return next(c for c in manifest.contests if c.kind is ContestKind.PARTY_LIST)


def test_a_list_contest_without_a_vote_allocates_no_seat_and_says_why() -> None:
    contest = _party_list()
    votes = dict.fromkeys(contest.option_ids, 0)
    result = contest_count(contest, votes, 3, seed=1, electorate=3)
    assert result.elected == ()
    assert dict(result.seats) == {}
    assert result.trail.lots == ()
    assert result.trail.notes == ("no seat is allocated: no list received a vote",)


def test_no_list_over_the_threshold_allocates_no_seat() -> None:
    contest = replace(_party_list(), threshold=Fraction(1, 2))
    votes = dict(zip(contest.option_ids, [3, 3, 2, 1, 1], strict=False))
    result = contest_count(contest, votes, 10, seed=1, electorate=10)
    assert result.elected == ()
    assert result.trail.notes == ("no seat is allocated: no list reached the threshold",)


def test_a_list_contest_with_votes_still_allocates_every_seat() -> None:
    contest = _party_list()
    votes = dict(zip(contest.option_ids, [40, 30, 20, 10, 5], strict=False))
    result = contest_count(contest, votes, 105, seed=1, electorate=200)
    assert sum(result.seats.values()) == (contest.seats or 1)
