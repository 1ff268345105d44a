"""STV: the Scottish rule, Meek (New Zealand) and plain Gregory (spec/counting.md#stv)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from suffrage.counting.ballots import Profile, make_ballot
from suffrage.counting.stv_common import EXHAUSTED, droop_quota
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish


def profile(seats: int, *ballots: tuple[int, list[int]], names: str = "ABCD") -> Profile:
    return Profile(
        candidates=tuple(names),
        ballots=tuple(make_ballot([[c] for c in order], w) for w, order in ballots),
        seats=seats,
    )


SURPLUS = profile(2, (60, [0, 1]), (30, [2]), (10, [1, 2]), names="ABC")


def test_droop_quota() -> None:
    assert droop_quota(100, 2) == 34
    assert droop_quota(6608, 4) == 1322


def test_scottish_transfer_value_is_truncated_to_five_decimals() -> None:
    result = count_stv_scottish(SURPLUS)
    assert result.elected == ("A", "B")
    first, second = result.trail.stages
    assert first.values["A"] == Decimal("60.00000")
    assert "elected A" in first.events
    # surplus 26 over 60 papers: 0.433333... truncated to 0.43333; 60 x 0.43333 = 25.99980
    assert second.values["B"] == Decimal("35.99980")
    assert second.values["A"] == Decimal("34.00000")
    assert "transfer value of A's papers: 1.00000 -> 0.43333" in second.events[1]
    assert result.options["quota"] == Decimal("34.00000")


def test_scottish_exclusion_moves_papers_at_current_value() -> None:
    p = profile(1, (4, [0]), (3, [1]), (2, [2, 1]), names="ABC")
    result = count_stv_scottish(p)
    assert result.elected == ("B",)
    assert result.trail.stages[1].kind == "exclusion"
    assert result.trail.stages[1].values["B"] == Decimal("5.00000")


def test_scottish_papers_without_next_preference_are_non_transferable() -> None:
    p = profile(2, (5, [0]), (2, [1]), (1, [2]), (1, [3]))
    result = count_stv_scottish(p, seed=3)
    assert result.trail.stages[1].values[EXHAUSTED] == Decimal("1.00000")
    assert len(result.elected) == 2
    # C and D tie at every stage: the exclusion is drawn by lot, with the seed recorded.
    assert result.trail.seed == 3
    assert any("lot among C, D" in lot for lot in result.trail.lots)


def test_scottish_stops_when_continuing_candidates_fill_the_seats() -> None:
    p = profile(2, (5, [0]), (3, [1]), (2, [2]), names="ABC")
    result = count_stv_scottish(p)
    assert result.elected == ("A", "B")
    assert any("fill the remaining seats" in n for n in result.trail.notes)


def test_scottish_ties_for_exclusion_use_earlier_stages() -> None:
    # Quota 8; A's surplus of 2 lifts C to 4, level with D; at stage 1 C had less.
    p = profile(2, (10, [0, 2]), (6, [1]), (2, [2]), (4, [3]))
    result = count_stv_scottish(p)
    assert result.trail.stages[1].values["C"] == result.trail.stages[1].values["D"]
    exclusion = next(s for s in result.trail.stages if s.kind == "exclusion")
    assert "excluded C" in exclusion.events
    assert "tie for exclusion broken by stage 1 totals" in exclusion.events
    assert result.trail.lots == ()


def test_gregory_is_exact_and_uses_the_last_parcel() -> None:
    result = count_stv_gregory(SURPLUS)
    assert result.elected == ("A", "B")
    assert result.trail.stages[1].values["B"] == Fraction(36)
    # B reaches the quota with a transferred parcel: only that parcel carries B's surplus.
    p = profile(3, (50, [0, 1, 2]), (20, [1, 3]), (10, [2]), (19, [3]), names="ABCD")
    result = count_stv_gregory(p)
    surplus_b = next(s for s in result.trail.stages if "surplus of B" in " ".join(s.events))
    assert "B's last parcel (50 ballots)" in " ".join(surplus_b.events)


def test_meek_converges_to_the_quota() -> None:
    result = count_stv_meek(SURPLUS)
    assert result.elected == ("A", "B")
    quota = result.options["quota"]
    last = result.trail.stages[-1]
    assert abs(last.values["A"] - quota) < Decimal("0.0001")
    assert any(e.startswith("keep values: A 0.5") for e in last.events)


def test_meek_passes_surplus_through_an_elected_candidate() -> None:
    # A's voters rank B then C: under Meek, once B is elected, what B keeps of A's papers
    # is only B's keep value and the rest flows on to C, so C takes the third seat over D.
    p = profile(3, (50, [0, 1, 2]), (26, [1]), (12, [2]), (13, [3]), names="ABCD")
    meek, scot = count_stv_meek(p), count_stv_scottish(p)
    assert set(meek.elected) == set(scot.elected) == {"A", "B", "C"}


@pytest.mark.parametrize("counter", [count_stv_scottish, count_stv_meek, count_stv_gregory])
def test_every_stv_fills_the_seats_with_withdrawn_left_out(counter: object) -> None:
    p = Profile(
        candidates=("A", "B", "C", "D"),
        ballots=(make_ballot([[3], [0]], 5), make_ballot([[1]], 3), make_ballot([[2]], 2)),
        seats=2,
        withdrawn=frozenset({3}),
    )
    result = counter(p)  # type: ignore[operator]
    assert result.elected == ("A", "B")
