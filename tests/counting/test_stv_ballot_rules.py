"""The STV rules honour the ballot rules IRV honours (issue 18): an overvote, a repeated
candidate and a run of skipped ranks mean what the count's rules say, not always the
defaults, so that `suffrage count --overvote skip --method stv-meek` is not the same count
as without it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from suffrage.counting._common import Result
from suffrage.counting.ballots import BallotRules, OvervoteRule, Profile, RepeatRule
from suffrage.counting.readers import parse_cvr
from suffrage.counting.stv_common import papers_of
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish

CVR = "rank1,rank2,rank3\nA,,\nA,,\nA,,\nB,,\nB,,\nA=B,C,\nA=B,C,\nA=B,C,\nC,C,B\n,,C\n"
"""Three ballots overvoted at rank 1 then C; one repeating C; one skipping two ranks."""

COUNTS: list[Callable[..., Result]] = [count_stv_meek, count_stv_scottish, count_stv_gregory]


def first_stage_c(count: Callable[..., Result], rules: BallotRules | None) -> float:
    return float(count(parse_cvr(CVR), rules=rules).trail.stages[0].values["C"])


@pytest.mark.parametrize("count", COUNTS)
def test_the_overvote_and_skipped_rank_rules_change_first_preferences(
    count: Callable[..., Result],
) -> None:
    assert first_stage_c(count, None) == 2  # an overvote exhausts; skipped ranks pass
    assert first_stage_c(count, BallotRules(overvote=OvervoteRule.SKIP)) == 5
    assert first_stage_c(count, BallotRules(max_skipped=2)) == 1


def test_the_repeat_rule_reaches_the_papers() -> None:
    profile: Profile = parse_cvr(CVR)
    repeated = profile.ballots[8]
    assert repeated.ranks == ((2,), (2,), (1,))
    orders = [order for order, _ in papers_of(profile)]
    exhausting = [order for order, _ in papers_of(profile, BallotRules(repeat=RepeatRule.EXHAUST))]
    assert (orders[8], exhausting[8]) == ((2, 1), (2,))
