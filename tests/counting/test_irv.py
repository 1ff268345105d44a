"""Instant-runoff and its options (spec/counting.md#irv)."""

from __future__ import annotations

import pytest

from suffrage.counting.ballots import OvervoteRule, Profile, make_ballot
from suffrage.counting.irv import IrvOptions, count_irv

ABCD = ("A", "B", "C", "D")


def profile(*ballots: tuple[int, list[list[int]]], names: tuple[str, ...] = ABCD) -> Profile:
    return Profile(candidates=names, ballots=tuple(make_ballot(r, w) for w, r in ballots))


def test_lowest_is_eliminated_until_a_majority() -> None:
    p = profile((4, [[0], [1]]), (3, [[1], [2]]), (2, [[2], [1]]), names=("A", "B", "C"))
    result = count_irv(p)
    assert result.elected == ("B",)
    assert [dict(s.values) for s in result.trail.stages] == [
        {"A": 4, "B": 3, "C": 2, "(exhausted)": 0},
        {"A": 4, "B": 5, "(exhausted)": 0},
    ]


def test_ties_are_broken_by_earlier_rounds() -> None:
    # Round 3 ties A and C at 3; round 1 had C lower, so C goes and A wins.
    p = profile((3, [[0]]), (2, [[1]]), (2, [[2], [1]]), (1, [[3], [2]]))
    result = count_irv(p)
    assert result.elected == ("A",)
    assert "tie for elimination broken by stage 1 totals" in result.trail.stages[2].events
    assert result.trail.lots == ()


def test_ties_without_history_are_drawn_by_lot_with_the_seed_recorded() -> None:
    p = profile((1, [[0]]), (1, [[1]]), names=("A", "B"))
    winners = {count_irv(p, seed=s).elected for s in range(20)}
    assert winners == {("A",), ("B",)}
    again = count_irv(p, seed=7)
    assert again.elected == count_irv(p, seed=7).elected
    assert again.trail.seed == 7
    assert len(again.trail.lots) == 1
    assert "lot among A, B" in again.trail.lots[0]


def test_no_backward_tiebreak_draws_lots() -> None:
    p = profile((3, [[0]]), (2, [[1]]), (2, [[2], [1]]), (1, [[3], [2]]))
    result = count_irv(p, IrvOptions(backward=False))
    assert len(result.trail.lots) == 1


def test_batch_elimination_removes_all_who_cannot_catch_up() -> None:
    p = profile((10, [[0]]), (9, [[1]]), (3, [[2], [1]]), (2, [[3], [1]]))
    batch = count_irv(p, IrvOptions(batch=True))
    assert len(batch.trail.stages) == 2
    assert "eliminated together (cannot catch up): C, D" in batch.trail.stages[0].events
    assert batch.trail.stages[1].values == {"A": 10, "B": 14, "(exhausted)": 0}
    assert count_irv(p).elected == batch.elected == ("B",)
    assert len(count_irv(p).trail.stages) == 3


@pytest.mark.parametrize(
    ("rule", "winner"), [(OvervoteRule.EXHAUST, "A"), (OvervoteRule.SKIP, "B")]
)
def test_overvote_rule_decides(rule: OvervoteRule, winner: str) -> None:
    # Three ballots overvote C=D at rank 1 then B: skipping the rank gives them to B.
    p = profile((4, [[0]]), (2, [[1]]), (3, [[2, 3], [1]]), (1, [[2]]))
    assert count_irv(p, IrvOptions(overvote=rule)).elected == (winner,)


def test_skipped_ranks_limit_exhausts() -> None:
    p = profile((5, [[0]]), (4, [[1]]), (3, [[2], [], [], [1]]), (1, [[3]]))
    assert count_irv(p).elected == ("B",)
    assert count_irv(p, IrvOptions(max_skipped=2)).elected == ("A",)


def test_withdrawn_candidate_gets_nothing() -> None:
    p = Profile(
        candidates=("A", "B", "C"),
        ballots=(make_ballot([[2], [1]], 3), make_ballot([[0]], 2)),
        withdrawn=frozenset({2}),
    )
    result = count_irv(p)
    assert result.elected == ("B",)
    assert "C" not in result.trail.stages[0].values
