"""STV by the plain Gregory method, last parcel (spec/counting.md#stv-gregory).

The Gregory rule of the Tasmanian Hare-Clark and Northern Ireland counts, in exact fractions:
Droop quota; surpluses before exclusions, the largest first; a surplus is carried by the
*last parcel* of papers that the candidate received (all their papers if elected on first
preferences), each paper at transfer value surplus / (ballots in that parcel), but never more
than the value it came with; an excluded candidate's papers move at their current value; ties
by earlier stages, then by lot. Values are :class:`~fractions.Fraction`, never rounded.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from suffrage.counting._common import Lot, Result
from suffrage.counting.ballots import BallotRules, Profile
from suffrage.counting.stv_common import Paper, SurplusCount, droop_quota

__all__ = ["count_stv_gregory"]


def count_stv_gregory(
    profile: Profile, *, seed: int = 0, rules: BallotRules | None = None
) -> Result:
    """Count ``profile`` by the last-parcel Gregory rule (spec/counting.md#stv-gregory)."""
    counter = SurplusCount(
        profile,
        method="stv-gregory",
        quota_of=lambda valid: Fraction(droop_quota(valid, profile.seats)),
        one=Fraction(1),
        display=Fraction,
        surplus_rule=_transfer,
        lot=Lot(seed=seed),
        rules=rules,
    )
    return counter.run()


def _transfer(count: SurplusCount, candidate: int, surplus: Any) -> list[str]:
    parcel = count.piles[candidate][-1]
    ballots = sum(p.count for p in parcel)
    value = Fraction(surplus) / ballots

    def value_of(paper: Paper) -> Fraction:
        return min(value, Fraction(paper.value))

    count.move(parcel, value_of)
    name = count.names[candidate]
    return [f"transfer value of {name}'s last parcel ({ballots} ballots): {value}"]
