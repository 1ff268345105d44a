"""STV by the Scottish rule: Weighted Inclusive Gregory (spec/counting.md#stv-scottish).

The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1 rules 45-52:
Droop quota; surpluses before exclusions, the largest first; every paper of an elected
candidate carries the surplus at transfer value = surplus x (value of the paper) / (the
candidate's total), calculated to five decimal places with the remainder ignored; an excluded
candidate's papers move at their current value; ties by earlier stages, then by lot.
Arithmetic is in integers of 10^-5 vote, so every figure is exact to five decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from suffrage.counting._common import Lot, Result
from suffrage.counting.ballots import BallotRules, Profile
from suffrage.counting.stv_common import SurplusCount, droop_quota

__all__ = ["SCALE", "count_stv_scottish"]

SCALE = 100_000  # one vote in units of 10^-5


def count_stv_scottish(
    profile: Profile, *, seed: int = 0, rules: BallotRules | None = None
) -> Result:
    """Count ``profile`` by SSI 2007/42 rules 45-52 (spec/counting.md#stv-scottish).

    ``seed`` seeds the drawing of lots for ties that earlier stages do not break; it is
    recorded in the trail. Totals in the trail are exact :class:`~decimal.Decimal` values
    with five decimals.
    """
    counter = SurplusCount(
        profile,
        method="stv-scottish",
        quota_of=lambda valid: droop_quota(valid, profile.seats) * SCALE,
        one=SCALE,
        display=_display,
        surplus_rule=_transfer,
        lot=Lot(seed=seed),
        rules=rules,
    )
    return counter.run()


def _display(units: Any) -> Decimal:
    return Decimal(int(units)).scaleb(-5)


def _transfer(count: SurplusCount, candidate: int, surplus: Any) -> list[str]:
    total = count.totals[candidate]
    papers = [p for parcel in count.piles[candidate] for p in parcel]
    values: dict[int, int] = {}

    def value_of(paper: Any) -> int:
        found = values.get(paper.value)
        if found is None:
            found = values[paper.value] = surplus * paper.value // total
        return found

    count.move(papers, value_of)
    shown = ", ".join(
        f"{_display(old)} -> {_display(new)}" for old, new in sorted(values.items(), reverse=True)
    )
    return [f"transfer value of {count.names[candidate]}'s papers: {shown}"]
