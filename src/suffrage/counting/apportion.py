"""Seats to districts, and list methods run district by district (spec/counting.md#apportionment).

Apportionment gives each district its seats from a figure (population, electorate or valid
votes): Hare largest remainder or Huntington-Hill. :func:`by_district` then runs a list method
in every district and adds the seats up; :func:`pooled_remainders` is the two-scrutiny rule
that pools the votes left over in the districts nationally (Czech Chamber of Deputies, 2021).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from suffrage.counting._common import Lot, Result, Stage, Trail, check_seats, require
from suffrage.counting.divisors import huntington_hill
from suffrage.counting.remainders import QUOTAS, ROUNDINGS, hare, largest_remainder, quota
from suffrage.errors import CountingError, quote

__all__ = [
    "Allocator",
    "by_district",
    "hare_apportionment",
    "huntington_hill_apportionment",
    "open_list",
    "pooled_remainders",
    "seats_by_district",
]

Allocator = Callable[[Mapping[str, int], int], Result]
"""A list method: votes and a seat count in, a :class:`Result` out."""


def hare_apportionment(figures: Mapping[str, int], seats: int, *, lot: Lot | None = None) -> Result:
    """Seats to districts by Hare largest remainder (spec/counting.md#apportion-hare)."""
    return replace(hare(figures, seats, lot=lot), method="apportion_hare")


def huntington_hill_apportionment(
    figures: Mapping[str, int], seats: int, *, lot: Lot | None = None
) -> Result:
    """Seats to districts by Huntington-Hill (spec/counting.md#apportion-hh)."""
    return replace(huntington_hill(figures, seats, lot=lot), method="apportion_huntington_hill")


def _district_stage(number: int, district: str, seats: Mapping[str, int]) -> Stage:
    """A stage recording one district's seats per list."""
    return Stage(
        number=number,
        kind="district seats",
        values={"district": district, "seats": dict(seats)},
        events=(f"{district}: {sum(seats.values())} seats",),
    )


def _check_districts(
    district_votes: Mapping[str, Mapping[str, int]], district_seats: Mapping[str, int]
) -> None:
    """Districts with votes and districts with seats must be the same."""
    require(len(district_votes) > 0, "no districts to count")
    missing = sorted(set(district_votes) ^ set(district_seats))
    require(not missing, f"districts without both votes and seats: {quote(missing)}")
    for district, seats in district_seats.items():
        check_seats(seats, what=f"seats of district {quote(district)}")
    check_seats(sum(district_seats.values()), what="seats of all districts together")


def by_district(
    district_votes: Mapping[str, Mapping[str, int]],
    district_seats: Mapping[str, int],
    allocate: Allocator,
    *,
    method: str,
) -> Result:
    """Run ``allocate`` in every district and add the seats (spec/counting.md#by-district).

    The trail holds each district's own trail stages' summary: one ``district seats`` stage per
    district (read them back with :func:`seats_by_district`), and each district's full trail in
    ``options["districts"]``.
    """
    _check_districts(district_votes, district_seats)
    national: dict[str, int] = {}
    totals: dict[str, int] = {}
    stages: list[Stage] = []
    results: dict[str, Result] = {}
    for district in sorted(district_votes):
        votes = district_votes[district]
        result = allocate(votes, district_seats[district])
        results[district] = result
        stages.append(_district_stage(len(stages) + 1, district, result.seats))
        for name, count in votes.items():
            totals[name] = totals.get(name, 0) + count
            national[name] = national.get(name, 0) + result.seats.get(name, 0)
    return Result(
        method=method,
        elected=tuple(
            sorted((n for n in national if national[n]), key=lambda n: (-national[n], n))
        ),
        seats=national,
        totals=totals,
        trail=Trail(method=method, stages=tuple(stages)),
        options={"district_seats": dict(district_seats), "districts": results},
    )


def seats_by_district(result: Result) -> dict[str, dict[str, int]]:
    """Each district's seats per list, read from the ``district seats`` stages of a result."""
    out = {
        str(stage.values["district"]): dict(stage.values["seats"])
        for stage in result.trail.stages
        if stage.kind == "district seats"
    }
    if not out:
        raise CountingError(f"result of {result.method!r} holds no district seats")
    return out


def pooled_remainders(
    district_votes: Mapping[str, Mapping[str, int]],
    district_seats: Mapping[str, int],
    *,
    first_quota: str = "imperiali",
    second_quota: str = "droop",
    rounding: str = "half_up",
    lot: Lot | None = None,
) -> Result:
    """Two scrutinies with pooled remainders (spec/counting.md#pooled-remainders).

    First scrutiny: in each district a list gets ``floor(votes / q)`` seats, where ``q`` is the
    district's ``first_quota`` (rounded as ``rounding``); seats awarded above the district's
    seats are taken back from the smallest remainders. Second scrutiny: every list's leftover
    votes are pooled nationally and the seats still free are shared among them by
    ``second_quota`` largest remainder. Each list's second-scrutiny seats are then placed in the
    districts where its leftover is largest, among districts with a free seat, taking all
    (list, district) leftovers from the largest down.
    """
    _check_districts(district_votes, district_seats)
    for kind in (first_quota, second_quota):
        require(kind in QUOTAS, f"unknown quota {kind!r}")
    require(rounding in ROUNDINGS, f"unknown rounding {rounding!r}")
    require(rounding != "exact", "pooled leftovers must be whole votes: round the quota")
    lot = lot if lot is not None else Lot()
    first: dict[str, dict[str, int]] = {}
    left: dict[str, dict[str, Fraction]] = {}
    stages: list[Stage] = []
    for district in sorted(district_votes):
        seats, rest, stage = _first_scrutiny(
            district, district_votes[district], district_seats[district], first_quota, rounding
        )
        first[district], left[district] = seats, rest
        stages.append(replace(stage, number=len(stages) + 1))
    free = sum(district_seats.values()) - sum(sum(s.values()) for s in first.values())
    pooled = _pool(left)
    second = _second_scrutiny(pooled, free, second_quota, rounding, lot)
    stages.append(replace(second.trail.stages[-1], number=len(stages) + 1, kind="second scrutiny"))
    placed = _place(first, left, second.seats, district_seats)
    for district in sorted(placed):
        stages.append(_district_stage(len(stages) + 1, district, placed[district]))
    return _pooled_result(district_votes, placed, stages, lot, second)


def _first_scrutiny(
    district: str, votes: Mapping[str, int], seats: int, kind: str, rounding: str
) -> tuple[dict[str, int], dict[str, Fraction], Stage]:
    """One district's whole-quota seats and leftover votes."""
    total = sum(votes.values())
    q = quota(total, seats, kind=kind, rounding=rounding)
    require(q > 0, f"{district}: the {kind} quota is zero")
    won = {name: math.floor(Fraction(v) / q) for name, v in votes.items()}
    rest = {name: Fraction(v) - won[name] * q for name, v in votes.items()}
    events = [f"{district}: {kind} quota {q}"]
    while sum(won.values()) > seats:
        loser = min((n for n in won if won[n] > 0), key=lambda n: (rest[n], votes[n], n))
        won[loser] -= 1
        rest[loser] += q
        events.append(f"over-awarded seat taken back from {loser}")
    values = {"quota": q, "seats": dict(won), "leftover": dict(rest)}
    return won, rest, Stage(number=0, kind="first scrutiny", values=values, events=tuple(events))


def _pool(left: Mapping[str, Mapping[str, Fraction]]) -> dict[str, int]:
    """Leftover votes of each list, added over the districts."""
    pooled: dict[str, Fraction] = {}
    for rest in left.values():
        for name, value in rest.items():
            pooled[name] = pooled.get(name, Fraction(0)) + value
    return {name: int(value) for name, value in pooled.items()}


def _second_scrutiny(
    pooled: Mapping[str, int], free: int, kind: str, rounding: str, lot: Lot
) -> Result:
    """Share the free seats among the pooled leftovers."""
    if free == 0:
        stage = Stage(number=1, kind="second scrutiny", values=dict(pooled))
        trail = Trail(method="second scrutiny", stages=(stage,))
        return Result(
            method="second",
            elected=(),
            seats=dict.fromkeys(pooled, 0),
            totals=dict(pooled),
            trail=trail,
        )
    return largest_remainder(pooled, free, quota_kind=kind, rounding=rounding, lot=lot)


def _place(
    first: Mapping[str, Mapping[str, int]],
    left: Mapping[str, Mapping[str, Fraction]],
    extra: Mapping[str, int],
    district_seats: Mapping[str, int],
) -> dict[str, dict[str, int]]:
    """Place second-scrutiny seats where each list's leftover is largest and a seat is free."""
    placed = {d: dict(seats) for d, seats in first.items()}
    free = {d: district_seats[d] - sum(placed[d].values()) for d in placed}
    owed = dict(extra)
    pairs = sorted(
        ((rest, name, d) for d, rests in left.items() for name, rest in rests.items()),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for _, name, district in pairs:
        if owed.get(name, 0) > 0 and free[district] > 0:
            placed[district][name] += 1
            owed[name] -= 1
            free[district] -= 1
    require(not any(owed.values()), f"second-scrutiny seats could not be placed: {owed}")
    return placed


def _pooled_result(
    district_votes: Mapping[str, Mapping[str, int]],
    placed: Mapping[str, Mapping[str, int]],
    stages: list[Stage],
    lot: Lot,
    second: Result,
) -> Result:
    """Assemble the result of :func:`pooled_remainders`."""
    national: dict[str, int] = {}
    totals: dict[str, int] = {}
    for district, seats in placed.items():
        for name, count in seats.items():
            national[name] = national.get(name, 0) + count
            totals[name] = totals.get(name, 0) + district_votes[district][name]
    method = "pooled_remainders"
    trail = Trail(method=method, stages=tuple(stages), lots=tuple(lot.drawn), seed=lot.seed)
    return Result(
        method=method,
        elected=tuple(
            sorted((n for n in national if national[n]), key=lambda n: (-national[n], n))
        ),
        seats=national,
        totals=totals,
        trail=trail,
        options={"second_scrutiny_seats": dict(second.seats)},
    )


def open_list(
    candidates: Sequence[tuple[str, int]],
    seats: int,
    *,
    jump: Fraction = Fraction(105, 100),
) -> Result:
    """A list's seats to its candidates by preference votes (spec/counting.md#open-list).

    ``candidates`` are (name, preference votes) in list order. Candidates whose votes reach
    ``jump`` times the list's average per candidate (its votes over its number of candidates)
    take the seats first, most votes first (ties: higher on the list); the seats left go down
    the list in order.
    """
    names = [name for name, _ in candidates]
    require(len(set(names)) == len(names), "a candidate appears twice on the list")
    require(0 <= seats <= len(names), f"{seats} seats for a list of {len(names)} candidates")
    for name, count in candidates:
        require(isinstance(count, int) and count >= 0, f"votes of {quote(name)} must be >= 0")
    total = sum(count for _, count in candidates)
    average = Fraction(total, len(names)) if names else Fraction(0)
    bar = average * jump
    jumpers = sorted(
        (i for i, (_, count) in enumerate(candidates) if total and count >= bar),
        key=lambda i: (-candidates[i][1], i),
    )[:seats]
    rest = [i for i in range(len(names)) if i not in jumpers][: seats - len(jumpers)]
    order = [names[i] for i in (*jumpers, *rest)]
    events = tuple(
        f"{names[i]} moves up ({candidates[i][1]} votes >= {bar})" for i in jumpers
    ) + tuple(f"{names[i]} by list order" for i in rest)
    stage = Stage(number=1, kind="preferences", values=dict(candidates), events=events)
    return Result(
        method="open_list",
        elected=tuple(order),
        seats=dict.fromkeys(order, 1),
        totals=dict(candidates),
        trail=Trail(method="open_list", stages=(stage,)),
        options={"jump": jump, "average": average, "bar": bar},
    )
