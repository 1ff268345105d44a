"""Properties of the list methods (spec/counting.md#guarantees).

Guaranteed and tested here: every method fills exactly its seats and does not depend on the
order of its input; a list that loses votes, all else equal, never gains seats (divisor methods
and the largest-remainder methods here: its share falls while every other share rises); divisor
methods are house-monotone (one more seat never takes a seat from anyone). Largest remainder is
not house-monotone (the Alabama paradox), so that is not asserted for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.counting._common import Result
from suffrage.counting.divisors import dhondt, huntington_hill, modified_sainte_lague, sainte_lague
from suffrage.counting.remainders import droop, hagenbach_bischoff, hare, imperiali

Method = Callable[[Mapping[str, int], int], Result]

DIVISORS: list[Method] = [
    dhondt,
    sainte_lague,
    modified_sainte_lague,
    lambda v, s: modified_sainte_lague(v, s, first_divisor=Fraction(6, 5)),
]
QUOTAS: list[Method] = [hare, droop, hagenbach_bischoff, imperiali]

votes_strategy = st.dictionaries(
    st.sampled_from(list("ABCDEFG")), st.integers(min_value=1, max_value=10_000), min_size=1
)


@settings(max_examples=60, deadline=None)
@given(votes=votes_strategy, seats=st.integers(min_value=1, max_value=30))
def test_seats_always_add_up(votes: dict[str, int], seats: int) -> None:
    for method in [*DIVISORS, *QUOTAS]:
        if method in QUOTAS and seats > len(votes) * 30:
            continue
        assert sum(method(votes, seats).seats.values()) == seats


@settings(max_examples=60, deadline=None)
@given(votes=votes_strategy, seats=st.integers(min_value=1, max_value=30))
def test_order_of_input_lines_does_not_matter(votes: dict[str, int], seats: int) -> None:
    backwards = dict(reversed(list(votes.items())))
    for method in [*DIVISORS, *QUOTAS]:
        assert method(votes, seats).seats == method(backwards, seats).seats


@settings(max_examples=60, deadline=None)
@given(
    votes=votes_strategy,
    seats=st.integers(min_value=1, max_value=30),
    loss=st.integers(min_value=1, max_value=5_000),
)
def test_losing_votes_never_gains_seats(votes: dict[str, int], seats: int, loss: int) -> None:
    name = sorted(votes)[0]
    poorer = dict(votes) | {name: max(0, votes[name] - loss)}
    if sum(poorer.values()) == 0:
        return
    for method in [*DIVISORS, *QUOTAS]:
        assert method(poorer, seats).seats[name] <= method(votes, seats).seats[name]


@settings(max_examples=40, deadline=None)
@given(votes=votes_strategy, seats=st.integers(min_value=1, max_value=30))
def test_divisor_methods_are_house_monotone(votes: dict[str, int], seats: int) -> None:
    for method in DIVISORS:
        smaller, larger = method(votes, seats).seats, method(votes, seats + 1).seats
        assert all(larger[n] >= smaller[n] for n in votes)
    if seats >= len(votes):
        smaller, larger = (
            huntington_hill(votes, seats).seats,
            huntington_hill(votes, seats + 1).seats,
        )
        assert all(larger[n] >= smaller[n] for n in votes)
