"""Properties of the ranked methods over random profiles (spec/counting.md#stv, #irv)."""

from __future__ import annotations

import random as stdlib_random
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.counting._common import Result
from suffrage.counting.ballots import Profile, make_ballot
from suffrage.counting.condorcet import count_ranked_pairs, count_schulze
from suffrage.counting.irv import IrvOptions, count_irv
from suffrage.counting.readers import parse_blt
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish

NAMES = ("Ann", "Bob", "Cy", "Di", "Ed")


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    size = draw(st.integers(2, len(NAMES)))
    order = st.permutations(range(size)).flatmap(
        lambda p: st.integers(1, size).map(lambda k: p[:k])
    )
    ballots = draw(st.lists(st.tuples(order, st.integers(1, 9)), min_size=1, max_size=25))
    return Profile(
        candidates=NAMES[:size],
        ballots=tuple(make_ballot([[c] for c in o], w) for o, w in ballots),
        seats=draw(st.integers(1, size)),
    )


STV: list[Callable[..., Result]] = [count_stv_scottish, count_stv_gregory, count_stv_meek]
ALL: list[Callable[..., Result]] = [*STV, count_irv, count_schulze, count_ranked_pairs]


@settings(max_examples=60, deadline=None)
@given(profiles(), st.sampled_from(STV))
def test_stv_fills_exactly_the_seats(profile: Profile, counter: Callable[..., Result]) -> None:
    result = counter(profile)
    assert len(result.elected) == profile.seats
    assert len(set(result.elected)) == profile.seats


@settings(max_examples=60, deadline=None)
@given(profiles(), st.sampled_from(ALL), st.randoms(use_true_random=False))
def test_order_of_ballot_lines_does_not_matter(
    profile: Profile, counter: Callable[..., Result], random: stdlib_random.Random
) -> None:
    lines = list(profile.ballots)
    random.shuffle(lines)
    shuffled = Profile(candidates=profile.candidates, ballots=tuple(lines), seats=profile.seats)
    first, second = counter(profile, seed=1), counter(shuffled, seed=1)
    assert first.elected == second.elected
    assert [s.values for s in first.trail.stages] == [s.values for s in second.trail.stages]


@settings(max_examples=60, deadline=None)
@given(profiles(), st.booleans())
def test_irv_winner_has_a_majority_of_the_last_round(profile: Profile, batch: bool) -> None:
    result = count_irv(profile, IrvOptions(batch=batch))
    last = {k: v for k, v in result.trail.stages[-1].values.items() if k != "(exhausted)"}
    (winner,) = result.elected
    assert last[winner] * 2 > sum(last.values()) or len(last) == 1


@settings(max_examples=60, deadline=None)
@given(profiles())
def test_blt_round_trip(profile: Profile) -> None:
    lines = [f"{len(profile.candidates)} {profile.seats}"]
    for ballot in profile.ballots:
        marks = " ".join(str(rank[0] + 1) for rank in ballot.ranks)
        lines.append(f"{ballot.weight} {marks} 0")
    lines += ["0", *(f'"{n}"' for n in profile.candidates), '"title"']
    assert parse_blt("\n".join(lines)).ballots == profile.ballots
