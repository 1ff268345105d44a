"""Largest-remainder (quota) methods: Hare, Droop, Hagenbach-Bischoff and Imperiali.

Each list gets ``floor(votes / quota)`` seats; the seats left go to the largest remainders
(spec/counting.md#largest-remainder). Quotas are exact fractions, rounded only as the legal rule
says (``rounding``). With the smaller quotas (Hagenbach-Bischoff exact, Imperiali) the whole
quotients can exceed the seats; the excess is taken back from the smallest remainders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from suffrage.counting._common import Lot, Result, Stage, Trail, check_seats, require
from suffrage.counting.divisors import check_votes
from suffrage.errors import CountingError

__all__ = [
    "QUOTAS",
    "ROUNDINGS",
    "droop",
    "hagenbach_bischoff",
    "hare",
    "imperiali",
    "largest_remainder",
    "quota",
]

QUOTAS = {"hare": 0, "hagenbach_bischoff": 1, "droop": 1, "imperiali": 2}
"""Each quota's divisor offset: quota = total / (seats + offset)."""

ROUNDINGS = ("exact", "floor", "ceil", "half_up", "floor_plus_one")
"""How a quota is rounded: exact fraction, down, up, to nearest (halves up), or down plus one."""


def quota(total: int, seats: int, *, kind: str, rounding: str = "exact") -> Fraction:
    """The quota ``total / (seats + offset)`` rounded as asked (spec/counting.md#quotas)."""
    if kind not in QUOTAS:
        raise CountingError(f"unknown quota {kind!r}; known: {', '.join(sorted(QUOTAS))}")
    check_seats(seats)
    require(total >= 0, f"total votes must not be negative ({total})")
    return _round(Fraction(total, seats + QUOTAS[kind]), rounding)


def _round(value: Fraction, rounding: str) -> Fraction:
    """Round a non-negative quota as the legal rule says."""
    if rounding == "exact":
        return value
    if rounding == "floor":
        return Fraction(math.floor(value))
    if rounding == "ceil":
        return Fraction(math.ceil(value))
    if rounding == "half_up":
        return Fraction(math.floor(value + Fraction(1, 2)))
    if rounding == "floor_plus_one":
        return Fraction(math.floor(value) + 1)
    raise CountingError(f"unknown rounding {rounding!r}; known: {', '.join(ROUNDINGS)}")


def largest_remainder(
    votes: Mapping[str, int],
    seats: int,
    *,
    quota_kind: str,
    rounding: str = "exact",
    lot: Lot | None = None,
    method: str | None = None,
) -> Result:
    """Largest remainder with the named quota (spec/counting.md#largest-remainder).

    Ties between equal remainders go to the list with more votes, then by lot. If the whole
    quotients exceed the seats (a small quota), seats are taken back one at a time from the list
    with the smallest remainder (ties: fewer votes loses first, then by lot).
    """
    check_votes(votes, seats)
    total = sum(votes.values())
    require(total > 0, "no votes were cast for any list")
    q = quota(total, seats, kind=quota_kind, rounding=rounding)
    require(q > 0, f"the {quota_kind} quota is zero: too few votes for {seats} seats")
    lot = lot if lot is not None else Lot()
    whole = {name: math.floor(Fraction(v) / q) for name, v in votes.items()}
    rest = {name: Fraction(v) - whole[name] * q for name, v in votes.items()}
    stages = [
        Stage(
            number=1,
            kind="quota",
            values={"total": total, "seats": seats, "quota": q},
            events=(f"{quota_kind} quota = {total}/(seats + {QUOTAS[quota_kind]}), {rounding}",),
        ),
        Stage(number=2, kind="whole quotas", values=dict(whole)),
    ]
    held = dict(whole)
    excess = sum(whole.values()) - seats
    if excess > 0:
        events = _take_back(held, rest, votes, excess, lot, q=q)
    else:
        events = _give_out(held, rest, votes, -excess, lot)
    stages.append(Stage(number=3, kind="remainders", values=dict(rest), events=tuple(events)))
    name = method or f"largest_remainder_{quota_kind}"
    trail = Trail(method=name, stages=tuple(stages), lots=tuple(lot.drawn), seed=lot.seed)
    return Result(
        method=name,
        elected=tuple(sorted((n for n in held if held[n] > 0), key=lambda n: (-held[n], n))),
        seats=held,
        totals=dict(votes),
        trail=trail,
        options={"quota": quota_kind, "rounding": rounding, "quota_value": q, "remainders": rest},
    )


def _rank(
    rest: Mapping[str, Fraction],
    votes: Mapping[str, int],
    lot: Lot,
    *,
    largest: bool,
    purpose: str,
    needed: int,
) -> list[str]:
    """Lists ordered by remainder (largest or smallest first); ties by votes, then by lot."""
    sign = -1 if largest else 1
    groups: dict[tuple[Fraction, int], list[str]] = {}
    for name in rest:
        groups.setdefault((sign * rest[name], sign * votes[name]), []).append(name)
    out: list[str] = []
    for key in sorted(groups):
        if len(out) >= needed:
            break
        tied = groups[key]
        out.extend(lot.order(tied, purpose=purpose) if len(tied) > 1 else tied)
    return out


def _give_out(
    held: dict[str, int],
    rest: Mapping[str, Fraction],
    votes: Mapping[str, int],
    left: int,
    lot: Lot,
) -> list[str]:
    """Give ``left`` seats to the largest remainders, one each."""
    if left == 0:
        return ["every seat filled by whole quotas"]
    eligible = {n: r for n, r in rest.items() if votes[n] > 0}
    order = _rank(eligible, votes, lot, largest=True, purpose="largest remainder", needed=left)
    events = []
    for i in range(left):
        name = order[i % len(order)]
        held[name] += 1
        again = " (again: more seats than lists)" if i >= len(order) else ""
        events.append(f"remainder seat to {name} (remainder {rest[name]}){again}")
    return events


def _take_back(
    held: dict[str, int],
    rest: dict[str, Fraction],
    votes: Mapping[str, int],
    excess: int,
    lot: Lot,
    *,
    q: Fraction,
) -> list[str]:
    """Take ``excess`` over-awarded seats back, one at a time, from the smallest remainder.

    A list that gives a seat back has its remainder raised by one quota.
    """
    events = []
    for _ in range(excess):
        holders = {n: r for n, r in rest.items() if held[n] > 0}
        name = _rank(holders, votes, lot, largest=False, purpose="seat taken back", needed=1)[0]
        held[name] -= 1
        events.append(f"over-awarded seat taken back from {name} (remainder {rest[name]})")
        rest[name] += q
    return events


def hare(
    votes: Mapping[str, int], seats: int, *, rounding: str = "exact", lot: Lot | None = None
) -> Result:
    """Hare quota total/seats, largest remainder (spec/counting.md#hare)."""
    return largest_remainder(votes, seats, quota_kind="hare", rounding=rounding, lot=lot)


def droop(
    votes: Mapping[str, int],
    seats: int,
    *,
    rounding: str = "floor_plus_one",
    lot: Lot | None = None,
) -> Result:
    """Droop quota floor(total/(seats+1)) + 1, largest remainder (spec/counting.md#droop)."""
    return largest_remainder(votes, seats, quota_kind="droop", rounding=rounding, lot=lot)


def hagenbach_bischoff(
    votes: Mapping[str, int], seats: int, *, rounding: str = "exact", lot: Lot | None = None
) -> Result:
    """Hagenbach-Bischoff quota total/(seats+1) (spec/counting.md#hagenbach-bischoff)."""
    return largest_remainder(
        votes, seats, quota_kind="hagenbach_bischoff", rounding=rounding, lot=lot
    )


def imperiali(
    votes: Mapping[str, int], seats: int, *, rounding: str = "exact", lot: Lot | None = None
) -> Result:
    """Imperiali quota total/(seats+2), largest remainder (spec/counting.md#imperiali)."""
    return largest_remainder(votes, seats, quota_kind="imperiali", rounding=rounding, lot=lot)
