"""Mixed-member proportional systems, as compositions of the simpler methods.

:func:`mmp` is the New Zealand form (spec/counting.md#mmp): constituency winners by plurality,
the house shared by Sainte-Laguë on party votes among the parties past the threshold, overhang
seats kept. :func:`bundestag_2013` is the German rule of 2013-2020
(spec/counting.md#bundestag-2013): a first distribution per Land fixes each party's minimum, the
house grows until the national distribution gives every party its minimum (levelling seats),
then each party's seats go to its Land lists, each at least its constituency seats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from suffrage.counting._common import Result, Stage, Trail, check_seats, require
from suffrage.counting.divisors import sainte_lague
from suffrage.counting.thresholds import threshold
from suffrage.errors import quote

__all__ = ["bundestag_2013", "constituency_wins", "mmp"]

Allocator = Callable[[Mapping[str, int], int], Result]


def constituency_wins(winners: Mapping[str, str]) -> dict[str, int]:
    """Count constituencies won per party from ``constituency -> winning party``."""
    wins: dict[str, int] = {}
    for party in winners.values():
        wins[party] = wins.get(party, 0) + 1
    return wins


def _check_wins(wins: Mapping[str, int]) -> None:
    """Constituency wins must be non-negative integers."""
    for party, count in wins.items():
        require(isinstance(count, int) and count >= 0, f"wins of {quote(party)} must be >= 0")


def mmp(
    party_votes: Mapping[str, int],
    wins: Mapping[str, int],
    seats: int,
    *,
    party_share: Fraction = Fraction(5, 100),
    wins_exemption: int = 1,
    allocate: Allocator = sainte_lague,
) -> Result:
    """Mixed-member proportional with overhang (spec/counting.md#mmp).

    ``wins`` gives the constituencies won by each party (or independent). Parties with at least
    ``party_share`` of the party vote or ``wins_exemption`` constituencies share ``seats`` less
    the constituencies won by everyone else, by ``allocate``; each keeps at least the
    constituencies it won (overhang), so the house may exceed ``seats``.
    """
    check_seats(seats)
    _check_wins(wins)
    passed = threshold(
        party_votes,
        party_share=party_share,
        exempt=[p for p in party_votes if wins.get(p, 0) >= wins_exemption],
    )
    others = {p: n for p, n in wins.items() if n and p not in passed.elected}
    pool = seats - sum(others.values())
    require(pool >= 1, f"no seats left for lists after {sum(others.values())} other winners")
    entitled = allocate({p: party_votes[p] for p in passed.elected}, pool)
    final = {p: max(entitled.seats[p], wins.get(p, 0)) for p in passed.elected} | others
    overhang = {
        p: final[p] - entitled.seats.get(p, 0) for p in final if final[p] > entitled.seats.get(p, 0)
    }
    stages = (
        *passed.trail.stages,
        Stage(
            number=2,
            kind="entitlement",
            values=dict(entitled.seats),
            events=(f"{pool} seats by {entitled.method}",),
        ),
        Stage(number=3, kind="constituencies", values=dict(wins)),
        Stage(
            number=4,
            kind="final",
            values=final,
            events=tuple(f"overhang: {p} +{n}" for p, n in sorted(overhang.items())),
        ),
    )
    return Result(
        method="mmp",
        elected=tuple(sorted((p for p in final if final[p]), key=lambda p: (-final[p], p))),
        seats=final,
        totals=dict(party_votes),
        trail=Trail(
            method="mmp", stages=stages, lots=entitled.trail.lots, seed=entitled.trail.seed
        ),
        options={
            "seats": seats,
            "party_share": party_share,
            "wins_exemption": wins_exemption,
            "list_seats": {p: final[p] - wins.get(p, 0) for p in final},
        },
    )


def _national(land_votes: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """Second votes of each party added over the Länder."""
    out: dict[str, int] = {}
    for votes in land_votes.values():
        for party, count in votes.items():
            out[party] = out.get(party, 0) + count
    return out


def _first_distribution(
    land_seats: Mapping[str, int],
    land_votes: Mapping[str, Mapping[str, int]],
    land_wins: Mapping[str, Mapping[str, int]],
    parties: tuple[str, ...],
) -> tuple[dict[str, int], list[Stage]]:
    """Each party's minimum: per Land, the larger of its quota of the Land's seats and its wins."""
    minimum = dict.fromkeys(parties, 0)
    stages = []
    for land in sorted(land_seats):
        votes = {p: land_votes[land].get(p, 0) for p in parties if land_votes[land].get(p, 0)}
        quota = sainte_lague(votes, land_seats[land]).seats
        for party in parties:
            won = land_wins.get(land, {}).get(party, 0)
            minimum[party] += max(quota.get(party, 0), won)
        stages.append(
            Stage(
                number=0,
                kind="first distribution",
                values={"land": land, "seats": dict(quota), "wins": dict(land_wins.get(land, {}))},
            )
        )
    return minimum, stages


def _grow(votes: Mapping[str, int], minimum: Mapping[str, int], start: int) -> Result:
    """The smallest house (Sainte-Laguë is house-monotone) giving every party its minimum."""

    def enough(size: int) -> bool:
        seats = sainte_lague(votes, size).seats
        return all(seats[p] >= minimum[p] for p in votes)

    low, high = start, max(start, sum(minimum.values()))
    while not enough(high):
        low, high = high + 1, high * 2
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if enough(mid) else (mid + 1, high)
    return sainte_lague(votes, high)


def bundestag_2013(
    population: Mapping[str, int],
    land_votes: Mapping[str, Mapping[str, int]],
    land_wins: Mapping[str, Mapping[str, int]],
    *,
    seats: int = 598,
    party_share: Fraction = Fraction(5, 100),
    wins_exemption: int = 3,
) -> Result:
    """The Bundestag rule of 2013-2020, Bundeswahlgesetz § 6 (spec/counting.md#bundestag-2013).

    ``population`` is each Land's German population, ``land_votes`` the second votes per Land
    and party, ``land_wins`` the constituencies won per Land and party. ``seats`` are first
    shared among the Länder by population and, in each Land, among the parties past the
    threshold; the house then grows until the national Sainte-Laguë distribution gives each
    party its minimum; each party's seats finally go to its Land lists, each at least its wins.
    """
    check_seats(seats)
    require(set(population) == set(land_votes), "Länder with population and votes differ")
    require(set(land_wins) <= set(land_votes), "constituency wins name an unknown Land")
    national = _national(land_votes)
    wins = _national(land_wins)
    passed = threshold(
        national,
        party_share=party_share,
        exempt=[p for p in national if wins.get(p, 0) >= wins_exemption],
    )
    others = {p: n for p, n in wins.items() if n and p not in passed.elected}
    lands = sainte_lague(population, seats - sum(others.values()))
    minimum, first = _first_distribution(lands.seats, land_votes, land_wins, passed.elected)
    house = _grow({p: national[p] for p in passed.elected}, minimum, seats - sum(others.values()))
    per_land = _to_lands(house.seats, land_votes, land_wins)
    return _bundestag_result(
        passed,
        lands=lands,
        first=first,
        minimum=minimum,
        house=house,
        per_land=per_land,
        national=national,
        others=others,
    )


def _to_lands(
    party_seats: Mapping[str, int],
    land_votes: Mapping[str, Mapping[str, int]],
    land_wins: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, int]]:
    """Each party's seats to its Land lists by Sainte-Laguë, each list at least its wins."""
    per_land: dict[str, dict[str, int]] = {land: {} for land in land_votes}
    for party, count in party_seats.items():
        votes = {land: v[party] for land, v in land_votes.items() if v.get(party, 0) > 0}
        floors = {land: land_wins.get(land, {}).get(party, 0) for land in votes}
        for land, n in sainte_lague(votes, count, minimums=floors).seats.items():
            if n:
                per_land[land][party] = n
    return per_land


def _bundestag_result(
    passed: Result,
    *,
    lands: Result,
    first: list[Stage],
    minimum: Mapping[str, int],
    house: Result,
    per_land: Mapping[str, Mapping[str, int]],
    national: Mapping[str, int],
    others: Mapping[str, int],
) -> Result:
    """Assemble the trail: threshold, Länder, first distribution, growth, Land lists."""
    steps: list[Stage] = [*passed.trail.stages]
    steps.append(Stage(number=0, kind="seats to Länder", values=dict(lands.seats)))
    steps.extend(first)
    steps.append(Stage(number=0, kind="minimum seats", values=dict(minimum)))
    size = sum(house.seats.values())
    steps.append(
        Stage(
            number=0,
            kind="national distribution",
            values=dict(house.seats),
            events=(f"house grown to {size} seats",),
        )
    )
    steps.extend(
        Stage(number=0, kind="district seats", values={"district": land, "seats": dict(s)})
        for land, s in sorted(per_land.items())
    )
    stages = tuple(
        Stage(number=i, kind=s.kind, values=s.values, events=s.events)
        for i, s in enumerate(steps, start=1)
    )
    final = dict(house.seats) | dict(others)
    return Result(
        method="bundestag_2013",
        elected=tuple(sorted((p for p in final if final[p]), key=lambda p: (-final[p], p))),
        seats=final,
        totals=dict(national),
        trail=Trail(method="bundestag_2013", stages=stages),
        options={"house_size": size + sum(others.values())},
    )
