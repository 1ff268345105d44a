"""Highest-averages methods: D'Hondt, Sainte-Laguë, modified Sainte-Laguë, Huntington-Hill.

Seats are awarded one at a time to the list with the highest quotient ``votes / d(n)``, where
``n`` is the number of seats the list already holds (spec/counting.md#highest-averages). All
quotients are exact fractions. Huntington-Hill divides by the irrational ``sqrt(n(n+1))``, so
it compares squared quotients ``votes**2 / (n(n+1))``, which orders the lists identically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction

from suffrage.counting._common import Lot, Result, Stage, Trail, check_seats, require
from suffrage.errors import CountingError, quote

__all__ = [
    "Divisor",
    "dhondt",
    "highest_averages",
    "huntington_hill",
    "modified_sainte_lague",
    "sainte_lague",
]

Divisor = Callable[[int], Fraction]
"""Maps the number of seats a list already holds to the divisor of its next quotient."""


def check_votes(votes: Mapping[str, int], seats: int) -> None:
    """Refuse no lists, non-integer or negative votes, and seats outside 1..10,000."""
    check_seats(seats)
    require(len(votes) > 0, "no lists or candidates to count")
    for name, count in votes.items():
        if isinstance(count, bool) or not isinstance(count, int):
            raise CountingError(f"votes of {quote(name)} must be an integer, not {quote(count)}")
        require(count >= 0, f"votes of {quote(name)} are negative ({quote(count)})")


def _quotient(votes: int, held: int, divisor: Divisor, squared: bool) -> Fraction:
    """The quotient of a list holding ``held`` seats (``None`` divisor 0 means infinite)."""
    d = divisor(held)
    if squared:
        return Fraction(votes * votes) / d
    return Fraction(votes) / d


def _pick(
    quotients: Mapping[str, Fraction], votes: Mapping[str, int], lot: Lot, seat: int
) -> tuple[str, str]:
    """The list with the highest quotient; ties go to more votes, then by lot."""
    best = max(quotients.values())
    tied = [name for name, q in quotients.items() if q == best]
    if len(tied) == 1:
        return tied[0], ""
    most = max(votes[name] for name in tied)
    by_votes = [name for name in tied if votes[name] == most]
    if len(by_votes) == 1:
        return by_votes[0], f" (tie on quotient with {', '.join(sorted(tied))}: more votes)"
    winner = lot.choose(by_votes, purpose=f"seat {seat}")
    return winner, f" (tie with {', '.join(sorted(by_votes))}: by lot)"


def highest_averages(
    votes: Mapping[str, int],
    seats: int,
    *,
    divisor: Divisor,
    method: str,
    minimums: Mapping[str, int] | None = None,
    lot: Lot | None = None,
    squared: bool = False,
) -> Result:
    """Award ``seats`` by the divisor sequence ``divisor`` (spec/counting.md#highest-averages).

    ``minimums`` gives lists a number of seats they hold before the count starts (direct
    mandates the law guarantees); the remaining seats then go by the highest quotient, which
    is the divisor method with lower bounds. A quotient with divisor 0 is infinite: such lists
    are served first (Huntington-Hill gives every state its first seat this way).
    """
    check_votes(votes, seats)
    floor = dict.fromkeys(votes, 0) | dict(minimums or {})
    require(
        set(floor) == set(votes), f"minimums name unknown lists: {sorted(set(floor) - set(votes))}"
    )
    require(all(n >= 0 for n in floor.values()), "minimum seats must not be negative")
    require(
        sum(floor.values()) <= seats, f"minimum seats {sum(floor.values())} exceed {seats} seats"
    )
    require(sum(votes.values()) > 0, "no votes were cast for any list")
    lot = lot if lot is not None else Lot()
    held = dict(floor)
    stages: list[Stage] = [_table_stage(votes, seats, divisor, squared)]
    order: list[str] = []
    for seat in range(sum(floor.values()) + 1, seats + 1):
        quotients = _current(votes, held, divisor, squared)
        winner, why = _pick(quotients, votes, lot, seat)
        held[winner] += 1
        order.append(winner)
        stages.append(
            Stage(
                number=len(stages) + 1,
                kind="seat",
                values=quotients,
                events=(f"seat {seat} to {winner}, quotient {_show(quotients[winner])}{why}",),
            )
        )
    return _result(
        method, votes=votes, held=held, order=order, stages=stages, lot=lot, minimums=minimums
    )


def _current(
    votes: Mapping[str, int], held: Mapping[str, int], divisor: Divisor, squared: bool
) -> dict[str, Fraction]:
    """Quotients of every list; a divisor of 0 becomes a quotient above every finite one."""
    out: dict[str, Fraction] = {}
    top = Fraction(sum(votes.values()) ** 2 + 1)
    for name, count in votes.items():
        d = divisor(held[name])
        if d == 0:
            out[name] = top + count if count > 0 else Fraction(0)
        else:
            out[name] = _quotient(count, held[name], divisor, squared)
    return out


def _table_stage(votes: Mapping[str, int], seats: int, divisor: Divisor, squared: bool) -> Stage:
    """The quotient table: each list's first ``seats`` divisors and quotients."""
    table = {
        name: [
            {
                "divisor": divisor(n),
                "quotient": None if divisor(n) == 0 else _quotient(v, n, divisor, squared),
            }
            for n in range(seats)
        ]
        for name, v in votes.items()
    }
    note = "quotients are squared (votes^2 / d^2)" if squared else "quotient = votes / divisor"
    return Stage(number=1, kind="quotient table", values=table, events=(note,))


def _result(
    method: str,
    *,
    votes: Mapping[str, int],
    held: Mapping[str, int],
    order: list[str],
    stages: list[Stage],
    lot: Lot,
    minimums: Mapping[str, int] | None,
) -> Result:
    """Assemble the result and its trail."""
    notes = (f"minimum seats held before the count: {dict(minimums)}",) if minimums else ()
    trail = Trail(
        method=method, stages=tuple(stages), lots=tuple(lot.drawn), seed=lot.seed, notes=notes
    )
    return Result(
        method=method,
        elected=tuple(order),
        seats=dict(held),
        totals=dict(votes),
        trail=trail,
        options={"minimums": dict(minimums or {})},
    )


def _show(q: Fraction) -> str:
    """A quotient as an exact string."""
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def dhondt(
    votes: Mapping[str, int],
    seats: int,
    *,
    minimums: Mapping[str, int] | None = None,
    lot: Lot | None = None,
) -> Result:
    """D'Hondt: divisors 1, 2, 3, ... (spec/counting.md#dhondt)."""
    return highest_averages(
        votes, seats, divisor=lambda n: Fraction(n + 1), method="dhondt", minimums=minimums, lot=lot
    )


def sainte_lague(
    votes: Mapping[str, int],
    seats: int,
    *,
    minimums: Mapping[str, int] | None = None,
    lot: Lot | None = None,
) -> Result:
    """Sainte-Laguë (Webster): divisors 1, 3, 5, ... (spec/counting.md#sainte-lague)."""
    return highest_averages(
        votes,
        seats,
        divisor=lambda n: Fraction(2 * n + 1),
        method="sainte_lague",
        minimums=minimums,
        lot=lot,
    )


def modified_sainte_lague(
    votes: Mapping[str, int],
    seats: int,
    *,
    first_divisor: Fraction = Fraction(7, 5),
    lot: Lot | None = None,
) -> Result:
    """Sainte-Laguë with first divisor f: f, 3, 5, ... (spec/counting.md#modified-sainte-lague).

    ``first_divisor`` must be an exact number (``Fraction`` or ``int``) at least 1; Norway uses
    7/5, Sweden 6/5 since 2018.
    """
    if isinstance(first_divisor, float) or not isinstance(first_divisor, Fraction | int):
        raise CountingError(f"first_divisor must be an exact Fraction, not {first_divisor!r}")
    first = Fraction(first_divisor)
    require(first >= 1, f"first_divisor must be at least 1, not {first}")
    result = highest_averages(
        votes,
        seats,
        divisor=lambda n: first if n == 0 else Fraction(2 * n + 1),
        method="modified_sainte_lague",
        lot=lot,
    )
    return _with_option(result, first_divisor=first)


def huntington_hill(votes: Mapping[str, int], seats: int, *, lot: Lot | None = None) -> Result:
    """Huntington-Hill: divisors sqrt(n(n+1)) (spec/counting.md#huntington-hill).

    The first divisor is 0, so every entry with a positive figure gets one seat before any gets
    a second; there must be at least as many seats as such entries.
    """
    positive = sum(1 for v in votes.values() if v > 0)
    require(seats >= positive, f"Huntington-Hill needs at least {positive} seats, one per entry")
    return highest_averages(
        votes,
        seats,
        divisor=lambda n: Fraction(n * (n + 1)),
        method="huntington_hill",
        lot=lot,
        squared=True,
    )


def _with_option(result: Result, **options: object) -> Result:
    """Copy of ``result`` with extra options recorded."""
    return replace(result, options={**result.options, **options})
