"""Cambridge Plan E (M.G.L. ch. 54A s. 9 and the Cincinnati method) on worked examples built
by hand from the rules, step by step (spec/counting.md#stv-cambridge), and its invariants on
the real STV elections."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from suffrage.counting.ballots import BallotRules, OvervoteRule, Profile, make_ballot
from suffrage.counting.readers import parse_blt
from suffrage.counting.stv_cambridge import (
    EXHAUSTED,
    cincinnati_positions,
    cincinnati_step,
    count_stv_cambridge,
)
from suffrage.errors import CountingError


def profile(names: str, ballots: Sequence[str], seats: int) -> Profile:
    """One ballot per string, in reading order: ``"AB"`` ranks A then B."""
    made = tuple(make_ballot([[names.index(c)] for c in ballot]) for ballot in ballots)
    return Profile(candidates=tuple(names), ballots=made, seats=seats)


# Example 1 (spec/counting.md#stv-cambridge-example): 30 ballots, 3 seats, floor 4.
# A's twelve ballots are numbers 1, 3-5, 7-14 in reading order (positions 1-12 in A's pile).
EXAMPLE = [
    "AB", "BA", "AC", "AB", "AD", "C", "AC", "A", "AC", "AB", "AE", "AD", "AC", "AC",
    "B", "B", "B", "B", "B",
    "C", "C", "C", "C",
    "D", "DC", "DC", "DB",
    "EBC", "ED",
    "FEB",
]  # fmt: skip


def example() -> Profile:
    return profile("ABCDEF", EXAMPLE, 3)


def totals(values: dict[str, int]) -> tuple[int, ...]:
    return tuple(values[n] for n in (*"ABCDEF", EXHAUSTED))


def test_quota_and_first_count() -> None:
    result = count_stv_cambridge(example(), floor=4)
    assert result.options["valid"] == 30
    assert result.options["quota"] == 8  # s. 9(c): floor(30 / 4) + 1
    first = result.trail.stages[0]
    assert totals(dict(first.values)) == (12, 6, 5, 4, 2, 1, 0)
    assert "elected A" in first.events


def test_the_cincinnati_method_picks_every_nth_ballot_then_starts_again() -> None:
    # n = 12 / 4 = 3: positions 3, 6, 9, 12, then 4, 7, 10, then 5, 8, 11, then 1, 2.
    assert cincinnati_step(12, 4) == 3
    assert cincinnati_positions(12, 4) == [3, 6, 9, 12, 4, 7, 10, 5, 8, 11, 1, 2]
    surplus = count_stv_cambridge(example(), floor=4).trail.stages[1]
    assert surplus.kind == "surplus"
    # position 6 is ballot 8 ("A" alone): skipped and kept; position 4 completes the four.
    assert surplus.events[0] == (
        "surplus of A: 4 of 12 ballots, n = 3; positions transferred: 3, 9, 12, 4"
    )
    assert surplus.events[1] == "their ballot numbers in reading order: 4, 11, 14, 5"
    assert surplus.events[2] == "positions not transferable, kept: 6"
    assert totals(dict(surplus.values)) == (8, 7, 6, 5, 3, 1, 0)


def test_n_is_the_nearest_whole_number_halves_up() -> None:
    assert cincinnati_step(2600, 600) == 4  # 4.33 (the Cambridge Civic Journal's example)
    assert cincinnati_step(10, 4) == 3  # 2.5 rounds up
    assert cincinnati_step(11, 4) == 3  # 2.75
    assert cincinnati_step(9, 4) == 2  # 2.25
    assert cincinnati_positions(7, 1) == [7, 1, 2, 3, 4, 5, 6]
    for total in range(2, 40):
        for surplus in range(1, total):
            assert sorted(cincinnati_positions(total, surplus)) == list(range(1, total + 1))
    with pytest.raises(CountingError, match=r"a surplus must be 1\.\.11, not 12"):
        cincinnati_positions(12, 12)


def test_candidates_under_the_floor_are_defeated_together_in_one_transfer() -> None:
    stage = count_stv_cambridge(example(), floor=4).trail.stages[2]
    assert stage.kind == "defeat under floor"
    # F (1) goes first: F E B reaches B, who makes the quota and takes nothing more; then E's
    # ballots in the order received: E B C passes over B to C, E D to D, and ballot 11
    # (A E, from A's surplus) has no continuing choice.
    assert stage.events == (
        "defeated together (under 4): F, E",
        "elected B",
        "F's ballots: 1 transferred, 0 exhausted",
        "E's ballots: 2 transferred, 1 exhausted",
    )
    assert totals(dict(stage.values)) == (8, 8, 7, 6, 0, 0, 1)


def test_the_lowest_is_defeated_and_the_count_ends_when_the_seats_are_filled() -> None:
    result = count_stv_cambridge(example(), floor=4)
    last = result.trail.stages[3]
    assert last.kind == "defeat"
    # D's ballots in order: D (exhausted), D C (elects C), D C, D B, A D, E D: no one left.
    assert last.events == (
        "defeated D",
        "elected C",
        "D's ballots: 1 transferred, 5 exhausted",
    )
    assert totals(dict(last.values)) == (8, 8, 8, 0, 0, 0, 6)
    assert result.elected == ("A", "B", "C")
    assert len(result.trail.stages) == 4


def test_the_default_floor_of_fifty_defeats_everyone_it_may() -> None:
    result = count_stv_cambridge(example())
    # All of B..F are under 50; defeating them all would leave no one for two seats.
    assert "s. 9(g) not applied" in result.trail.notes[2]
    assert result.elected == ("A", "B", "C")


def test_ballot_order_matters() -> None:
    # Swap ballots 4 (A B) and 9 (A C): position 3 of A's pile now goes to C, not B.
    moved = [*EXAMPLE]
    moved[3], moved[8] = moved[8], moved[3]
    result = count_stv_cambridge(profile("ABCDEF", moved, 3), floor=4)
    surplus = result.trail.stages[1]
    assert surplus.events[1] == "their ballot numbers in reading order: 4, 11, 14, 5"
    assert totals(dict(surplus.values)) == (8, 6, 7, 5, 3, 1, 0)
    assert totals(dict(result.trail.stages[2].values)) == (8, 8, 7, 6, 0, 0, 1)


def test_ties_look_back_from_the_last_transfer() -> None:
    # s. 9(k): B and C tie at 6 after E's transfer; before it (stage 2) B had 5, C 4, so C
    # is defeated, although at the first count C (4) was ahead of B (3).
    ballots = ["A"] * 7 + ["B"] * 3 + ["CA"] * 4 + ["DB"] * 2 + ["EB", "ECA", "ECA"]
    result = count_stv_cambridge(profile("ABCDE", ballots, 1), floor=0)
    stages = result.trail.stages
    assert [dict(s.values)["B"] for s in stages] == [3, 5, 6, 6]  # B keeps them (s. 9(l))
    assert [dict(s.values)["C"] for s in stages] == [4, 4, 6, 0]
    assert stages[3].events[:2] == (
        "tie of B, C broken by the standing at stage 2 (s. 9(k)): C lowest",
        "defeated C",
    )
    assert result.elected == ("A",)
    assert dict(stages[3].values)["A"] == 10  # the quota, floor(19 / 2) + 1
    assert dict(stages[3].values)[EXHAUSTED] == 3


def test_a_tie_at_every_stage_is_drawn_by_lot_from_the_seed() -> None:
    tied = profile("ABC", ["A", "BC", "CB"], 1)
    winners = {seed: count_stv_cambridge(tied, seed=seed, floor=0).elected for seed in range(6)}
    assert winners[0] == count_stv_cambridge(tied, seed=0, floor=0).elected  # reproducible
    assert len(set(winners.values())) > 1
    result = count_stv_cambridge(tied, seed=0, floor=0)
    assert result.trail.seed == 0
    assert result.trail.lots[0].startswith("defeat: lot among A, B, C chose ")


def test_overvote_rules_reach_the_count() -> None:
    ballots = (make_ballot([[0, 1], [2]]),) * 3 + (make_ballot([[2]]),)
    tied = Profile(candidates=("A", "B", "C"), ballots=ballots, seats=1)
    assert count_stv_cambridge(tied, floor=0).options["valid"] == 1
    skip = BallotRules(overvote=OvervoteRule.SKIP)
    assert count_stv_cambridge(tied, floor=0, rules=skip).options["valid"] == 4


def test_a_bad_floor_is_refused() -> None:
    with pytest.raises(CountingError, match="the floor must be a whole number >= 0, not -1"):
        count_stv_cambridge(example(), floor=-1)


def test_real_elections_conserve_ballots(election_data: Path) -> None:
    files = sorted((election_data / "stv_scotland_2017" / "ballots").glob("*.blt"))
    files += sorted((election_data / "stv_glasgow_2007" / "blt").glob("*.blt"))
    assert len(files) > 300
    for file in files:
        data = parse_blt(file.read_text(encoding="utf-8"), source=file.name)
        result = count_stv_cambridge(data)
        assert len(result.elected) == len(set(result.elected)) == data.seats, file.name
        for stage in result.trail.stages:
            assert sum(stage.values.values()) == result.options["valid"], (file.name, stage)
