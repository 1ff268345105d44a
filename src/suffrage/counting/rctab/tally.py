"""One round's tally, the transfers between rounds, a ballot's state, and RCTab's decimal
arithmetic (spec/counting.md#rctab-arithmetic).

RCTab computes with Java's ``BigDecimal``: additions and subtractions are exact and keep the
larger scale; a division or a multiplication by a fraction is cut (rounded toward zero) to
``decimalPlacesForVoteArithmetic`` places. Python's :class:`~decimal.Decimal` keeps scale the
same way, so every figure prints as RCTab prints it ("5", "14.5000"), provided the context never
rounds: :data:`EXACT` has precision enough for any count.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_UP, Context, Decimal

from suffrage.counting.rctab.javacompat import hash_order

__all__ = [
    "EXACT",
    "INACTIVE",
    "STATUSES",
    "Ballot",
    "RoundTally",
    "Snapshot",
    "Transfers",
    "divide",
    "multiply",
]

EXACT = Context(prec=2000, rounding=ROUND_DOWN, Emax=10**6, Emin=-(10**6))
"""Arithmetic that never rounds a count's figures (2000 significant digits)."""

ACTIVE = "active"
STATUSES = (
    "active",
    "didNotRankAnyCandidates",
    "exhaustedChoices",
    "overvotes",
    "skippedRankings",
    "repeatedRankings",
    "finalRoundSurplus",
)
"""RCTab's ballot statuses for a round (its StatusForRound), by their report keys."""
INACTIVE = STATUSES[1:6]
"""The statuses of an inactive ballot; ``finalRoundSurplus`` counts with the active ones."""
ZERO = Decimal(0)
ONE = Decimal(1)


def _step(places: int) -> Decimal:
    return ONE.scaleb(-places)


def divide(dividend: Decimal, divisor: Decimal, places: int, *, up: bool = False) -> Decimal:
    """``dividend / divisor`` to ``places`` decimals, cut toward zero (or away, with ``up``),
    as ``BigDecimal.divide(divisor, places, DOWN|UP)``."""
    quotient = EXACT.divide(dividend, divisor)
    return quotient.quantize(_step(places), rounding=ROUND_UP if up else ROUND_DOWN, context=EXACT)


def multiply(left: Decimal, right: Decimal, places: int) -> Decimal:
    """``left * right`` cut to ``places`` decimals (``multiply`` then ``setScale(DOWN)``)."""
    return EXACT.multiply(left, right).quantize(_step(places), rounding=ROUND_DOWN, context=EXACT)


class RoundTally:
    """The votes of each continuing candidate in one round, and the ballots by status.

    Candidates are kept in the order RCTab's ``HashMap`` iterates them (it shows in the order
    of ties). Winners of earlier rounds are added after the round by :meth:`set_locked`, which
    does not change the active sum but moves the "locked-in" sum the percentages use.
    """

    def __init__(self, number: int, candidates: list[str]) -> None:
        self.number = number
        self.votes: dict[str, Decimal] = dict.fromkeys(candidates, ZERO)
        self.statuses: dict[str, Decimal] = dict.fromkeys(STATUSES, ZERO)
        self.threshold = ZERO
        self.locked_in = ZERO
        self.mirrors: list[RoundTally] = []  # the tallies of the ballot's precinct and batch

    def candidates(self) -> list[str]:
        """The candidates in the tally, in Java's ``HashMap`` order."""
        return hash_order(self.votes)

    def add_vote(self, candidate: str, value: Decimal) -> None:
        self.statuses[ACTIVE] = EXACT.add(self.statuses[ACTIVE], value)
        self.votes[candidate] = EXACT.add(self.votes[candidate], value)
        for mirror in self.mirrors:
            mirror.add_vote(candidate, value)

    def add_status(self, status: str, value: Decimal) -> None:
        self.statuses[status] = EXACT.add(self.statuses[status], value)
        for mirror in self.mirrors:
            mirror.add_status(status, value)

    def set_locked(self, candidate: str, value: Decimal) -> None:
        """Set a past winner's votes outside the active sum (a surplus adjustment)."""
        before = self.votes.get(candidate, ZERO)
        self.votes[candidate] = value
        self.locked_in = EXACT.add(self.locked_in, EXACT.subtract(value, before))

    @property
    def active(self) -> Decimal:
        """The sum over the statuses that are not inactive (RCTab's activeBallotSum)."""
        total = ZERO
        for status in STATUSES:
            if status not in INACTIVE:
                total = EXACT.add(total, self.statuses[status])
        return total

    @property
    def inactive(self) -> Decimal:
        total = ZERO
        for status in INACTIVE:
            total = EXACT.add(total, self.statuses[status])
        return total

    def by_votes(self, candidates: list[str] | None = None) -> list[tuple[Decimal, list[str]]]:
        """Ascending distinct tallies, each with its candidates in ``candidates`` order (the
        tally's own order by default): RCTab's ``buildTallyToCandidates``."""
        groups: dict[Decimal, list[str]] = {}
        for name in candidates if candidates is not None else self.candidates():
            groups.setdefault(self.votes[name], []).append(name)
        return sorted(groups.items(), key=lambda item: item[0])


class Transfers:
    """Votes moved in each round: round -> source -> target -> value. The first count's source
    is ``uncounted``; an exhausted ballot's target is ``exhausted``."""

    def __init__(self) -> None:
        self.by_round: dict[int, dict[str, dict[str, Decimal]]] = {}
        self.mirrors: list[Transfers] = []  # the transfers of the ballot's precinct and batch

    def add(self, number: int, source: str | None, target: str | None, value: Decimal) -> None:
        for mirror in self.mirrors:
            mirror.add(number, source, target, value)
        sources = self.by_round.setdefault(number, {})
        targets = sources.setdefault(source if source is not None else "uncounted", {})
        key = target if target is not None else "exhausted"
        targets[key] = EXACT.add(targets.get(key, ZERO), value)


Snapshot = tuple[tuple[str, Decimal], ...]
"""Where a ballot's value lay when a round last moved it: each winner's kept part, then the
current recipient with the rest (spec/counting.md#cvr-exports)."""


class Ballot:
    """One cast vote record during the count: its marks and where its value is."""

    __slots__ = ("max_rank", "rankings", "recipient", "snapshots", "status", "winners")

    def __init__(self, rankings: tuple[tuple[int, tuple[str, ...]], ...]) -> None:
        self.rankings = tuple(sorted((r, names) for r, names in rankings if names))
        self.max_rank = self.rankings[-1][0] if self.rankings else 0
        self.status = ACTIVE
        self.recipient: str | None = None
        self.winners: dict[str, Decimal] = {}
        self.snapshots: dict[int, Snapshot] | None = None  # kept only for the CDF export

    def value(self) -> Decimal:
        """What remains of the ballot's one vote after the parts kept by winners."""
        remaining = ONE
        for kept in self.winners.values():
            remaining = EXACT.subtract(remaining, kept)
        return remaining

    def keep_for_winner(self, surplus_fraction: Decimal, places: int) -> None:
        """The current recipient was elected: it keeps the value less the surplus share (the
        share cut toward zero, so the winner keeps the rounding)."""
        value = self.value()
        moved = multiply(value, surplus_fraction, places)
        assert self.recipient is not None
        self.winners[self.recipient] = EXACT.subtract(value, moved)
